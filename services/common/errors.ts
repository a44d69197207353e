// The one domain error type of the platform and its translation to a gRPC status (STYLE.md 7).
import { status as GrpcStatus, Metadata, type StatusObject } from '@grpc/grpc-js';
import type { Logger } from 'pino';

/** The closed set of error codes a service may raise; each maps to the gRPC status of the same name. */
export type ErrorCode =
  | 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'FAILED_PRECONDITION' | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED' | 'RESOURCE_EXHAUSTED' | 'ABORTED' | 'OUT_OF_RANGE' | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED' | 'CANCELLED' | 'UNIMPLEMENTED' | 'DATA_LOSS' | 'INTERNAL';

/** An error whose message is safe to send to the caller and says how to fix the input. */
export class DomainError extends Error {
  /** The code the caller sees as the gRPC status. */
  readonly code: ErrorCode;
  /** Optional structured detail, logged with the error (never sent). */
  readonly detail?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.detail = detail;
  }
}

/** Shorthands for the most common codes. */
export const invalid = (message: string) => new DomainError('INVALID_ARGUMENT', message);
export const notFound = (message: string) => new DomainError('NOT_FOUND', message);
export const alreadyExists = (message: string) => new DomainError('ALREADY_EXISTS', message);
export const failedPrecondition = (message: string) => new DomainError('FAILED_PRECONDITION', message);

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
 * errors already carrying a gRPC status (from a downstream call) keep it; anything else becomes INTERNAL
 * with the cause logged under an error id that the caller sees, never the cause itself.
 */
export function toStatus(err: unknown, log: Logger, method: string): Partial<StatusObject> {
  if (err instanceof DomainError) {
    if (err.code === 'INTERNAL') log.error({ err, method, detail: err.detail }, 'internal error');
    return { code: grpcCode(err.code), details: err.message, metadata: new Metadata() };
  }
  const maybe = err as { code?: unknown; details?: unknown };
  if (typeof maybe?.code === 'number' && typeof maybe.details === 'string' && maybe.code in GrpcStatus) {
    return { code: maybe.code, details: maybe.details, metadata: new Metadata() };
  }
  const errorId = Math.random().toString(36).slice(2, 10);
  log.error({ err, method, errorId }, 'unhandled error');
  return { code: GrpcStatus.INTERNAL, details: `internal error (id ${errorId}; see the server log)`, metadata: new Metadata() };
}
