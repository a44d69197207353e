// The request guard: every request is decoded here before any handler sees it, and a request that cannot be
// decoded (bytes that are not the message) or that holds a string Postgres cannot store (U+0000) is answered
// INVALID_ARGUMENT. Without it grpc-js answers undecodable bytes with INTERNAL, and a NUL reaches the
// database, which refuses it with an error the handlers report as INTERNAL.
import { status, type ServiceDefinition, type UntypedServiceImplementation, type ServerUnaryCall, type sendUnaryData, type ServerWritableStream } from '@grpc/grpc-js';
import { statusDetails } from './errors';

/** What the guard hands on in place of a request it refuses; the handler adapters answer it INVALID_ARGUMENT. */
export class RefusedRequest {
  constructor(readonly reason: string) {}
}

/** Where a NUL was found: the field names and list indexes leading to it, and the map key when a key holds it. */
interface NulHit {
  path: (string | number)[];
  key?: string;
}

/**
 * Finds the first NUL without building any path on the way (every request passes here, Score's hundreds of item
 * ids included); the path is assembled only for a hit, from the innermost level out.
 */
function findNul(value: unknown): NulHit | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? { path: [] } : undefined;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i]);
      if (hit) {
        hit.path.unshift(i);
        return hit;
      }
    }
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    // A map key is a string too.
    if (k.includes('\u0000')) return { path: [], key: k };
    const hit = findNul(obj[k]);
    if (hit) {
      hit.path.unshift(k);
      return hit;
    }
  }
  return undefined;
}

/** The path of the first string in `value` that contains U+0000 (e.g. `candidates[2].item_id`), or undefined. */
export function firstNulString(value: unknown): string | undefined {
  const hit = findNul(value);
  if (!hit) return undefined;
  let at = '';
  for (const seg of hit.path) at = typeof seg === 'number' ? `${at}[${seg}]` : at ? `${at}.${seg}` : seg;
  if (hit.key !== undefined) return at ? `${at} (a key)` : `${hit.key} (a key)`;
  return at || 'request';
}

/** Wraps a deserializer so that it never throws: a refused request becomes a RefusedRequest. */
export function guardedDeserializer(deserialize: (b: Buffer) => unknown, typeName: string): (b: Buffer) => unknown {
  return (bytes) => {
    let msg: unknown;
    try {
      msg = deserialize(bytes);
    } catch (err) {
      return new RefusedRequest(`the request is not a valid ${typeName} message (${(err as Error).message}); send one encoded from proto/modelops/v1`);
    }
    const nul = firstNulString(msg);
    return nul ? new RefusedRequest(`${nul}: contains a NUL character (U+0000), which cannot be stored; remove it`) : msg;
  };
}

/**
 * A service definition whose deserializers are guarded, and handlers that answer a refused unary or
 * server-streaming request before calling the service's handler. Client-streaming handlers see a refused
 * message in their stream; the clientStream adapter (rpc.ts) answers it.
 */
export function guardService(definition: ServiceDefinition, handlers: UntypedServiceImplementation): {
  definition: ServiceDefinition; handlers: UntypedServiceImplementation;
} {
  const def: Record<string, ServiceDefinition[string]> = {};
  const impl: UntypedServiceImplementation = {};
  for (const [name, m] of Object.entries(definition)) {
    const typeName = (m as { requestType?: { type?: { name?: string } } }).requestType?.type?.name ?? `${name}Request`;
    def[name] = { ...m, requestDeserialize: guardedDeserializer(m.requestDeserialize, `modelops.v1.${typeName}`) };
    const h = handlers[name];
    if (!h) continue;
    if (!m.requestStream && !m.responseStream) {
      const inner = h as (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => void;
      impl[name] = ((call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => {
        if (call.request instanceof RefusedRequest) cb({ code: status.INVALID_ARGUMENT, details: statusDetails(call.request.reason), name: 'RefusedRequest', message: call.request.reason });
        else inner(call, cb);
      }) as UntypedServiceImplementation[string];
    } else if (!m.requestStream) {
      const inner = h as (call: ServerWritableStream<unknown, unknown>) => void;
      impl[name] = ((call: ServerWritableStream<unknown, unknown>) => {
        if (call.request instanceof RefusedRequest) {
          const reason = call.request.reason;
          call.emit('error', Object.assign(new Error(reason), { code: status.INVALID_ARGUMENT, details: statusDetails(reason) }));
        } else inner(call);
      }) as UntypedServiceImplementation[string];
    } else {
      impl[name] = h;
    }
  }
  return { definition: def as ServiceDefinition, handlers: impl };
}
