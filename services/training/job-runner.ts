// Runs queued training jobs, a bounded number at a time (MODELOPS_TRAINING_CONCURRENCY, default 1: one job
// already uses both cores of a small machine), on a dedicated Postgres connection that holds each running
// job's advisory lock. At start and every few seconds it marks failed the running jobs whose process died
// (nobody holds their lock) and claims queued ones. Progress is written at most once a second; a
// cancellation flagged by any replica reaches the job through that write and stops its workers.
import * as crypto from 'node:crypto';
import type { PoolClient } from 'pg';
import type { Database } from '../../registry/data-source';
import { TrainCancelled } from '../../ml/train/trainer';
import { DomainError, isUnavailable } from '../../core/errors';
import type { JobProgress, JobStore, TrainingJob } from '../../registry/job-store';
import { runTrainJob, type TrainJobDeps } from './train-job';

/** The runner's settings. */
export interface RunnerOptions {
  concurrency: number;
  /** Milliseconds between queue and orphan checks. */
  pollMs: number;
}

/** The job runner of one process. */
export class JobRunner {
  readonly owner = `trainer-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  private client: PoolClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Map<string, { job: TrainingJob; ac: AbortController; done: Promise<void> }>();
  private pumping: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly db: Database, private readonly store: JobStore, private readonly deps: TrainJobDeps, private readonly opts: RunnerOptions) {}

  /** Connects, fails orphaned jobs and starts taking jobs from the queue. */
  async start(): Promise<void> {
    await this.connect();
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.opts.pollMs);
    this.timer.unref();
  }

  /**
   * Takes the dedicated connection. When it breaks (Postgres restarted) the runner drops it and the next tick
   * connects again and takes the locks of its running jobs back, so the queue recovers by itself.
   */
  private async connect(): Promise<void> {
    const c = await this.db.pool.connect();
    c.on('error', (err) => {
      if (this.client !== c) return;
      this.deps.log.warn({ err: err.message }, 'training runner connection lost; reconnecting at the next queue check');
      this.client = undefined;
      c.release(err);
    });
    this.client = c;
    for (const [id, r] of this.running) {
      if (!(await this.store.relock(c, r.job))) this.deps.log.warn({ job: id }, 'the lock of a running job was taken meanwhile; another server may mark it failed');
    }
  }

  /** Checks for orphans and free slots now (also called after a job is queued or ends). */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pumping ??= (async () => {
      try {
        if (!this.client) await this.connect();
        const failed = await this.store.recoverOrphans(this.client!, new Set(this.running.keys()));
        if (failed.length) this.deps.log.warn({ jobs: failed }, 'marked training jobs of a dead process failed');
        while (!this.closed && this.running.size < this.opts.concurrency) {
          const job = await this.store.claimNext(this.client!, this.owner);
          if (!job) break;
          this.launch(job);
        }
      } catch (err) {
        if (isUnavailable(err)) {
          // Postgres is down or restarting: drop the connection (if it is the broken part) and try again next tick.
          this.deps.log.warn({ err: (err as Error).message }, 'training queue check: the database cannot be reached; retrying');
          const c = this.client;
          this.client = undefined;
          c?.release(err as Error);
        } else {
          this.deps.log.error({ err }, 'training queue check failed');
        }
      } finally {
        this.pumping = undefined;
      }
    })();
    return this.pumping;
  }

  /** Stops a job of this process at once (after the store recorded the request). */
  cancelLocal(id: string): boolean {
    const r = this.running.get(id);
    if (!r) return false;
    r.ac.abort();
    return true;
  }

  private launch(job: TrainingJob): void {
    const ac = new AbortController();
    const log = this.deps.log.child({ job: job.id });
    let pending: Partial<JobProgress> = {};
    let pendingBackend: string | undefined;
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();
    const flush = () => {
      const p = pending;
      const b = pendingBackend;
      pending = {};
      lastWrite = Date.now();
      writing = writing.then(async () => {
        const cancel = await this.store.progress(job.id, p, b);
        if (cancel && !ac.signal.aborted) {
          log.info('cancellation requested; stopping');
          ac.abort();
        }
      }).catch((err: unknown) => log.error({ err }, 'progress write failed'));
    };
    const progress = (p: Partial<JobProgress>, backend?: string) => {
      pending = { ...pending, ...p };
      if (backend) pendingBackend = backend;
      if (Date.now() - lastWrite >= 1000 || p.phase !== 'training') flush();
    };
    // A heartbeat write also when training is silent, so a cancellation is seen within a second or two.
    const beat = setInterval(() => flush(), 1000);
    const done = (async () => {
      try {
        const r = await runTrainJob(job, this.deps, ac.signal, progress);
        clearInterval(beat);
        flush();
        await writing;
        await this.store.finish(job.id, 'succeeded', { metrics: r.metrics, versionNumber: r.version.number, backend: r.backend,
          dataWindow: r.dataWindow, progress: { phase: 'done', fraction: 1, etaS: 0 } });
        log.info({ version: r.version.number }, 'training job succeeded');
      } catch (err) {
        clearInterval(beat);
        await writing;
        if (this.closed) {
          await this.store.finish(job.id, 'failed', { error: 'the server stopped while the job ran; start it again', progress: { phase: 'failed' } });
        } else if (ac.signal.aborted || err instanceof TrainCancelled) {
          await this.store.finish(job.id, 'cancelled', { progress: { phase: 'cancelled' } });
          log.info('training job cancelled');
        } else {
          const message = err instanceof DomainError ? err.message : `internal error: ${(err as Error).message}`;
          if (!(err instanceof DomainError)) log.error({ err }, 'training job failed');
          await this.store.finish(job.id, 'failed', { error: message, progress: { phase: 'failed' } });
        }
      } finally {
        this.running.delete(job.id);
        if (this.client && !this.closed) await this.store.unlock(this.client, job).catch(() => undefined);
        if (!this.closed) void this.tick();
      }
    })();
    this.running.set(job.id, { job, ac, done });
  }

  /** Stops: running jobs are stopped and marked failed (they did not finish), the connection is released. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.pumping;
    const jobs = [...this.running.entries()];
    for (const [id, r] of jobs) {
      r.ac.abort();
      await r.done.catch(() => undefined);
      void id;
    }
    this.client?.release();
    this.client = undefined;
  }
}
