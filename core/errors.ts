// The one domain error type of the platform. Every layer raises it; the gRPC edge (services/common/errors.ts)
// is the only place that turns it into a status, so nothing below the services imports gRPC.

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

/** Socket errors that mean a dependency (the database, the artifact store) cannot be reached right now. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * True when `err` says a dependency is down or restarting rather than that the request is wrong: a refused or
 * cut connection, Postgres's connection-exception (08xxx) and shutdown states (57P01-57P03), a pg client whose
 * connection ended, an S3 answer of 502/503/504. Followed through `driverError` and `cause` (TypeORM and the
 * AWS SDK wrap the original).
 */
export function isUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; $metadata?: { httpStatusCode?: number } };
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNREACHABLE.has(code) || /^08...$/.test(code) || ['57P01', '57P02', '57P03'].includes(code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status === 502 || status === 503 || status === 504) return true;
  if (typeof e.message === 'string' && /^Connection terminated|Client has encountered a connection error|is not queryable|timeout exceeded when trying to connect/.test(e.message)) return true;
  return isUnavailable(e.driverError, depth + 1) || isUnavailable(e.cause, depth + 1);
}
