// Gate policies: a model's stored promotion-gate policy (the policy's meaning and checks are the promotion
// gate's; the store keeps it verbatim), changed under the model's lock and audited.
import type { Database } from './data-source';
import type { ModelStore } from './model-store';
import type { ModelLock } from './alias-store';

/** A stored gate policy. */
export interface StoredGatePolicy {
  policy: Record<string, unknown>;
  updatedBy: string;
  updateTime: Date;
}

/** Reading and storing gate policies. */
export interface GatePolicyStore {
  /** The stored gate policy of a model, or undefined (the default applies); NOT_FOUND for an unknown model. */
  getGatePolicy(model: string): Promise<StoredGatePolicy | undefined>;
  /** Stores a model's gate policy (already validated by the caller) under its lock and audits it (`gate-set`). */
  setGatePolicy(model: string, policy: Record<string, unknown>, actor: string): Promise<StoredGatePolicy>;
}

/** Gate policies in the `gate_policies` table. */
export class PgGatePolicyStore implements GatePolicyStore {
  constructor(private readonly db: Database, private readonly models: Pick<ModelStore, 'getModel'>, private readonly lock: ModelLock) {}

  async getGatePolicy(model: string): Promise<StoredGatePolicy | undefined> {
    await this.models.getModel(model);
    const r = await this.db.pool.query<{ policy: Record<string, unknown>; updated_by: string; update_time: Date }>(
      'SELECT policy, updated_by, update_time FROM gate_policies WHERE model = $1', [model]);
    const x = r.rows[0];
    return x ? { policy: x.policy, updatedBy: x.updated_by, updateTime: x.update_time } : undefined;
  }

  /** Stores a model's gate policy (already validated by the caller) and audits it. */
  async setGatePolicy(model: string, policy: Record<string, unknown>, actor: string): Promise<StoredGatePolicy> {
    return this.lock.withModelLock(model, async (t) => {
      await t.query(`
        INSERT INTO gate_policies (model, policy, updated_by, update_time) VALUES ($1, $2, $3, now())
        ON CONFLICT (model) DO UPDATE SET policy = EXCLUDED.policy, updated_by = EXCLUDED.updated_by, update_time = now()`,
      [model, JSON.stringify(policy), actor]);
      await t.audit({ action: 'gate-set', actor, detail: { policy } });
      return { policy, updatedBy: actor, updateTime: new Date() };
    });
  }
}
