// The translation of the domain error (core/errors.ts) to a gRPC status: the one place where a code becomes a status.
import { status as GrpcStatus, Metadata, type StatusObject } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { DomainError, isUnavailable, type ErrorCode } from '../../core/errors';

/** The gRPC status number of a domain error code. */
export function grpcCode(code: ErrorCode): GrpcStatus {
  return GrpcStatus[code];
}

/** The name of a gRPC status number ("NOT_FOUND" for 5). */
export function grpcCodeName(code: number): string {
  return GrpcStatus[code] ?? `CODE_${code}`;
}

/**
 * Turns anything a handler threw into a status for the caller. Domain errors keep their code and message;
 * errors already carrying a gRPC status (from a downstream call) keep it; a dependency that cannot be reached
 * (core/errors.ts isUnavailable) becomes UNAVAILABLE, so clients retry; anything else becomes INTERNAL
 * with the cause logged under an error id that the caller sees, never the cause itself.
 */
/**
 * A status message as it can be sent: grpc-js percent-encodes it with `encodeURI`, which throws on a lone UTF-16
 * surrogate (a message that quotes a request's text cut inside a character, as V8's JSON.parse errors do), and
 * then no status is sent at all and the caller waits until its deadline. Lone surrogates become U+FFFD.
 */
export function statusDetails(details: string): string {
  return details.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function toStatus(err: unknown, log: Logger, method: string): Partial<StatusObject> {
  if (err instanceof DomainError) {
    if (err.code === 'INTERNAL') log.error({ err, method, detail: err.detail }, 'internal error');
    return { code: grpcCode(err.code), details: statusDetails(err.message), metadata: new Metadata() };
  }
  const maybe = err as { code?: unknown; details?: unknown };
  if (typeof maybe?.code === 'number' && typeof maybe.details === 'string' && maybe.code in GrpcStatus) {
    return { code: maybe.code, details: statusDetails(maybe.details), metadata: new Metadata() };
  }
  const errorId = Math.random().toString(36).slice(2, 10);
  if (isUnavailable(err)) {
    // A dependency down or restarting is not a bug: the caller retries, the operator sees a warning per call.
    log.warn({ err, method, errorId }, 'a dependency cannot be reached');
    return { code: GrpcStatus.UNAVAILABLE, details: `the database or artifact store cannot be reached now (id ${errorId}); retry shortly`, metadata: new Metadata() };
  }
  log.error({ err, method, errorId }, 'unhandled error');
  return { code: GrpcStatus.INTERNAL, details: `internal error (id ${errorId}; see the server log)`, metadata: new Metadata() };
}
