// The one transaction helper of the stores: BEGIN on a pooled client, COMMIT when `fn` resolves, ROLLBACK (and
// the error passed on unchanged) when it throws; the client always goes back to the pool.
import type { Pool, PoolClient } from 'pg';

/** Runs `fn` in one transaction on a client of `pool`. */
export async function withTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** Runs one SQL statement and returns its rows: on a transaction's client or on the pool. */
export type Query = <R extends object = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

/** The Query of a client (inside its transaction) or of the pool. */
export function queryOn(c: Pool | PoolClient): Query {
  return async <R extends object>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as R[];
}
