// Exposure counting for the sample-ratio check: every scoring replica notes which user each arm served,
// under which weights, on which day and handset maker, and writes each such fact once. Unlike the served
// log and shadow statistics, nothing here is ever shed: a lost exposure in one arm would itself look like a
// sample-ratio mismatch. Memory is one key per (rollout, weights, arm, user, day, maker) of the current day;
// a failed write keeps its rows for the next flush.
import type { Logger } from 'pino';
import { weightsKey, type ExposureRecord } from '../../registry/rollout-store';

/** What the log needs about the rollout that served a call. */
export interface ExposedPlan {
  /** The rollout's id. */
  id: string;
  /** Its arms with the weights this replica serves under. */
  arms: { name: string; weight: number }[];
}

/** Options of the log. */
export interface ExposureLogOptions {
  /** Writes a batch (RolloutStore.recordExposures). */
  sink: (rows: ExposureRecord[]) => Promise<void>;
  /** Flush period in ms; 0 disables the timer. Default 2,000. */
  flushMs?: number;
  log: Logger;
}

/** The log. */
export class ExposureLog {
  private seen = new Set<string>();
  private day = '';
  private pending: ExposureRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private readonly keys = new WeakMap<ExposedPlan, string>();
  /** Exposures written so far. */
  written = 0;
  /** Writes that failed (their rows were kept and retried). */
  failedWrites = 0;

  constructor(private readonly opts: ExposureLogOptions) {
    const every = opts.flushMs ?? 2000;
    if (every > 0) {
      this.timer = setInterval(() => { void this.flush(); }, every);
      this.timer.unref();
    }
  }

  /** Notes that `arm` of `plan` served `userId` now; O(1), never waits. */
  record(plan: ExposedPlan, arm: string, userId: string, handsetMaker: string | undefined, now = new Date()): void {
    const day = now.toISOString().slice(0, 10);
    if (day !== this.day) {
      // Keys of past days cannot recur: forget them.
      this.day = day;
      this.seen = new Set();
    }
    let weights = this.keys.get(plan);
    if (weights === undefined) {
      weights = weightsKey(plan.arms.map((a) => ({ version: a.name, weight: a.weight })));
      this.keys.set(plan, weights);
    }
    const maker = handsetMaker ?? '';
    const key = `${plan.id}\u0001${weights}\u0001${arm}\u0001${userId}\u0001${maker}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.pending.push({ rolloutId: plan.id, weights, arm, userId, day, handsetMaker: maker, time: now });
  }

  /** Writes what is pending (one write at a time); a failed write keeps its rows for the next flush. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.flushing = this.opts.sink(rows).then(() => { this.written += rows.length; }, (err: unknown) => {
      this.failedWrites++;
      this.pending = rows.concat(this.pending);
      this.opts.log.warn({ err, rows: rows.length }, 'scoring: could not write exposures; kept for the next flush');
    }).finally(() => { this.flushing = undefined; });
    await this.flushing;
  }

  /** Stops the timer and writes the rest. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
