// Shared parts of the fault suite: a platform whose pino log is captured and scanned line by line, the
// platform's RPCs read from the loaded proto descriptors (so an RPC added later is in the suite without an
// edit here), and a raw gRPC client that sends bytes, so a test can send what no typed client would.
import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import { Writable } from 'node:stream';
import { loadProtos } from '../../proto/load';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { EmbeddedS3 } from '../../services/common/embedded';
import type { ServerConfig } from '../../services/common/config';

/** True when the fault suite runs (`npm run test:faults`); `npm test` loads these files and skips them. */
export const FAULT_SUITE = process.env.MODELOPS_FAULT_SUITE === '1';

/** What the captured server log held: line counts, the error lines, and any line that leaked a secret. */
export class LogWatch {
  lines = 0;
  readonly errors: string[] = [];
  readonly leaks: string[] = [];
  private readonly secrets = new Set<string>();

  /** Adds a string that must never appear in a log line (a token secret, the S3 secret key). */
  secret(s: string): void {
    if (s) this.secrets.add(s);
  }

  /** The secrets registered so far. */
  get secretList(): string[] {
    return [...this.secrets];
  }

  /** Checks one log line. */
  take(line: string): void {
    this.lines++;
    for (const s of this.secrets) if (line.includes(s)) this.leaks.push(line.slice(0, 500));
    // pino levels: 50 error, 60 fatal. A warning is not a fault; an error line is what "unhandled" means here.
    const m = /"level":(\d+)/.exec(line);
    if (m && Number(m[1]) >= 50 && this.errors.length < 200) this.errors.push(line.slice(0, 2000));
  }
}

/** Starts the whole platform with an info-level logger (as production runs) whose every line goes to `watch`. */
export async function startWatchedPlatform(watch: LogWatch, opts: { config?: Partial<ServerConfig> } = {}): Promise<TestPlatform> {
  let partial = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) if (p) watch.take(p);
      done();
    },
  });
  watch.secret(EmbeddedS3.SECRET_KEY);
  const log = pino({ level: 'info' }, sink);
  const tp = await startTestPlatform({ log, config: opts.config });
  watch.secret(tp.adminToken);
  return tp;
}

/** A field of a message, as the proto-loader descriptor JSON has it. */
export interface FieldDesc {
  name: string;
  number: number;
  label: string;
  type: string;
  typeName: string;
  proto3Optional: boolean;
  oneofIndex?: number;
}

/** A message type of the descriptors. */
export interface MessageDesc {
  name: string;
  field: FieldDesc[];
  nestedType: MessageDesc[];
  options?: { mapEntry?: boolean } | null;
  oneofDecl?: unknown[];
}

/** One platform RPC: its service, path, streaming shape, request type, and the (de)serializers. */
export interface RpcDesc {
  service: string;
  method: string;
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  request: MessageDesc;
  serialize(obj: object): Buffer;
}

/** Every RPC of package modelops.v1, read from the loaded descriptors. */
export function platformRpcs(): RpcDesc[] {
  const def = loadProtos().definition as unknown as Record<string, Record<string, unknown>>;
  const out: RpcDesc[] = [];
  for (const [svc, methods] of Object.entries(def)) {
    if (!svc.startsWith('modelops.v1.') || typeof (methods as { format?: unknown }).format === 'string') continue;
    for (const [method, m] of Object.entries(methods)) {
      const md = m as { path?: string; requestStream: boolean; responseStream: boolean; requestType: { type: MessageDesc }; requestSerialize(o: object): Buffer };
      if (typeof md?.path !== 'string') continue;
      out.push({
        service: svc.slice('modelops.v1.'.length), method, path: md.path, requestStream: md.requestStream,
        responseStream: md.responseStream, request: md.requestType.type, serialize: (o) => md.requestSerialize(o),
      });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Resolves a field's type name: a type nested in `parent`, else one of modelops.v1, else a full name. */
export function resolveType(typeName: string, parent: MessageDesc): MessageDesc | { enumValues: string[] } {
  const nested = parent.nestedType?.find((n) => n.name === typeName);
  if (nested) return nested;
  const def = loadProtos().definition as unknown as Record<string, { format: string; type: MessageDesc & { value?: { name: string }[] } }>;
  const name = typeName.replace(/^\./, '');
  const t = def[`modelops.v1.${name}`] ?? def[name];
  if (!t) throw new Error(`type ${typeName} not in the descriptors`);
  if (t.format.includes('EnumDescriptorProto')) return { enumValues: (t.type.value ?? []).map((v) => v.name) };
  return t.type;
}

/** A raw client: messages are Buffers both ways. */
export class RawClient {
  private readonly client: grpc.Client;

  constructor(addr: string) {
    this.client = new grpc.Client(addr, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': -1, 'grpc.max_receive_message_length': -1,
    });
  }

  private meta(token?: string): grpc.Metadata {
    const m = new grpc.Metadata();
    if (token !== undefined) m.set('authorization', `Bearer ${token}`);
    return m;
  }

  /** Calls any RPC shape with `messages` (one for unary/server streaming); resolves with the status. */
  call(rpc: RpcDesc, messages: Buffer[], token: string | undefined, timeoutMs: number): Promise<{ code: number; details: string; responses: number }> {
    const id = (b: Buffer) => b;
    const options = { deadline: Date.now() + timeoutMs };
    return new Promise((resolve) => {
      let responses = 0;
      const done = (err: grpc.ServiceError | null) => resolve({ code: err ? err.code : 0, details: err ? err.details : '', responses });
      if (!rpc.requestStream && !rpc.responseStream) {
        this.client.makeUnaryRequest(rpc.path, id, id, messages[0], this.meta(token), options, (err) => done(err));
      } else if (rpc.requestStream) {
        const stream = this.client.makeClientStreamRequest(rpc.path, id, id, this.meta(token), options, (err) => done(err));
        stream.on('error', () => undefined);
        for (const m of messages) stream.write(m);
        stream.end();
      } else {
        const stream = this.client.makeServerStreamRequest(rpc.path, id, id, messages[0], this.meta(token), options);
        let settled = false;
        stream.on('data', () => {
          // A long download is read far enough to see that it streams, then cancelled (CANCELLED is ours).
          if (++responses >= 200) { settled = true; stream.cancel(); resolve({ code: 0, details: '', responses }); }
        });
        stream.on('error', (err: grpc.ServiceError) => { if (!settled) { settled = true; done(err); } });
        stream.on('status', (s: grpc.StatusObject) => { if (!settled && s.code === 0) { settled = true; done(null); } });
      }
    });
  }

  close(): void {
    this.client.close();
  }
}
