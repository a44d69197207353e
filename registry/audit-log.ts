// The audit log: one row per change of the registry (promotions, aliases, registrations, rollouts, deletions),
// appended in the transaction of the change it records (a refusal outside it, so that its rollback keeps it).
import type { Database } from './data-source';
import { invalid } from '../core/errors';
import type { ModelStore } from './model-store';
import { queryOn, type Query } from './transaction';

/**
 * Every action the audit log records (a closed set: writers are typed by it, and a filter naming another is
 * refused). The rollout store writes the `rollout-*` ones.
 */
export const AUDIT_ACTIONS = [
  'model-create', 'register', 'promote', 'rollback', 'alias-set', 'alias-delete', 'gate-set',
  'rollout-start', 'rollout-ramp', 'rollout-stop', 'rollout-guardrail-stop',
  'version-delete', 'evaluation-delete', 'dataset-delete', 'gc',
] as const;

/** One action of AUDIT_ACTIONS. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audit event. */
export interface AuditEvent {
  id: string;
  model: string;
  /**
   * What happened: `promote` (a refused or no-op one says so in `outcome`), `rollback`, `alias-set`, `alias-delete`,
   * `register`, `gate-set`, `model-create`, and the rollout store's `rollout-start`, `rollout-ramp`, `rollout-stop`,
   * `rollout-guardrail-stop`, and retention's `version-delete`, `evaluation-delete`, `dataset-delete` and `gc` (AUDIT_ACTIONS;
   * the last two are platform-wide, recorded under the empty model id).
   */
  action: string;
  actor: string;
  alias: string | null;
  fromVersion: number | null;
  toVersion: number | null;
  reason: string;
  /** `done`, `refused`, `forced` or `no-op`. */
  outcome: string;
  detail: Record<string, unknown> | null;
  time: Date;
}

/** The audit event to append (id and time are the database's). */
export type NewAuditEvent = Omit<AuditEvent, 'id' | 'time' | 'action' | 'fromVersion' | 'toVersion' | 'alias' | 'detail' | 'reason' | 'outcome'>
  & { action: AuditAction } & Partial<Pick<AuditEvent, 'fromVersion' | 'toVersion' | 'alias' | 'detail' | 'reason' | 'outcome'>>;


/** Appends an audit event through `q` (inside the caller's transaction, when `q` is one). */
export async function insertAudit(q: Query, e: NewAuditEvent): Promise<void> {
  await q(`
    INSERT INTO audit_events (model, action, actor, alias, from_version, to_version, reason, outcome, detail)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  [e.model, e.action, e.actor, e.alias ?? null, e.fromVersion ?? null, e.toVersion ?? null, e.reason ?? '', e.outcome ?? 'done',
    e.detail ? JSON.stringify(e.detail) : null]);
}

interface AuditSqlRow {
  id: string; model: string; action: string; actor: string; alias: string | null; from_version: number | null;
  to_version: number | null; reason: string; outcome: string; detail: Record<string, unknown> | null; time: Date;
}

function toAudit(r: AuditSqlRow): AuditEvent {
  return { id: String(r.id), model: r.model, action: r.action, actor: r.actor, alias: r.alias, fromVersion: r.from_version,
    toVersion: r.to_version, reason: r.reason, outcome: r.outcome, detail: r.detail, time: r.time };
}

/** Reading and appending audit events. */
export interface AuditLog {
  /** Appends an audit event outside a model lock (for refusals, whose transaction must not roll it back). */
  appendAudit(e: NewAuditEvent): Promise<void>;
  /**
   * Audit events of a model, newest first, with id below `before`, at most `limit`; optionally only `actions`
   * (INVALID_ARGUMENT naming the set for an action not in AUDIT_ACTIONS). The empty model id lists the
   * platform-wide events (deleted datasets, garbage collections); another unknown model is NOT_FOUND.
   */
  listAudit(model: string, opts: { before?: string; limit: number; actions?: string[] }): Promise<AuditEvent[]>;
}

/** The audit log in the `audit_events` table. */
export class PgAuditLog implements AuditLog {
  constructor(private readonly db: Database, private readonly models: Pick<ModelStore, 'getModel'>) {}

  async appendAudit(e: NewAuditEvent): Promise<void> {
    await insertAudit(queryOn(this.db.pool), e);
  }

  async listAudit(model: string, opts: { before?: string; limit: number; actions?: string[] }): Promise<AuditEvent[]> {
    // A misspelt action would silently list nothing: refuse it and name the set.
    for (const a of opts.actions ?? []) {
      if (!(AUDIT_ACTIONS as readonly string[]).includes(a)) throw invalid(`actions: "${a}" is not an audit action; use one of ${AUDIT_ACTIONS.join(', ')}`);
    }
    if (model !== '') await this.models.getModel(model);
    const params: unknown[] = [model, opts.limit];
    let where = 'model = $1';
    if (opts.before !== undefined) {
      params.push(opts.before);
      where += ` AND id < $${params.length}`;
    }
    if (opts.actions?.length) {
      params.push(opts.actions);
      where += ` AND action = ANY($${params.length}::text[])`;
    }
    const r = await this.db.pool.query<AuditSqlRow>(`SELECT * FROM audit_events WHERE ${where} ORDER BY id DESC LIMIT $2`, params);
    return r.rows.map(toAudit);
  }
}
