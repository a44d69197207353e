// Shadow statistics: how each shadow version of a rollout agreed with the served arm and how fast it scored,
// flushed by the scoring replicas as sums so that flushes of many replicas add up.
import type { Database } from './data-source';

/** A flush of shadow statistics for one version of one rollout (sums, so flushes add up). */
export interface ShadowStatsDelta {
  rolloutId: string;
  version: string;
  offered: number;
  scored: number;
  shed: number;
  failed: number;
  corrCount: number;
  sumSpearman: number;
  sumKendall: number;
  sumLatencyMs: number;
  /** Counts per latency bucket (shadow-queue.ts LATENCY_BUCKETS_MS). */
  latencyHist: number[];
  topK: number;
}

/** The total shadow statistics of one version. */
export type ShadowStatsTotal = Omit<ShadowStatsDelta, 'rolloutId'>;

/** Appending and summing shadow statistics. */
export interface ShadowStatsStore {
  /** Appends a flush of shadow statistics. */
  addShadowStats(d: ShadowStatsDelta): Promise<void>;
  /** The shadow statistics of a rollout, summed per version. */
  shadowStats(rolloutId: string): Promise<ShadowStatsTotal[]>;
}

/** Shadow statistics in `rollout_shadow_stats`. */
export class PgShadowStatsStore implements ShadowStatsStore {
  constructor(private readonly db: Database) {}

  /** Appends a flush of shadow statistics. */
  async addShadowStats(d: ShadowStatsDelta): Promise<void> {
    await this.db.pool.query(`
      INSERT INTO rollout_shadow_stats (rollout_id, version, offered, scored, shed, failed, corr_count, sum_spearman, sum_kendall, sum_latency_ms, latency_hist, top_k)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [d.rolloutId, d.version, d.offered, d.scored, d.shed, d.failed, d.corrCount, d.sumSpearman, d.sumKendall, d.sumLatencyMs,
      JSON.stringify(d.latencyHist), d.topK]);
  }

  /** The shadow statistics of a rollout, summed per version. */
  async shadowStats(rolloutId: string): Promise<ShadowStatsTotal[]> {
    const r = await this.db.pool.query<{ version: string; offered: string; scored: string; shed: string; failed: string; corr_count: string;
      sum_spearman: number; sum_kendall: number; sum_latency_ms: number; latency_hist: number[]; top_k: number }>(
      'SELECT * FROM rollout_shadow_stats WHERE rollout_id = $1 ORDER BY id', [rolloutId]);
    const by = new Map<string, ShadowStatsTotal>();
    for (const x of r.rows) {
      let s = by.get(x.version);
      if (!s) by.set(x.version, (s = { version: x.version, offered: 0, scored: 0, shed: 0, failed: 0, corrCount: 0, sumSpearman: 0,
        sumKendall: 0, sumLatencyMs: 0, latencyHist: [], topK: x.top_k }));
      s.offered += Number(x.offered);
      s.scored += Number(x.scored);
      s.shed += Number(x.shed);
      s.failed += Number(x.failed);
      s.corrCount += Number(x.corr_count);
      s.sumSpearman += x.sum_spearman;
      s.sumKendall += x.sum_kendall;
      s.sumLatencyMs += x.sum_latency_ms;
      x.latency_hist.forEach((c, i) => { s!.latencyHist[i] = (s!.latencyHist[i] ?? 0) + c; });
    }
    return [...by.values()];
  }
}
