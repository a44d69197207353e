// Evaluation records: the evaluation service's jobs and reports (it owns their meaning; the registry stores
// them), and the reads the promotion gate makes of them.
import type { Repository } from 'typeorm';
import type { Database } from './data-source';
import { EvaluationEntity, type EvaluationRow } from './entities/evaluation.entity';
import { notFound } from '../core/errors';
import { mapPgError } from './pg-errors';
import { queryOn, type Query } from './transaction';

/** An evaluation record (the evaluation service owns its meaning; the registry stores it). */
export interface EvaluationRecord {
  id: string;
  model: string;
  candidate: number;
  baseline: number | null;
  datasetId: string;
  target: string;
  /** Lower case: `pending`, `running`, `succeeded`, `failed`, `cancelled` (the gate reads `succeeded`). */
  state: string;
  report: Record<string, unknown> | null;
  error?: string | null;
  params?: Record<string, unknown> | null;
  progress?: number;
  createdBy: string;
  createTime?: Date;
  updateTime?: Date;
}

/** What identifies the evaluation a promotion gate reads. */
export interface GateEvaluationQuery {
  candidate: number;
  baseline: number;
  datasetId: string;
  target: string;
  /** `viewed` or `catalog`; an evaluation made with `both` serves either. */
  protocol: string;
  /** Only seed-group evaluations (`params.group` set), for a gate policy with min_seeds. */
  group?: boolean;
}

/** States the gate accepts as a finished, usable evaluation. */
export const COMPLETED_EVALUATION_STATES = ['succeeded', 'completed', 'done'];

/** The newest completed evaluation of a pair, as the gate's "which evaluation did you mean" hint reads it. */
export interface CompletedEvaluation {
  id: string;
  report: Record<string, unknown>;
  datasetId: string;
  target: string;
  params: Record<string, unknown> | null;
  updateTime: Date;
}

/** Storing evaluation records and finding the ones a promotion gate may read. */
export interface EvaluationStore {
  /** Creates or updates an evaluation record (by id); NOT_FOUND when its model does not exist. */
  saveEvaluation(e: EvaluationRecord): Promise<void>;
  /** One evaluation; NOT_FOUND otherwise. */
  getEvaluation(id: string): Promise<EvaluationRecord>;
  /** Evaluations of a model, newest first, after the keyset `after` ([create time ISO, id]), at most `limit`. */
  listEvaluations(model: string, filter: { candidate?: number; state?: string },
    page: { after?: [string, string]; limit: number }): Promise<EvaluationRecord[]>;
  /**
   * The newest completed evaluation of `candidate` against `baseline` (of any target, protocol or dataset), or
   * undefined; `via` runs it in a transaction such as withModelLock's (never wait for a pool client while
   * holding a lock).
   */
  latestCompletedEvaluation(model: string, candidate: number, baseline: number, via?: { query: Query }): Promise<CompletedEvaluation | undefined>;
  /**
   * The newest completed evaluation that a gate may read: of `candidate` against `baseline`, on `datasetId`
   * (with or without the `datasets/` prefix), of `target`, made with `protocol` or with both protocols
   * (`params.protocol`; an evaluation without one is a viewed one, made before protocols existed). `via` as above.
   */
  latestGateEvaluation(model: string, q: GateEvaluationQuery, via?: { query: Query }): Promise<EvaluationRecord | undefined>;
  /** The label a dataset was built with (`spec.label` of the datasets table), or undefined for an unknown dataset. */
  datasetLabel(id: string): Promise<string | undefined>;
}

function toEvaluation(r: EvaluationRow): EvaluationRecord {
  return {
    id: r.id, model: r.model, candidate: r.candidate, baseline: r.baseline, datasetId: r.datasetId, target: r.target,
    state: r.state, report: r.report, error: r.error, params: r.params, progress: r.progress, createdBy: r.createdBy,
    createTime: r.createTime, updateTime: r.updateTime,
  };
}

/** Evaluation records in the `evaluations` table. */
export class PgEvaluationStore implements EvaluationStore {
  private readonly evaluations: Repository<EvaluationRow>;

  constructor(private readonly db: Database) {
    this.evaluations = db.dataSource.getRepository(EvaluationEntity);
  }

  async saveEvaluation(e: EvaluationRecord): Promise<void> {
    try {
      await this.db.pool.query(`
        INSERT INTO evaluations (id, model, candidate, baseline, dataset_id, target, state, report, error, params, progress, created_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        ON CONFLICT (id) DO UPDATE SET baseline = EXCLUDED.baseline, dataset_id = EXCLUDED.dataset_id, target = EXCLUDED.target,
          state = EXCLUDED.state, report = EXCLUDED.report, error = EXCLUDED.error,
          params = COALESCE(EXCLUDED.params, evaluations.params), progress = EXCLUDED.progress, update_time = now()`,
      [e.id, e.model, e.candidate, e.baseline, e.datasetId ?? '', e.target ?? '', e.state, e.report ? JSON.stringify(e.report) : null,
        e.error ?? null, e.params ? JSON.stringify(e.params) : null, e.progress ?? 0, e.createdBy]);
    } catch (err) {
      throw mapPgError(err, { foreignKey: `model "${e.model}" not found` });
    }
  }

