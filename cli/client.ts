// The CLI's connection to the platform: every command goes through the gRPC API (never the database), so
// the CLI works the same against the embedded default and a remote cluster.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../proto/load';
import { grpcCodeName } from '../services/common/errors';
import { checkVars, readVar, type EnvSource, type VarName } from '../core/config';
import { adminTokenFile } from '../services/common/admin-token';
import { str, type Args } from './command';

/** An RPC failure as the CLI reports it: "<CODE>: <details>". */
export class RpcError extends Error {
  constructor(readonly code: number, readonly details: string) {
    super(`${grpcCodeName(code)}: ${details}`);
    this.name = 'RpcError';
  }
}

type V1 = ReturnType<typeof loadProtos>['v1'];
type ServiceKey = {
  [K in keyof V1]: V1[K] extends { service: grpc.ServiceDefinition } ? K : never
}[keyof V1];

/** Where to connect and with which token, from flags and the environment. */
export interface Target {
  addr: string;
  token?: string;
}

/** The target of this invocation: --addr/MODELOPS_ADDR, --token/MODELOPS_TOKEN/the local admin token. */
export function targetOf(args: Args, env?: EnvSource): Target {
  // Every variable of the CLI is checked before the first call, so a bad one is refused even when unused.
  const flagged: VarName[] = [...(str(args, 'addr') !== undefined ? ['MODELOPS_ADDR' as const] : []), ...(str(args, 'token') !== undefined ? ['MODELOPS_TOKEN' as const] : [])];
  checkVars(['cli', 'both'], env, flagged);
  const addr = str(args, 'addr') ?? readVar('MODELOPS_ADDR', env);
  let token = str(args, 'token') ?? readVar('MODELOPS_TOKEN', env);
  if (!token) {
    const file = adminTokenFile(path.resolve(readVar('MODELOPS_HOME', env)));
    if (fs.existsSync(file)) token = fs.readFileSync(file, 'utf8').trim();
  }
  return { addr, token: token || undefined };
}

const clients = new Map<string, grpc.Client>();

function credentials(): grpc.ChannelCredentials {
  const ca = readVar('MODELOPS_TLS_CA');
  if (ca) return grpc.credentials.createSsl(fs.readFileSync(ca));
  return readVar('MODELOPS_TLS') ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
}

/** A client of `service` at the target (cached per address). */
export function clientOf<K extends ServiceKey>(service: K, target: Target): InstanceType<V1[K]> {
  const key = `${service}@${target.addr}`;
  let c = clients.get(key);
  if (!c) {
    const Ctor = loadProtos().v1[service] as unknown as new (addr: string, creds: grpc.ChannelCredentials, opts: object) => grpc.Client;
    c = new Ctor(target.addr, credentials(), {
      'grpc.max_receive_message_length': 64 * 1024 * 1024, 'grpc.max_send_message_length': 64 * 1024 * 1024,
    });
    clients.set(key, c);
  }
  return c as InstanceType<V1[K]>;
}

/** Metadata carrying the bearer token. */
export function authMetadata(target: Target): grpc.Metadata {
  const md = new grpc.Metadata();
  if (target.token) md.set('authorization', `Bearer ${target.token}`);
  return md;
}

/**
 * The cause in grpc-js's "No connection established. Last error: Error: connect ECONNREFUSED …. Resolution
 * note: " without its wrapping, and without the resolution note when it is empty (it usually is).
 */
export function connectionCause(details: string): string {
  const m = /Last error: (?:Error: )?(.*?)\.?(?: Resolution note: (.*))?$/s.exec(details);
  if (!m) return details.replace(/\.? Resolution note: *$/, '');
  const note = m[2]?.trim();
  return note ? `${m[1]}; ${note}` : m[1];
}

function wrap(err: grpc.ServiceError, target: Target): RpcError {
  if (err.code === grpc.status.UNAVAILABLE && /ECONNREFUSED|No connection established|failed to connect/i.test(err.details)) {
    return new RpcError(err.code, `cannot reach the modelops server at ${target.addr} (${connectionCause(err.details)}); start it with \`npm start\` or set MODELOPS_ADDR`);
  }
  return new RpcError(err.code, err.details);
}

/** Calls a unary RPC and resolves with its response, or rejects with an RpcError. */
export function call<Req, Res>(
  target: Target, client: grpc.Client, method: string, request: Req, opts: { deadlineMs?: number } = {},
): Promise<Res> {
  const fn = (client as unknown as Record<string, (...a: unknown[]) => grpc.ClientUnaryCall>)[method];
  if (typeof fn !== 'function') throw new Error(`no RPC ${method} on this client`);
  const options: grpc.CallOptions = opts.deadlineMs ? { deadline: Date.now() + opts.deadlineMs } : {};
  return new Promise((resolve, reject) => {
    fn.call(client, request, authMetadata(target), options, (err: grpc.ServiceError | null, res: Res) => {
      if (err) reject(wrap(err, target));
      else resolve(res);
    });
  });
}

/** Iterates a server-streaming RPC's messages; errors become RpcError. */
export async function* stream<Req, Res>(target: Target, client: grpc.Client, method: string, request: Req): AsyncGenerator<Res> {
  const fn = (client as unknown as Record<string, (...a: unknown[]) => grpc.ClientReadableStream<Res>>)[method];
  const s = fn.call(client, request, authMetadata(target));
  try {
    for await (const msg of s) yield msg as Res;
  } catch (err) {
    const e = err as grpc.ServiceError;
    if (typeof e.code === 'number') throw wrap(e, target);
    throw err;
  } finally {
    s.cancel();
  }
}

/** Closes cached channels so that the process can exit. */
export function closeClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}

/**
 * Calls a client-streaming RPC: writes `messages` (respecting back-pressure) and resolves with the
 * response. If the server answers early (an error before the upload ends), writing stops at once.
 */
export async function upload<Req, Res>(
  target: Target, client: grpc.Client, method: string, messages: Iterable<Req> | AsyncIterable<Req>,
): Promise<Res> {
  const fn = (client as unknown as Record<string, (...a: unknown[]) => grpc.ClientWritableStream<Req>>)[method];
  if (typeof fn !== 'function') throw new Error(`no RPC ${method} on this client`);
  let s!: grpc.ClientWritableStream<Req>;
  const done = new Promise<Res>((resolve, reject) => {
    s = fn.call(client, authMetadata(target), (err: grpc.ServiceError | null, res: Res) => (err ? reject(wrap(err, target)) : resolve(res)));
  });
  s.on('error', () => undefined); // reported through the callback
  let settled = false;
  const over = done.then(() => { settled = true; }, () => { settled = true; });
  try {
    for await (const msg of messages as AsyncIterable<Req>) {
      if (settled) break;
      if (!s.write(msg)) await Promise.race([over, new Promise<void>((r) => s.once('drain', () => r()))]);
    }
    s.end();
  } catch (err) {
    s.cancel();
    throw err;
  }
  return done;
}
