// The reads a production change makes inside the model's lock (alias-store.ts, `withModelLock`): the done or
// forced promotions and rollbacks of the model from its audit log, which of its versions still exist, and a
// version's name. The meaning of the history (what rollback goes back to) is the promotion's
// (services/registry/promotion.ts); these only read rows, through the lock's transaction.
import type { ModelTx } from './alias-store';

/** One promotion or rollback that moved production (outcome `done` or `forced`), in audit order. */
export interface ProductionChange {
  action: 'promote' | 'rollback';
  /** The version production moved to; null when the event recorded none. */
  toVersion: number | null;
}

/** The model's promotions and rollbacks that moved production, oldest first. */
export async function productionChanges(t: ModelTx): Promise<ProductionChange[]> {
  const rows = await t.query<{ action: 'promote' | 'rollback'; to_version: number | null }>(`
    SELECT action, to_version FROM audit_events
    WHERE model = $1 AND action IN ('promote', 'rollback') AND outcome IN ('done', 'forced') ORDER BY id`, [t.model]);
  return rows.map((r) => ({ action: r.action, toVersion: r.to_version }));
}

/** Which of the given version numbers of the model still exist (retention deletes versions). */
export async function liveVersions(t: ModelTx, numbers: number[]): Promise<Set<number>> {
  const rows = await t.query<{ number: number }>('SELECT number FROM model_versions WHERE model = $1 AND number = ANY($2::int[])',
    [t.model, [...new Set(numbers)]]);
  return new Set(rows.map((r) => r.number));
}

/** The name of one version of the model, or undefined when it does not exist. */
export async function versionName(t: ModelTx, number: number): Promise<string | undefined> {
  const [row] = await t.query<{ name: string }>('SELECT name FROM model_versions WHERE model = $1 AND number = $2', [t.model, number]);
  return row?.name;
}