  /** One evaluation; NOT_FOUND otherwise. */
  async getEvaluation(id: string): Promise<EvaluationRecord> {
    const row = await this.evaluations.findOneBy({ id });
    if (!row) throw notFound(`evaluation "${id}" not found; list a model's evaluations with \`modelops evaluations list <model>\``);
    return toEvaluation(row);
  }

  /** Evaluations of a model, newest first, after the keyset `after` ([create time ISO, id]), at most `limit`. */
  async listEvaluations(model: string, filter: { candidate?: number; state?: string },
    page: { after?: [string, string]; limit: number }): Promise<EvaluationRecord[]> {
    const q = this.evaluations.createQueryBuilder('e').where('e.model = :model', { model })
      .orderBy('e.create_time', 'DESC').addOrderBy('e.id', 'DESC').take(page.limit);
    if (filter.candidate !== undefined) q.andWhere('e.candidate = :c', { c: filter.candidate });
    if (filter.state) q.andWhere('e.state = :s', { s: filter.state });
    // The token's time is a JS Date (ms) but Postgres keeps µs: compare with the last row's exact time, looked up
    // by its id, so rows created within the same millisecond are neither skipped nor repeated.
    if (page.after) {
      q.andWhere('(e.create_time, e.id) < (COALESCE((SELECT x.create_time FROM evaluations x WHERE x.id = :id), CAST(:at AS timestamptz)), :id)',
        { at: page.after[0], id: page.after[1] });
    }
    return (await q.getMany()).map(toEvaluation);
  }

  /** Runs SQL in `via` (a transaction such as withModelLock's: never wait for a pool client while holding a lock) or on the pool. */
  private rows<R extends object>(via: { query: Query } | undefined, sql: string, params: unknown[]): Promise<R[]> {
    return via ? via.query<R>(sql, params) : queryOn(this.db.pool)<R>(sql, params);
  }

  /** The newest completed evaluation of `candidate` against `baseline` (of any target, protocol or dataset), or undefined. */
  async latestCompletedEvaluation(model: string, candidate: number, baseline: number, via?: { query: Query }): Promise<CompletedEvaluation | undefined> {
    const r = await this.rows<{ id: string; report: Record<string, unknown>; dataset_id: string; target: string; params: Record<string, unknown> | null; update_time: Date }>(via, `
      SELECT id, report, dataset_id, target, params, update_time FROM evaluations
      WHERE model = $1 AND candidate = $2 AND baseline = $3 AND lower(state) = ANY($4::text[]) AND report IS NOT NULL
      ORDER BY update_time DESC, create_time DESC LIMIT 1`, [model, candidate, baseline, COMPLETED_EVALUATION_STATES]);
    const x = r[0];
    return x ? { id: x.id, report: x.report, datasetId: x.dataset_id, target: x.target, params: x.params, updateTime: x.update_time } : undefined;
  }

  /**
   * The newest completed evaluation that a gate may read: of `candidate` against `baseline`, on `datasetId`
   * (with or without the `datasets/` prefix), of `target`, made with `protocol` or with both protocols
   * (`params.protocol`; an evaluation without one is a viewed one, made before protocols existed).
   */
  async latestGateEvaluation(model: string, q: GateEvaluationQuery, via?: { query: Query }): Promise<EvaluationRecord | undefined> {
    const r = await this.rows<EvaluationRow>(via, `
      SELECT id, model, candidate, baseline, dataset_id AS "datasetId", target, state, report, error, params, progress,
        created_by AS "createdBy", create_time AS "createTime", update_time AS "updateTime"
      FROM evaluations
      WHERE model = $1 AND candidate = $2 AND baseline = $3 AND lower(state) = ANY($4::text[]) AND report IS NOT NULL
        AND regexp_replace(dataset_id, '^datasets/', '') = $5 AND target = $6
        AND COALESCE(NULLIF(params->>'protocol', ''), 'viewed') = ANY($7::text[])
        AND (NOT $8::boolean OR COALESCE(params->>'group', '') <> '')
      ORDER BY update_time DESC, create_time DESC LIMIT 1`,
    [model, q.candidate, q.baseline, COMPLETED_EVALUATION_STATES, q.datasetId.replace(/^datasets\//, ''), q.target, [q.protocol, 'both'], !!q.group]);
    return r[0] ? toEvaluation(r[0]) : undefined;
  }

  /** The label a dataset was built with (`spec.label` of the datasets table), or undefined for an unknown dataset. */
  async datasetLabel(id: string): Promise<string | undefined> {
    const r = await this.db.pool.query<{ label: string | null }>(`SELECT spec->>'label' AS label FROM datasets WHERE id = $1`,
      [id.replace(/^datasets\//, '')]);
    return r.rows[0]?.label || undefined;
  }
}
