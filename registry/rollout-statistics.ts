// The A/B statistics of a rollout, aggregated in SQL over the rollout log: the WTG reference, per-arm
// sufficient statistics for the readout, the sample-ratio counts, CUPED sums and watch time by day since
// exposure. ml/rollout/ turns them into estimates and tests.
import type { Database } from './data-source';
import type { ArmSums, ClusterSums, MetricKey, WtgReference } from '../ml/rollout/readout';
import type { SrmGroup } from '../ml/rollout/srm';
import type { CupedSums } from '../ml/rollout/cuped';
import type { Rollout } from './rollout-store';
import { weightsKey } from './rollout-log';

/** Parses weightsKey's text back into arm -> weight. */
function parseWeightsKey(k: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of k.split(',').filter(Boolean)) {
    const i = part.lastIndexOf('=');
    out[part.slice(0, i)] = Number(part.slice(i + 1));
  }
  return out;
}

/** Per-arm CUPED sums with how many users had a pre-exposure covariate. */
export interface ArmCupedSums {
  arm: string;
  sums: CupedSums;
  usersWithCovariate: number;
}

/**
 * The duration group of a length in SQL: the number of edges strictly below it (readout.ts groupOf).
 * width_bucket(x, t) counts the thresholds t <= x, so over the negated edges in ascending order
 * width_bucket(-len, -edges) counts the edges >= len, and the group is n - that. One call per row instead of
 * a subquery over the edges (measured ~2x faster in bench/outcomes.bench.ts). `$arr` holds the negated edges.
 */
const GROUP_SQL = (len: string, arr: string) => `(cardinality(${arr}::float8[]) - width_bucket(-${len}, ${arr}::float8[]))`;

/** The argument GROUP_SQL expects: the edges negated, ascending. */
function edgesArg(edges: number[]): number[] {
  return edges.map((e) => -e).reverse();
}

/** The aggregates of a rollout's log that its readout, guardrails, ramps and report read. */
export class RolloutStatistics {
  constructor(private readonly db: Database) {}

  /**
   * The WTG reference of a rollout's outcomes: decile edges of video length (percentile_disc, the cut of
   * ml/rollout/readout.ts wtgReference) and the mean timespent per group.
   */
  async wtgReference(rolloutId: string, k = 10): Promise<WtgReference> {
    const fractions = Array.from({ length: k - 1 }, (_, i) => (i + 1) / k);
    const r = await this.db.pool.query<{ edges: number[] | null; max: number | null }>(`
      SELECT percentile_disc($2::float8[]) WITHIN GROUP (ORDER BY video_length_s) AS edges, max(video_length_s) AS max
      FROM rollout_outcomes WHERE rollout_id = $1 AND video_length_s > 0`, [rolloutId, fractions]);
    const raw = r.rows[0]?.edges ?? [];
    const max = r.rows[0]?.max ?? 0;
    const edges: number[] = [];
    for (const e of raw.map(Number)) if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
    while (edges.length && edges[edges.length - 1] >= max) edges.pop();
    if (max <= 0) return { edges: [], means: [] };
    const g = await this.db.pool.query<{ g: string; mean: number }>(`
      SELECT ${GROUP_SQL('o.video_length_s', '$2')} AS g, avg(o.timespent_s) AS mean
      FROM rollout_outcomes o WHERE o.rollout_id = $1 AND o.video_length_s > 0 GROUP BY 1`, [rolloutId, edgesArg(edges)]);
    const means = new Array(edges.length + 1).fill(0);
    for (const x of g.rows) means[Number(x.g)] = Number(x.mean);
    return { edges, means };
  }

