// The persistence of training jobs (table training_jobs, migration 17643030000000): create, read, list,
// claim from the queue, progress, finish, cancel, and the recovery of jobs whose process died. Rows are
// mapped to plain TrainingJob objects here and never leave the store.
import * as crypto from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DomainError, notFound } from '../core/errors';
import { mapPgError } from './pg-errors';
import { inTransaction, withTransaction } from './transaction';

/** A job's state. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** States a job never leaves. */
export const TERMINAL: JobState[] = ['succeeded', 'failed', 'cancelled'];

/** Hyperparameters with their defaults filled in. */
export interface Hyperparameters {
  epochs: number;
  batchSize: number;
  learningRate: number;
  hidden: number[];
  vectorDim: number;
  catDim: number;
  grlLambda: number;
  workers: number;
  /** Early stopping's patience in epochs (0 = off); absent on jobs made before it existed (they ran without). */
  patience?: number;
  /** Sampled catalog negatives per training row (ml/train/negatives.ts); absent or 0 = none. */
  negatives?: number;
}

/** A job's progress, as stored and sent. */
export interface JobProgress {
  phase: string;
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  valMetricName: string;
  valMetric: number;
  examplesPerSec: number;
  etaS: number;
  fraction: number;
  /** Why the job has no validation metrics (a dataset without a validation part); empty when it has them. */
  validationNote: string;
}

/** A training job. */
export interface TrainingJob {
  id: string;
  model: string;
  versionName: string;
  datasetId: string;
  arch: string;
  task: string;
  hyperparameters: Hyperparameters;
  seed: number;
  state: JobState;
  progress: Partial<JobProgress>;
  metrics: Record<string, number>;
  backend: string;
  versionNumber: number | null;
  error: string;
  dataWindow: string;
  cancelRequested: boolean;
  createdBy: string;
  createTime: Date;
  startTime: Date | null;
  endTime: Date | null;
  updateTime: Date;
  lockKey: number;
  /** The seed group the version joins (tagged seed_group on registration); empty for a single-seed job. */
  seedGroup: string;
}

interface Row {
  id: string; model: string; version_name: string; dataset_id: string; arch: string; task: string;
  hyperparameters: Hyperparameters; seed: string; state: JobState; progress: Partial<JobProgress>; metrics: Record<string, number>;
  backend: string; version_number: number | null; error: string; data_window: string; cancel_requested: boolean;
  created_by: string; create_time: Date; start_time: Date | null; end_time: Date | null; update_time: Date; lock_key: string;
  seed_group: string;
}

function toJob(r: Row): TrainingJob {
  return {
    id: r.id, model: r.model, versionName: r.version_name, datasetId: r.dataset_id, arch: r.arch, task: r.task,
    hyperparameters: r.hyperparameters, seed: Number(r.seed), state: r.state, progress: r.progress ?? {}, metrics: r.metrics ?? {},
    backend: r.backend, versionNumber: r.version_number, error: r.error, dataWindow: r.data_window, cancelRequested: r.cancel_requested,
    createdBy: r.created_by, createTime: r.create_time, startTime: r.start_time, endTime: r.end_time, updateTime: r.update_time,
    lockKey: Number(r.lock_key), seedGroup: r.seed_group ?? '',
  };
}

/** What a new job is made from. */
export type NewJob = Pick<TrainingJob, 'model' | 'versionName' | 'datasetId' | 'arch' | 'task' | 'hyperparameters' | 'seed' | 'createdBy'> & { seedGroup?: string };

/** The advisory-lock class of training jobs: the process running a job holds (LOCK_CLASS, lock_key). */
const LOCK_CLASS = 7643;

/** The most jobs that may wait in the queue at once, platform-wide, unless MODELOPS_TRAINING_QUEUE_MAX says otherwise. */
export const DEFAULT_MAX_QUEUED = 100;

/**
 * The advisory lock that serialises the queue-length check with the insert: a single 64-bit key, a key space
 * that Postgres keeps apart from the two-key (LOCK_CLASS, lock_key) locks of running jobs.
 */
const QUEUE_LOCK = 76430001;

