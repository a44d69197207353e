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