  /** Per-arm sufficient statistics of a rollout's outcomes, aggregated in SQL (the twin of readout.ts sumsOf). */
  async armSums(rolloutId: string, ref: WtgReference): Promise<ArmSums[]> {
    const r = await this.db.pool.query<Record<string, string>>(`
      WITH u AS (
        SELECT arm, user_id, count(*)::float8 AS n, sum(timespent_s) AS watch,
          count(*) FILTER (WHERE video_length_s > 0)::float8 AS known,
          count(*) FILTER (WHERE video_length_s > 0 AND timespent_s >
            ($3::float8[])[1 + ${GROUP_SQL('video_length_s', '$2')}])::float8 AS wtg,
          count(*) FILTER (WHERE video_length_s > 0 AND timespent_s / video_length_s >= 0.9)::float8 AS done
        FROM rollout_outcomes WHERE rollout_id = $1 GROUP BY arm, user_id
      ), q AS (
        SELECT arm, count(DISTINCT request_id) FILTER (WHERE request_id <> '') AS requests FROM rollout_outcomes WHERE rollout_id = $1 GROUP BY arm
      )
      SELECT u.arm, sum(n) AS views, count(*) AS users, max(q.requests) AS requests,
        sum(watch) AS w_y, sum(watch * watch) AS w_yy, sum(watch * n) AS w_yn, sum(n * n) AS w_nn,
        count(*) FILTER (WHERE known > 0) AS k_g, sum(known) AS k_n, sum(known * known) AS k_nn,
        sum(wtg) AS g_y, sum(wtg * wtg) AS g_yy, sum(wtg * known) AS g_yn,
        sum(done) AS d_y, sum(done * done) AS d_yy, sum(done * known) AS d_yn
      FROM u JOIN q ON q.arm = u.arm GROUP BY u.arm`, [rolloutId, edgesArg(ref.edges), ref.means.length ? ref.means : [0]]);
    return r.rows.map((x) => {
      const n = (k: string) => Number(x[k] ?? 0);
      const known = (y: string, yy: string, yn: string): ClusterSums => ({ g: n('k_g'), n: n('k_n'), y: n(y), yy: n(yy), yn: n(yn), nn: n('k_nn') });
      const metrics: Record<MetricKey, ClusterSums> = {
        watch_time: { g: n('users'), n: n('views'), y: n('w_y'), yy: n('w_yy'), yn: n('w_yn'), nn: n('w_nn') },
        wtg_rate: known('g_y', 'g_yy', 'g_yn'),
        completion_rate: known('d_y', 'd_yy', 'd_yn'),
      };
      return { arm: x.arm, views: n('views'), users: n('users'), requests: n('requests'), metrics };
    });
  }

  /**
   * The counts the sample-ratio check tests: distinct users per arm, per weight period, per (period, day)
   * and per (period, handset maker), of exposures and of outcomes. Exposures are grouped by the weights the
   * replica served under (the period is the first history entry with those weights); outcomes by the
   * history entry in force at their time.
   */
  async srmGroups(r: Rollout): Promise<SrmGroup[]> {
    const periods = r.history.filter((c) => c.kind === 'start' || c.kind === 'ramp');
    const byKey = new Map<string, number>();
    periods.forEach((c, i) => { const k = weightsKey(c.arms); if (!byKey.has(k)) byKey.set(k, i); });
    const out = new Map<string, SrmGroup>();
    const add = (source: SrmGroup['source'], scope: SrmGroup['scope'], period: number, weights: Record<string, number>, key: string, arm: string, n: number) => {
      const id = `${source}/${scope}/${period}/${key}`;
      let g = out.get(id);
      if (!g) out.set(id, (g = { source, scope, period, weights, key, counts: Object.fromEntries(Object.keys(weights).map((a) => [a, 0])) }));
      g.counts[arm] = (g.counts[arm] ?? 0) + n;
    };
    const ex = await this.db.pool.query<{ weights: string; scope: string; key: string; arm: string; users: string }>(`
      SELECT weights, 'period' AS scope, '' AS key, arm, count(DISTINCT user_id) AS users FROM rollout_exposures WHERE rollout_id = $1 GROUP BY 1, 2, 3, 4
      UNION ALL SELECT weights, 'day', to_char(day, 'YYYY-MM-DD'), arm, count(DISTINCT user_id) FROM rollout_exposures WHERE rollout_id = $1 GROUP BY 1, 2, 3, 4
      UNION ALL SELECT weights, 'handset_maker', handset_maker, arm, count(DISTINCT user_id) FROM rollout_exposures WHERE rollout_id = $1 GROUP BY 1, 2, 3, 4`, [r.id]);
    for (const x of ex.rows) {
      add('exposed', x.scope as SrmGroup['scope'], byKey.get(x.weights) ?? -1, parseWeightsKey(x.weights), x.key, x.arm, Number(x.users));
    }
    if (periods.length) {
      const starts = periods.map((c) => c.time);
      const oc = await this.db.pool.query<{ p: number; scope: string; key: string; arm: string; users: string }>(`
        WITH o AS (
          SELECT (SELECT count(*) FROM unnest($2::timestamptz[]) s WHERE s <= o.time)::int - 1 AS p, o.*
          FROM rollout_outcomes o WHERE o.rollout_id = $1
        )
        SELECT p, 'period' AS scope, '' AS key, arm, count(DISTINCT user_id) AS users FROM o GROUP BY 1, 2, 3, 4
        UNION ALL SELECT p, 'day', to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD'), arm, count(DISTINCT user_id) FROM o GROUP BY 1, 2, 3, 4
        UNION ALL SELECT p, 'handset_maker', handset_maker, arm, count(DISTINCT user_id) FROM o GROUP BY 1, 2, 3, 4`, [r.id, starts]);
      for (const x of oc.rows) {
        const p = Math.max(0, Number(x.p));
        const weights = Object.fromEntries(periods[p].arms.map((a) => [a.version, a.weight]));
        add('outcomes', x.scope as SrmGroup['scope'], p, weights, x.key, x.arm, Number(x.users));
      }
    }
    return [...out.values()];
  }