/** Training jobs in Postgres. */
export class JobStore {
  /** `maxQueued`: the most queued jobs at once; a start beyond it is refused with RESOURCE_EXHAUSTED. */
  constructor(private readonly pool: Pool, private readonly maxQueued = DEFAULT_MAX_QUEUED) {}

  /** Creates a queued job; ALREADY_EXISTS when a job for the same model and version name is queued or running. */
  async create(j: NewJob): Promise<TrainingJob> {
    return (await this.createAll([j]))[0];
  }

  /**
   * Creates queued jobs in one transaction (the seeds of a group): all of them or, when one collides with a queued
   * or running job of the same version name (ALREADY_EXISTS), none; RESOURCE_EXHAUSTED when they would take the
   * queue past `maxQueued` (checked and inserted under one lock, so concurrent starts from any number of processes
   * never overfill it).
   */
  async createAll(jobs: NewJob[]): Promise<TrainingJob[]> {
    let current: NewJob | undefined;
    try {
      return await withTransaction(this.pool, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1::bigint)', [QUEUE_LOCK]);
        const [{ n }] = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM training_jobs WHERE state = 'queued'`)).rows;
        if (n + jobs.length > this.maxQueued) {
          throw new DomainError('RESOURCE_EXHAUSTED', `the training queue is full (${n} jobs queued, at most ${this.maxQueued}: MODELOPS_TRAINING_QUEUE_MAX; `
            + `this request adds ${jobs.length}); start it once some have run, or cancel queued ones (\`modelops jobs list\`, \`modelops jobs cancel <id>\`)`);
        }
        const out: TrainingJob[] = [];
        for (const j of jobs) {
          current = j;
          const id = `tj-${crypto.randomBytes(6).toString('hex')}`;
          const r = await c.query<Row>(`
            INSERT INTO training_jobs (id, model, version_name, dataset_id, arch, task, hyperparameters, seed, state, progress, created_by, seed_group)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10, $11) RETURNING *`,
          [id, j.model, j.versionName, j.datasetId, j.arch, j.task, JSON.stringify(j.hyperparameters), j.seed,
            JSON.stringify({ phase: 'queued', epochs: j.hyperparameters.epochs }), j.createdBy, j.seedGroup ?? '']);
          out.push(toJob(r.rows[0]));
        }
        return out;
      });
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw mapPgError(err, { unique: `a job for version "${current?.versionName}" of model "${current?.model}" is already queued or running; wait for it or cancel it` });
    }
  }

  /** The job with this id; NOT_FOUND otherwise. */
  async get(id: string): Promise<TrainingJob> {
    const r = await this.pool.query<Row>('SELECT * FROM training_jobs WHERE id = $1', [id]);
    if (!r.rowCount) throw notFound(`training job "${id}" not found; list jobs with \`modelops jobs list\``);
    return toJob(r.rows[0]);
  }

  /** Jobs newest first, after the key [createTime ISO, id], at most `limit`. */
  async list(opts: { model?: string; after?: [string, string]; limit: number }): Promise<TrainingJob[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.model) {
      args.push(opts.model);
      where.push(`model = $${args.length}`);
    }
    if (opts.after) {
      args.push(opts.after[0], opts.after[1]);
      where.push(`(create_time, id) < ($${args.length - 1}::timestamptz, $${args.length})`);
    }
    args.push(opts.limit);
    const r = await this.pool.query<Row>(`SELECT * FROM training_jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY create_time DESC, id DESC LIMIT $${args.length}`, args);
    return r.rows.map(toJob);
  }

  /**
   * Claims the oldest queued job for this process: on `client` (the process's dedicated connection) it takes
   * the job's advisory lock, then marks it running, in one transaction. The lock lives as long as the
   * connection, so the death of the process releases it and recoverOrphans() can tell.
   */
  async claimNext(client: PoolClient, owner: string): Promise<TrainingJob | undefined> {
    // On the caller's client, not a pooled one: the session advisory lock taken here must outlive the transaction.
    return inTransaction(client, async (c) => {
      const r = await c.query<{ id: string; lock_key: string }>(`SELECT id, lock_key FROM training_jobs WHERE state = 'queued'
        ORDER BY create_time, id LIMIT 1 FOR UPDATE SKIP LOCKED`);
      if (!r.rowCount) return undefined;
      const { id, lock_key } = r.rows[0];
      await c.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, lockId(lock_key)]);
      const u = await c.query<Row>(`UPDATE training_jobs SET state = 'running', owner = $2, start_time = now(), update_time = now(),
        progress = progress || '{"phase": "loading"}'::jsonb WHERE id = $1 RETURNING *`, [id, owner]);
      return toJob(u.rows[0]);
    });
  }

  /** Takes again the advisory lock of a job this process runs (on a new connection, after the old one broke). */
  async relock(client: PoolClient, job: TrainingJob): Promise<boolean> {
    const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LOCK_CLASS, lockId(job.lockKey)]);
    return r.rows[0].ok;
  }

  /** Releases the advisory lock of a job this process ran. */
  async unlock(client: PoolClient, job: TrainingJob): Promise<void> {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, lockId(job.lockKey)]);
  }

  /** Writes progress (and the backend once known); returns whether a cancellation was requested. */
  async progress(id: string, p: Partial<JobProgress>, backend?: string): Promise<boolean> {
    const r = await this.pool.query<{ cancel_requested: boolean }>(`UPDATE training_jobs SET progress = progress || $2::jsonb,
      backend = COALESCE($3, backend), update_time = now() WHERE id = $1 AND state = 'running' RETURNING cancel_requested`,
    [id, JSON.stringify(p), backend ?? null]);
    return r.rows[0]?.cancel_requested ?? true;
  }

  /** Ends a running job. */
  async finish(id: string, state: Exclude<JobState, 'queued' | 'running'>, f: { error?: string; metrics?: Record<string, number>;
    versionNumber?: number; backend?: string; dataWindow?: string; progress?: Partial<JobProgress> }): Promise<void> {
    await this.pool.query(`UPDATE training_jobs SET state = $2, error = $3, metrics = COALESCE($4::jsonb, metrics),
      version_number = COALESCE($5, version_number), backend = COALESCE($6, backend), data_window = COALESCE($7, data_window),
      progress = progress || COALESCE($8::jsonb, '{}'::jsonb), end_time = now(), update_time = now()
      WHERE id = $1 AND state IN ('queued', 'running')`,
    [id, state, f.error ?? '', f.metrics ? JSON.stringify(f.metrics) : null, f.versionNumber ?? null, f.backend ?? null,
      f.dataWindow ?? null, f.progress ? JSON.stringify(f.progress) : null]);
  }

  /** Records a cancellation: a queued job is cancelled at once, a running one is flagged for its process. */
  async requestCancel(id: string): Promise<TrainingJob> {
    const job = await this.get(id);
    if (TERMINAL.includes(job.state)) throw new DomainError('FAILED_PRECONDITION', `training job "${id}" is ${job.state} already; only queued or running jobs can be cancelled`);
    await this.pool.query(`UPDATE training_jobs SET state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,
      end_time = CASE WHEN state = 'queued' THEN now() ELSE end_time END, cancel_requested = true, update_time = now()
      WHERE id = $1 AND state IN ('queued', 'running')`, [id]);
    return this.get(id);
  }

  /**
   * Marks failed every running job whose process is gone: nobody holds its advisory lock. `local` are the
   * jobs this process runs (its own session could re-take their locks, so they are skipped).
   */
  async recoverOrphans(client: PoolClient, local: Set<string>): Promise<string[]> {
    const r = await client.query<{ id: string; lock_key: string }>(`SELECT id, lock_key FROM training_jobs WHERE state = 'running'`);
    const failed: string[] = [];
    for (const { id, lock_key } of r.rows) {
      if (local.has(id)) continue;
      const t = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LOCK_CLASS, lockId(lock_key)]);
      if (!t.rows[0].ok) continue;
      try {
        const u = await client.query(`UPDATE training_jobs SET state = 'failed', end_time = now(), update_time = now(),
          error = 'the process running this job stopped before it finished (crash or shutdown); start it again'
          WHERE id = $1 AND state = 'running'`, [id]);
        if (u.rowCount) failed.push(id);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, lockId(lock_key)]);
      }
    }
    return failed;
  }
}

function lockId(key: string | number): number {
  return Number(BigInt(key) % 2147483647n);
}
