// A server-streaming adapter for the registry's download. services/common/rpc.ts's `serverStream` ends a
// failed call with `call.destroy(err)`, which in grpc-js 1.14 never sends the status (a destroyed Writable
// skips _final), so the client waits forever; emitting 'error' is the path grpc-js turns into a status.
// (Reported to the integrator; this file goes away once rpc.ts is fixed.)
import type * as grpc from '@grpc/grpc-js';
import { grpcCodeName, toStatus } from '../common/errors';
import { principalOf } from '../common/auth';
import type { CallInfo, RpcEnv } from '../common/rpc';

/** Like rpc.ts's serverStream, but a failure reaches the client as its status. */
export function serverStreamWithStatus<Req, Res>(
  env: RpcEnv, method: string, fn: (req: Req, send: (msg: Res) => Promise<void>, call: CallInfo) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const start = process.hrtime.bigint();
    const ac = new AbortController();
    call.on('cancelled', () => ac.abort());
    const d = call.getDeadline();
    const info: CallInfo = {
      metadata: call.metadata, principal: principalOf(call.metadata), cancelled: () => call.cancelled || ac.signal.aborted,
      signal: ac.signal, deadline: d instanceof Date ? d.getTime() : Number.isFinite(d) && Number(d) > 0 ? Number(d) : Infinity,
    };
    const observe = (code: number) => {
      const name = grpcCodeName(code);
      env.metrics.rpcSeconds.observe({ method, code: name }, Number(process.hrtime.bigint() - start) / 1e9);
      if (code !== 0) env.metrics.rpcErrors.inc({ method, code: name });
    };
    const send = (msg: Res) => new Promise<void>((resolve) => {
      if (call.cancelled || call.destroyed) return resolve();
      if (call.write(msg)) resolve();
      else call.once('drain', () => resolve());
    });
    fn(call.request, send, info).then(() => {
      observe(0);
      call.end();
    }, (err: unknown) => {
      const st = toStatus(err, env.log, method);
      observe(st.code ?? 2);
      call.emit('error', Object.assign(new Error(st.details), st));
    });
  };
}