  /** Views per arm with outcomes timed at or after `since`. */
  async viewsSince(rolloutId: string, since: Date): Promise<Record<string, number>> {
    const r = await this.db.pool.query<{ arm: string; views: string }>(
      'SELECT arm, count(*) AS views FROM rollout_outcomes WHERE rollout_id = $1 AND time >= $2 GROUP BY arm', [rolloutId, since]);
    return Object.fromEntries(r.rows.map((x) => [x.arm, Number(x.views)]));
  }

  /** The users with at least one outcome in a rollout. */
  async outcomeUsers(rolloutId: string): Promise<string[]> {
    const r = await this.db.pool.query<{ user_id: string }>('SELECT DISTINCT user_id FROM rollout_outcomes WHERE rollout_id = $1', [rolloutId]);
    return r.rows.map((x) => x.user_id);
  }

  /**
   * Per-arm CUPED sums of watch time per view, the covariate being the user's mean watch time per view before
   * the rollout (`covariate`, computed from the event log by the caller); users without one get the pooled mean
   * of those with one.
   */
  async cupedSums(r: Rollout, covariate: Map<string, number>): Promise<ArmCupedSums[]> {
    const q = await this.db.pool.query<Record<string, string>>(`
      WITH u AS (
        SELECT arm, user_id, count(*)::float8 AS n, sum(timespent_s) AS y FROM rollout_outcomes WHERE rollout_id = $1 GROUP BY arm, user_id
      ), pre AS (
        SELECT user_id, x FROM unnest($2::text[], $3::float8[]) AS p(user_id, x)
      ), j AS (
        SELECT u.arm, u.n, u.y, pre.x AS x0, COALESCE(pre.x, avg(pre.x) OVER (), 0) AS x FROM u LEFT JOIN pre ON pre.user_id = u.user_id
      )
      SELECT arm, count(*) AS g, sum(n) AS n, sum(y) AS y, sum(y * y) AS yy, sum(y * n) AS yn, sum(n * n) AS nn,
        sum(x) AS x, sum(x * x) AS xx, sum(x * y) AS xy, sum(x * n) AS xn, count(x0) AS covered
      FROM j GROUP BY arm`, [r.id, [...covariate.keys()], [...covariate.values()]]);
    return q.rows.map((x) => {
      const n = (k: string) => Number(x[k] ?? 0);
      return { arm: x.arm, usersWithCovariate: n('covered'),
        sums: { g: n('g'), n: n('n'), y: n('y'), yy: n('yy'), yn: n('yn'), nn: n('nn'), x: n('x'), xx: n('xx'), xy: n('xy'), xn: n('xn') } };
    });
  }

  /**
   * Watch-time cluster sums per arm and whole day since each user's first exposure (the earliest of its
   * counted exposure and its first outcome), for the novelty readout.
   */
  async watchByExposureDay(rolloutId: string): Promise<{ arm: string; day: number; sums: ClusterSums }[]> {
    const q = await this.db.pool.query<Record<string, string>>(`
      WITH first AS (
        SELECT user_id, min(t) AS t0 FROM (
          SELECT user_id, first_time AS t FROM rollout_exposures WHERE rollout_id = $1
          UNION ALL SELECT user_id, min(time) FROM rollout_outcomes WHERE rollout_id = $1 GROUP BY user_id) x GROUP BY user_id
      ), u AS (
        SELECT o.arm, floor(extract(epoch FROM (o.time - f.t0)) / 86400)::int AS day, o.user_id, count(*)::float8 AS n, sum(o.timespent_s) AS y
        FROM rollout_outcomes o JOIN first f ON f.user_id = o.user_id WHERE o.rollout_id = $1 GROUP BY 1, 2, 3
      )
      SELECT arm, day, count(*) AS g, sum(n) AS n, sum(y) AS y, sum(y * y) AS yy, sum(y * n) AS yn, sum(n * n) AS nn FROM u GROUP BY 1, 2 ORDER BY 2, 1`,
    [rolloutId]);
    return q.rows.map((x) => ({ arm: x.arm, day: Number(x.day),
      sums: { g: Number(x.g), n: Number(x.n), y: Number(x.y), yy: Number(x.yy), yn: Number(x.yn), nn: Number(x.nn) } }));
  }
}
