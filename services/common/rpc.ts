// Handler adapters: a service writes `async (request, call) => response` and these turn it into a grpc-js
// handler that maps every error to a status in one place (errors.ts) and records the RPC's latency.
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { toStatus, grpcCodeName } from './errors';
import type { Metrics } from './metrics';
import { principalOf, type Principal } from './auth';
import { RefusedRequest } from './request-guard';
import { invalid } from '../../core/errors';

/** The messages of a client stream, ending with INVALID_ARGUMENT at the first one the request guard refused. */
async function* guardedMessages<Req>(messages: AsyncIterable<Req | RefusedRequest>): AsyncIterable<Req> {
  for await (const m of messages) {
    if (m instanceof RefusedRequest) throw invalid(m.reason);
    yield m;
  }
}

/** What every handler adapter needs from the process. */
export interface RpcEnv {
  log: Logger;
  metrics: Metrics;
}

/** The call details a handler may use: metadata, the verified principal, cancellation and deadline. */
export interface CallInfo {
  metadata: grpc.Metadata;
  principal: Principal;
  /** True once the client has cancelled or the deadline has passed. */
  cancelled(): boolean;
  /** Aborted when the client cancels. */
  signal: AbortSignal;
  /** The call's deadline in epoch ms, or Infinity. */
  deadline: number;
}

function infoOf(call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown> | grpc.ServerReadableStream<unknown, unknown>): CallInfo {
  const d = call.getDeadline();
  const deadline = d instanceof Date ? d.getTime() : Number.isFinite(d) && d > 0 ? Number(d) : Infinity;
  // The AbortController is made only for handlers that ask for a signal: grpc-js emits 'cancelled' as
  // every call's stream closes, so an eager one would be made and aborted on each of the hot-path calls.
  let ac: AbortController | undefined;
  return {
    metadata: call.metadata,
    principal: principalOf(call.metadata),
    cancelled: () => call.cancelled,
    get signal() {
      if (!ac) {
        ac = new AbortController();
        if (call.cancelled) ac.abort();
        else (call as unknown as NodeJS.EventEmitter).once('cancelled', () => ac!.abort());
      }
      return ac.signal;
    },
    deadline,
  };
}

function observe(env: RpcEnv, method: string, start: bigint, code: number): void {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const name = grpcCodeName(code);
  env.metrics.rpcSeconds.observe({ method, code: name }, seconds);
  if (code !== 0) env.metrics.rpcErrors.inc({ method, code: name });
}

/** Adapts an async unary handler. */
export function unary<Req, Res>(env: RpcEnv, method: string, fn: (req: Req, call: CallInfo) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const start = process.hrtime.bigint();
    fn(call.request, infoOf(call)).then((res) => {
      observe(env, method, start, 0);
      callback(null, res);
    }, (err: unknown) => {
      const st = toStatus(err, env.log, method);
      observe(env, method, start, st.code ?? 2);
      callback(st as grpc.ServiceError);
    });
  };
}

/** Adapts an async server-streaming handler; `send` writes one message (respecting back-pressure). */
export function serverStream<Req, Res>(
  env: RpcEnv, method: string, fn: (req: Req, send: (msg: Res) => Promise<void>, call: CallInfo) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const start = process.hrtime.bigint();
    const send = (msg: Res) => new Promise<void>((resolve) => {
      if (call.cancelled || call.destroyed) return resolve();
      if (call.write(msg)) resolve();
      else call.once('drain', () => resolve());
    });
    fn(call.request, send, infoOf(call)).then(() => {
      observe(env, method, start, 0);
      call.end();
    }, (err: unknown) => {
      const st = toStatus(err, env.log, method);
      observe(env, method, start, st.code ?? 2);
      // grpc-js sends the status of an 'error' event; destroy(err) would end the stream without one.
      call.emit('error', Object.assign(new Error(st.details), st));
    });
  };
}

/** Adapts an async client-streaming handler; `messages` iterates the client's stream. */
export function clientStream<Req, Res>(
  env: RpcEnv, method: string, fn: (messages: AsyncIterable<Req>, call: CallInfo) => Promise<Res>,
): grpc.handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    const start = process.hrtime.bigint();
    fn(guardedMessages(call as unknown as AsyncIterable<Req | RefusedRequest>), infoOf(call)).then((res) => {
      observe(env, method, start, 0);
      callback(null, res);
    }, (err: unknown) => {
      // A client that went away mid-stream ends the iteration with "premature close": nobody is waiting for
      // the answer, and it is no server fault to log.
      if (call.cancelled || (err as { code?: unknown })?.code === 'ERR_STREAM_PREMATURE_CLOSE') {
        observe(env, method, start, 1);
        callback({ code: 1, details: 'cancelled by the client' } as grpc.ServiceError);
        return;
      }
      const st = toStatus(err, env.log, method);
      observe(env, method, start, st.code ?? 2);
      callback(st as grpc.ServiceError);
    });
  };
}
