// Postgres errors as domain errors: the store turns constraint violations into the codes callers see
// (MLflow's store does the same with IntegrityError -> RESOURCE_ALREADY_EXISTS).
import { DomainError } from '../core/errors';

/** The SQLSTATE of a pg error, if it is one. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Maps a pg error to a DomainError with `message` (which says what to fix); other errors pass unchanged.
 * 23505 unique -> ALREADY_EXISTS, 23503 foreign key -> NOT_FOUND, 23514 check / 22xxx data -> INVALID_ARGUMENT,
 * 23000 (immutability trigger) / 42501 (append-only trigger) -> FAILED_PRECONDITION.
 */
export function mapPgError(err: unknown, messages: Partial<Record<'unique' | 'foreignKey' | 'check', string>> = {}): unknown {
  if (err instanceof DomainError) return err;
  const state = sqlState(err);
  const detail = (err as Error).message;
  if (state === '23505') return new DomainError('ALREADY_EXISTS', messages.unique ?? `already exists: ${detail}`);
  if (state === '23503') return new DomainError('NOT_FOUND', messages.foreignKey ?? `refers to something that does not exist: ${detail}`);
  if (state === '23514' || state?.startsWith('22')) return new DomainError('INVALID_ARGUMENT', messages.check ?? `invalid value: ${detail}`);
  if (state === '23000' || state === '42501') return new DomainError('FAILED_PRECONDITION', detail);
  return err;
}
