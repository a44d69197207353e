// Calls that wait out a busy server: RESOURCE_EXHAUSTED (a full write, training or evaluation queue) is a reason
// to wait and retry with backoff, not to stop; and a bounded pool that keeps at most N pieces of work in flight.
// The server refuses such a call before doing any of its work, so retrying it never applies it twice.
import * as grpc from '@grpc/grpc-js';
import { call, clientOf, RpcError, type Target } from './client';

type ServiceKey = Parameters<typeof clientOf>[0];

/** Retries of a call refused with RESOURCE_EXHAUSTED, and the first and largest wait between them. */
export const RETRY = { attempts: 30, firstMs: 500, maxMs: 15_000 };

/** A unary call to `service.method`, retried while the server answers RESOURCE_EXHAUSTED. */
export async function rpc<Res = any>(target: Target, service: ServiceKey, method: string, request: object,
  onRetry?: (attempt: number, waitMs: number, err: RpcError) => void): Promise<Res> {
  let wait = RETRY.firstMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call<object, Res>(target, clientOf(service, target), method, request);
    } catch (err) {
      if (!(err instanceof RpcError) || err.code !== grpc.status.RESOURCE_EXHAUSTED || attempt >= RETRY.attempts) throw err;
      onRetry?.(attempt, wait, err);
      await sleep(wait);
      wait = Math.min(RETRY.maxMs, wait * 2);
    }
  }
}

/** True when the error is the gRPC code `code`. */
export function isCode(err: unknown, code: grpc.status): boolean {
  return err instanceof RpcError && err.code === code;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `limit` in flight; rejects with the first error once the rest settled. */
export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (errors.length) throw errors[0];
}
