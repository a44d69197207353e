// Shadow scoring off the latency path: a small bounded queue that the scoring service offers work to AFTER
// it has sent the response. It never makes a served request wait: an offer is O(1) and returns at once;
// when the queue is full or the caller reports load (`busy()`), the work is shed (dropped and counted).
// Jobs run one (or `concurrency`) at a time on a later turn of the event loop. Per (rollout, shadow
// version) it records offered/scored/shed/failed, the rank correlation between the served ranking and the
// shadow's over the served top K (Spearman and Kendall tau-b), and the shadow latency (mean and a
// histogram for quantiles); `flush` hands the sums to a sink (ShadowStatsStore.addShadowStats, registry/shadow-stats-store.ts) that stores them.
//
// No I/O of its own: the scoring service passes `run` (how to score with the shadow version) and the sink.
import type { ShadowStatsDelta } from '../../registry/shadow-stats-store';
import { topKCorrelation } from '../../ml/metrics/rank-correlation';

/** Upper bounds of the latency histogram buckets in ms; the last catches everything above. */
export const LATENCY_BUCKETS_MS = [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, Infinity];

/** One unit of shadow work, offered after the served response went out. */
export interface ShadowJob {
  /** The rollout whose shadow version this is (RolloutPlan.id). */
  rolloutId: string;
  /** The shadow version's name. */
  version: string;
  /** The served ranking's item ids, best first (at least the top K). */
  served: string[];
  /** Scores the same request with the shadow version: item ids and their scores (any order). */
  run(): Promise<{ itemIds: string[]; scores: ArrayLike<number> }>;
}

/** Sums of one (rollout, version), as flushed to the store (flushes add up): the rollout store's own row shape. */
export type ShadowDelta = ShadowStatsDelta;

/** Options of a ShadowQueue. */
export interface ShadowQueueOptions {
  /** Jobs waiting at most; an offer beyond this is shed. Default 32. */
  maxQueue?: number;
  /** Jobs running at once. Default 1. */
  concurrency?: number;
  /** K of the rank correlation (the served top K). Default 50. */
  topK?: number;
  /** True when the process is under load: offers are shed and queued jobs are dropped instead of run. */
  busy?: () => boolean;
  /** Stores flushed sums (for example `(ds) => Promise.all(ds.map((d) => rolloutStore.addShadowStats(d)))`). */
  sink?: (deltas: ShadowDelta[]) => Promise<void>;
  /** Flush period in ms; 0 disables the timer (call flush yourself). Default 10,000. */
  flushMs?: number;
  /** Clock in ms (tests pass a fake). */
  now?: () => number;
  /** Called when a sink or job fails (a log line); never thrown to the scoring path. */
  onError?: (err: unknown) => void;
}

/** A histogram quantile: the upper bound of the bucket where the cumulative count reaches q (0 when empty). */
export function histQuantile(hist: number[], q: number): number {
  const total = hist.reduce((s, c) => s + (c ?? 0), 0);
  if (total === 0) return 0;
  let cum = 0;
  for (let i = 0; i < hist.length; i++) {
    cum += hist[i] ?? 0;
    if (cum >= q * total) {
      const b = LATENCY_BUCKETS_MS[i];
      return Number.isFinite(b) ? b : LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 2];
    }
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 2];
}

/** The bounded, shedding shadow queue (see the file comment). */
export class ShadowQueue {
  private readonly queue: ShadowJob[] = [];
  private running = 0;
  private readonly sums = new Map<string, ShadowDelta>();
  private readonly timer?: NodeJS.Timeout;
  private readonly idle: (() => void)[] = [];
  private closed = false;
  private readonly maxQueue: number;
  private readonly concurrency: number;
  /** K of the rank correlation: the served top K compared with the shadow's scores of those items. */
  readonly topK: number;
  private readonly now: () => number;

  constructor(private readonly opts: ShadowQueueOptions = {}) {
    this.maxQueue = opts.maxQueue ?? 32;
    this.concurrency = opts.concurrency ?? 1;
    this.topK = opts.topK ?? 50;
    this.now = opts.now ?? (() => performance.now());
    const every = opts.flushMs ?? 10_000;
    if (opts.sink && every > 0) {
      this.timer = setInterval(() => { void this.flush(); }, every);
      this.timer.unref();
    }
  }

  private sumOf(job: { rolloutId: string; version: string }): ShadowDelta {
    const key = `${job.rolloutId}\0${job.version}`;
    let s = this.sums.get(key);
    if (!s) {
      this.sums.set(key, (s = { rolloutId: job.rolloutId, version: job.version, offered: 0, scored: 0, shed: 0, failed: 0, corrCount: 0,
        sumSpearman: 0, sumKendall: 0, sumLatencyMs: 0, latencyHist: new Array(LATENCY_BUCKETS_MS.length).fill(0), topK: this.topK }));
    }
    return s;
  }

  /** Offers a job; returns false when it was shed (queue full, closed, or the caller busy). Never throws, never waits. */
  offer(job: ShadowJob): boolean {
    const s = this.sumOf(job);
    s.offered++;
    if (this.closed || this.queue.length >= this.maxQueue || this.opts.busy?.()) {
      s.shed++;
      return false;
    }
    this.queue.push(job);
    this.pump();
    return true;
  }

  /** Jobs waiting and running now. */
  get depth(): { queued: number; running: number } {
    return { queued: this.queue.length, running: this.running };
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      // setImmediate: the job starts after pending I/O callbacks, so a response being written goes first.
      setImmediate(() => { void this.execute(job); });
    }
    if (this.running === 0 && this.queue.length === 0) for (const f of this.idle.splice(0)) f();
  }

  private async execute(job: ShadowJob): Promise<void> {
    const s = this.sumOf(job);
    try {
      if (this.opts.busy?.()) {
        s.shed++;
        return;
      }
      const t0 = this.now();
      const out = await job.run();
      const ms = this.now() - t0;
      s.scored++;
      s.sumLatencyMs += ms;
      s.latencyHist[LATENCY_BUCKETS_MS.findIndex((b) => ms <= b)]++;
      const c = topKCorrelation(job.served, out.itemIds, out.scores, this.topK);
      if (Number.isFinite(c.spearman) && Number.isFinite(c.kendall)) {
        s.corrCount++;
        s.sumSpearman += c.spearman;
        s.sumKendall += c.kendall;
      }
    } catch (err) {
      s.failed++;
      this.opts.onError?.(err);
    } finally {
      this.running--;
      this.pump();
    }
  }

  /** The sums since the last flush, without resetting them. */
  snapshot(): ShadowDelta[] {
    return [...this.sums.values()].map((s) => ({ ...s, latencyHist: [...s.latencyHist] }));
  }

  /** Hands the sums since the last flush to the sink and resets them; a failed sink keeps nothing (counts are best effort). */
  async flush(): Promise<ShadowDelta[]> {
    const deltas = [...this.sums.values()].filter((s) => s.offered > 0 || s.scored > 0 || s.failed > 0);
    this.sums.clear();
    if (deltas.length && this.opts.sink) await this.opts.sink(deltas).catch((err: unknown) => this.opts.onError?.(err));
    return deltas;
  }

  /** Resolves once nothing is queued or running. */
  drained(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  /** Stops taking work, waits for running jobs, drops queued ones (counted as shed) and flushes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const job of this.queue.splice(0)) this.sumOf(job).shed++;
    await this.drained();
    await this.flush();
  }
}
