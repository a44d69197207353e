// Aliases (production, previous, baseline, ...: a name pointing at one version of a model) and the per-model
// lock that every change of them runs under: promotion, rollback, alias changes, rollout changes and gate
// policies of one model take its row lock (SELECT ... FOR UPDATE), so they apply one at a time, also across
// processes, and announce themselves on CHANGES_CHANNEL at commit.
import type { Database } from './data-source';
import { notFound } from '../core/errors';
import { mapPgError } from './pg-errors';
import { queryOn, withTransaction } from './transaction';
import { checkAlias, checkModelId } from './model-names';
import { insertAudit, type NewAuditEvent } from './audit-log';
import type { ModelVersion, VersionStore } from './version-store';

/** The NOTIFY channel of every production, alias, rollout or version change. */
export const CHANGES_CHANNEL = 'modelops_changes';

/** What changed, as sent on CHANGES_CHANNEL. */
export interface ChangeEvent {
  model: string;
  kind: 'alias' | 'rollout' | 'version';
}

/** An alias and the version it points at. */
export interface AliasInfo {
  alias: string;
  number: number;
  versionName: string;
  updatedBy: string;
  updateTime: Date;
}

/** The operations available inside `withModelLock`: one transaction holding the model's row lock. */
export interface ModelTx {
  /** The locked model's id. */
  readonly model: string;
  /** Raw SQL in the transaction. */
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The version an alias points at, or undefined. */
  aliasOf(alias: string): Promise<number | undefined>;
  /** Points an alias at a version (creating or moving it). */
  setAlias(alias: string, number: number, actor: string): Promise<void>;
  /** Removes an alias; false when it did not exist. */
  deleteAlias(alias: string): Promise<boolean>;
  /** Appends an audit event. */
  audit(e: Omit<NewAuditEvent, 'model'>): Promise<void>;
  /** Announces a change on CHANGES_CHANNEL at commit. */
  notify(kind: ChangeEvent['kind']): Promise<void>;
}

/** Reading aliases. */
export interface AliasStore {
  /** The version an alias points at, or undefined. */
  resolveAlias(model: string, alias: string): Promise<ModelVersion | undefined>;
  /** Every alias of a model, by name. */
  listAliases(model: string): Promise<AliasInfo[]>;
  /** The aliases of several models in one query, by model. */
  aliasesOf(models: string[]): Promise<Map<string, AliasInfo[]>>;
}

/** The per-model lock: the one way to change aliases, and what every other change of a model's serving runs under. */
export interface ModelLock {
  /**
   * Runs `fn` in one transaction holding the model's row lock (SELECT ... FOR UPDATE), so that promotes,
   * rollbacks and alias changes of one model run one at a time; NOT_FOUND for an unknown model.
   */
  withModelLock<T>(model: string, fn: (tx: ModelTx) => Promise<T>): Promise<T>;
}

/** Aliases in `model_aliases`, the lock on the model's row in `models`. */
export class PgAliasStore implements AliasStore, ModelLock {
  constructor(private readonly db: Database, private readonly versions: Pick<VersionStore, 'getVersion'>) {}

  async resolveAlias(model: string, alias: string): Promise<ModelVersion | undefined> {
    const r = await this.db.pool.query<{ number: number }>('SELECT number FROM model_aliases WHERE model = $1 AND alias = $2', [model, alias]);
    if (r.rowCount === 0) return undefined;
    return this.versions.getVersion(model, r.rows[0].number);
  }

  /** Every alias of a model. */
  async listAliases(model: string): Promise<AliasInfo[]> {
    return (await this.aliasesOf([model])).get(model) ?? [];
  }

  /** The aliases of several models in one query, by model. */
  async aliasesOf(models: string[]): Promise<Map<string, AliasInfo[]>> {
    const r = await this.db.pool.query<{ model: string; alias: string; number: number; name: string; updated_by: string; update_time: Date }>(
      `SELECT a.model, a.alias, a.number, v.name, a.updated_by, a.update_time FROM model_aliases a
       JOIN model_versions v ON v.model = a.model AND v.number = a.number WHERE a.model = ANY($1::text[]) ORDER BY a.model, a.alias`, [models]);
    const out = new Map<string, AliasInfo[]>();
    for (const x of r.rows) {
      if (!out.has(x.model)) out.set(x.model, []);
      out.get(x.model)!.push({ alias: x.alias, number: x.number, versionName: x.name, updatedBy: x.updated_by, updateTime: x.update_time });
    }
    return out;
  }

  async withModelLock<T>(model: string, fn: (tx: ModelTx) => Promise<T>): Promise<T> {
    checkModelId(model);
    return withTransaction(this.db.pool, async (c) => {
      const m = await c.query('SELECT id FROM models WHERE id = $1 FOR UPDATE', [model]);
      if (m.rowCount === 0) throw notFound(`model "${model}" not found; create it with \`modelops models create ${model}\``);
      const q = queryOn(c);
      const t: ModelTx = {
        model,
        query: q,
        aliasOf: async (alias) => {
          const r = await c.query<{ number: number }>('SELECT number FROM model_aliases WHERE model = $1 AND alias = $2', [model, alias]);
          return r.rows[0]?.number;
        },
        setAlias: async (alias, number, actor) => {
          checkAlias(alias);
          try {
            await c.query(`
              INSERT INTO model_aliases (model, alias, number, updated_by, update_time) VALUES ($1, $2, $3, $4, now())
              ON CONFLICT (model, alias) DO UPDATE SET number = EXCLUDED.number, updated_by = EXCLUDED.updated_by, update_time = now()`,
            [model, alias, number, actor]);
          } catch (err) {
            throw mapPgError(err, { foreignKey: `version ${number} of model "${model}" not found` });
          }
        },
        deleteAlias: async (alias) => (await c.query('DELETE FROM model_aliases WHERE model = $1 AND alias = $2', [model, alias])).rowCount! > 0,
        audit: (e) => insertAudit(q, { ...e, model }),
        notify: async (kind) => {
          await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ model, kind })]);
        },
      };
      return fn(t);
    });
  }
}
