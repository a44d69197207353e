// The one transaction helper of the stores: BEGIN, COMMIT when `fn` resolves, ROLLBACK (and the error passed on
// unchanged) when it throws. withTransaction takes a client from the pool and always gives it back;
// inTransaction runs on a client the caller holds (a session whose advisory locks outlive the transaction).
import type { Pool, PoolClient } from 'pg';

/** How a transaction begins. */
export interface TransactionOptions {
  /** One read-only snapshot of the whole database (REPEATABLE READ READ ONLY), as a consistent backup needs. */
  readOnlySnapshot?: boolean;
}

/** Runs `fn` in one transaction on a client of `pool`. */
export async function withTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  const c = await pool.connect();
  try {
    return await inTransaction(c, fn, opts);
  } finally {
    c.release();
  }
}

/** Runs `fn` in one transaction on `c`, a client the caller holds and releases. */
export async function inTransaction<T>(c: PoolClient, fn: (c: PoolClient) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  await c.query(opts.readOnlySnapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
  try {
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Runs one SQL statement and returns its rows: on a transaction's client or on the pool. */
export type Query = <R extends object = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

/** The Query of a client (inside its transaction) or of the pool. */
export function queryOn(c: Pool | PoolClient): Query {
  return async <R extends object>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as R[];
}
