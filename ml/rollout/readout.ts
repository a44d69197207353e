// The per-arm readout of a rollout: outcome statistics with 95% intervals, treatment-minus-control
// differences, and the guardrail rule. Pure: the store aggregates in SQL into the same sufficient statistics
// (ClusterSums) that `sumsOf` builds here from views, so tests and the service share one estimator.
//
// Definitions (docs/rollout.md repeats them):
// - views: outcome rows joined to the arm; users: distinct user ids; requests: distinct non-empty request ids.
// - mean watch time: sum of timespent / views (seconds).
// - WTG positive rate: share of views (with a known length) whose timespent exceeds the mean timespent of
//   their duration group; groups are equal-frequency deciles of video length over ALL arms' outcomes pooled,
//   so every arm is measured against the same reference (the binary WTG label of docs/design.md "Labels", online).
// - completion >= 90%: share of views (with a known length) with timespent / video length >= 0.9.
// Every one of these is a per-view ratio while users are the randomised unit, so views of one user are
// correlated: intervals are USER-CLUSTERED (ratio estimator, delta method, the CR1 factor G/(G-1)), normal
// approximation, z = 1.96. Arms hold disjoint users, so a difference's variance is the sum of the two.
import { invalid } from '../../core/errors';
import { alwaysValid, DEFAULT_TAU_RELATIVE } from './sequential';

/** z for a two-sided 95% normal interval. */
export const Z95 = 1.959963984540054;

/** One outcome (a view) joined to the arm that served it. */
export interface ArmView {
  /** The arm (version name) that served the view. */
  arm: string;
  /** The viewer: the randomised unit, and the cluster of the intervals. */
  userId: string;
  /** The Score request that served it; empty when unknown. */
  requestId: string;
  /** Watch time in seconds. */
  timespentS: number;
  /** Video length in seconds; 0 or less means unknown (the view counts for watch time only). */
  videoLengthS: number;
}

/**
 * Sufficient statistics of a user-clustered ratio estimate R = sum(y_u) / sum(n_u) over G users u:
 * g = G, n = sum n_u, y = sum y_u, yy = sum y_u^2, yn = sum y_u n_u, nn = sum n_u^2.
 */
export interface ClusterSums {
  /** G, the number of users (clusters). */
  g: number;
  /** sum n_u, the denominator (views). */
  n: number;
  /** sum y_u, the numerator. */
  y: number;
  /** sum y_u^2. */
  yy: number;
  /** sum y_u n_u. */
  yn: number;
  /** sum n_u^2. */
  nn: number;
}

/** The metrics of the readout, by key. */
export const METRICS = ['watch_time', 'wtg_rate', 'completion_rate'] as const;
/** The key of one readout metric. */
export type MetricKey = (typeof METRICS)[number];

/** Everything the readout needs about one arm. */
export interface ArmSums {
  /** The arm's version name. */
  arm: string;
  /** Outcome rows joined to the arm. */
  views: number;
  /** Distinct user ids among them. */
  users: number;
  /** Distinct non-empty request ids among them. */
  requests: number;
  /** Per metric, the user-clustered sums of its ratio. */
  metrics: Record<MetricKey, ClusterSums>;
}

/** An estimate with its 95% interval. */
export interface Estimate {
  /** The point estimate. */
  value: number;
  /** Its standard error (user-clustered). */
  se: number;
  /** value -/+ 1.96 se. */
  ci95: [number, number];
}

/** One arm's readout. */
export interface ArmReadout {
  /** The arm's version name. */
  arm: string;
  /** Outcome rows joined to the arm. */
  views: number;
  /** Distinct user ids among them. */
  users: number;
  /** Distinct non-empty request ids among them. */
  requests: number;
  /** Each metric with its 95% interval. */
  metrics: Record<MetricKey, Estimate>;
}

/** A treatment-minus-control difference of one metric, absolute and relative to control. */
export interface Difference {
  /** Treatment minus control. */
  absolute: Estimate;
  /** (Treatment minus control) / control, by the delta method. */
  relative: Estimate;
  /** The absolute difference with its always-valid 95% confidence sequence (sequential.ts) as `ci95`. */
  alwaysValid: Estimate;
}

/** The whole readout: arms (control first) and, for each treatment, its differences from control. */
export interface Readout {
  /** The control arm's version name (production when the rollout started). */
  control: string;
  /** Every arm, control first. */
  arms: ArmReadout[];
  /** Per treatment arm, its differences from control. */
  differences: { arm: string; metrics: Record<MetricKey, Difference> }[];
  /** What each number means (DEFINITIONS). */
  definitions: Record<string, string>;
}

/** The definitions a readout carries, so every number names its meaning. */
export const DEFINITIONS: Record<string, string> = {
  views: 'outcome rows joined to the arm that served them',
  users: 'distinct user ids among those views',
  requests: 'distinct non-empty request ids among those views',
  watch_time: 'mean timespent per view, seconds',
  wtg_rate: 'share of views with known length whose timespent exceeds the mean timespent of their duration group (equal-frequency deciles of video length over all arms pooled)',
  completion_rate: 'share of views with known length where timespent / video length >= 0.9',
  ci95: 'user-clustered 95% interval: ratio estimator, delta method, CR1 factor G/(G-1), normal z = 1.96',
  srm: 'sample-ratio check: chi-square of distinct users per arm against the weights of each weight period (also per day and handset maker), exposed users and users with outcomes; flagged at p < 0.001 with every expected count >= 5',
  cuped: 'watch time adjusted with the user\'s mean watch time per view before the rollout started (CUPED on the linearised ratio, theta pooled over arms); variance_reduction = 1 - Var(adjusted difference) / Var(raw difference)',
  effect_by_exposure_day: 'treatment minus control mean watch time per whole day since each user\'s first exposure (novelty)',
  always_valid: 'always-valid 95% confidence sequence of the difference (normal-mixture SPRT, mixing sd 5% of the control mean): holds at every look at once; the guardrail decides with it',
  difference: 'treatment minus control; arms have disjoint users so variances add; relative = difference / control mean (delta method)',
};

/** The pooled WTG reference: decile edges of video length and the mean timespent in each group. */
export interface WtgReference {
  /** Upper edges of groups 0..k-2 (a length <= edges[i] falls in the first such group i). */
  edges: number[];
  means: number[];
}

/** Equal-frequency groups of video length (at most `k`) over views with a known length, with mean timespent. */
export function wtgReference(views: { timespentS: number; videoLengthS: number }[], k = 10): WtgReference {
  const known = views.filter((v) => v.videoLengthS > 0);
  if (known.length === 0) return { edges: [], means: [] };
  const lengths = known.map((v) => v.videoLengthS).sort((a, b) => a - b);
  const edges: number[] = [];
  // The same cut as SQL's percentile_disc(i/k): the first length whose cumulative share reaches i/k.
  for (let i = 1; i < k; i++) {
    const e = lengths[Math.ceil((i * lengths.length) / k) - 1];
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  // The last edge equal to the maximum would leave an empty top group.
  while (edges.length && edges[edges.length - 1] >= lengths[lengths.length - 1]) edges.pop();
  const sums = new Array(edges.length + 1).fill(0);
  const counts = new Array(edges.length + 1).fill(0);
  for (const v of known) {
    const g = groupOf(edges, v.videoLengthS);
    sums[g] += v.timespentS;
    counts[g]++;
  }
  return { edges, means: sums.map((s, i) => (counts[i] ? s / counts[i] : 0)) };
}

/** The group index of a length under `edges`. */
export function groupOf(edges: number[], length: number): number {
  let g = 0;
  while (g < edges.length && length > edges[g]) g++;
  return g;
}

const emptySums = (): ClusterSums => ({ g: 0, n: 0, y: 0, yy: 0, yn: 0, nn: 0 });

/** Adds one user's (n, y) to cluster sums (a user with n = 0 does not count for that metric). */
export function addCluster(s: ClusterSums, n: number, y: number): void {
  if (n <= 0) return;
  s.g++;
  s.n += n;
  s.y += y;
  s.yy += y * y;
  s.yn += y * n;
  s.nn += n * n;
}

/** Builds per-arm sufficient statistics from joined views (the in-memory twin of the store's SQL). */
export function sumsOf(views: ArmView[], ref: WtgReference = wtgReference(views)): ArmSums[] {
  type U = { n: number; watch: number; known: number; wtg: number; done: number };
  const byArm = new Map<string, { users: Map<string, U>; requests: Set<string>; views: number }>();
  for (const v of views) {
    let a = byArm.get(v.arm);
    if (!a) byArm.set(v.arm, (a = { users: new Map(), requests: new Set(), views: 0 }));
    a.views++;
    if (v.requestId) a.requests.add(v.requestId);
    let u = a.users.get(v.userId);
    if (!u) a.users.set(v.userId, (u = { n: 0, watch: 0, known: 0, wtg: 0, done: 0 }));
    u.n++;
    u.watch += v.timespentS;
    if (v.videoLengthS > 0) {
      u.known++;
      if (v.timespentS > ref.means[groupOf(ref.edges, v.videoLengthS)]) u.wtg++;
      if (v.timespentS / v.videoLengthS >= 0.9) u.done++;
    }
  }
  return [...byArm.entries()].map(([arm, a]) => {
    const metrics = { watch_time: emptySums(), wtg_rate: emptySums(), completion_rate: emptySums() };
    for (const u of a.users.values()) {
      addCluster(metrics.watch_time, u.n, u.watch);
      addCluster(metrics.wtg_rate, u.known, u.wtg);
      addCluster(metrics.completion_rate, u.known, u.done);
    }
    return { arm, views: a.views, users: a.users.size, requests: a.requests.size, metrics };
  });
}

/**
 * The user-clustered ratio estimate: R = y/n, Var(R) = G/(G-1) * sum_u (y_u - R n_u)^2 / n^2, where
 * sum_u (y_u - R n_u)^2 = yy - 2R yn + R^2 nn. With fewer than 2 users the variance is unknown (infinite).
 */
export function ratioEstimate(s: ClusterSums): Estimate {
  if (s.n <= 0) return { value: NaN, se: Infinity, ci95: [-Infinity, Infinity] };
  const r = s.y / s.n;
  if (s.g < 2) return { value: r, se: Infinity, ci95: [-Infinity, Infinity] };
  const ss = Math.max(0, s.yy - 2 * r * s.yn + r * r * s.nn);
  const se = Math.sqrt(((s.g / (s.g - 1)) * ss) / (s.n * s.n));
  return { value: r, se, ci95: [r - Z95 * se, r + Z95 * se] };
}

/** Treatment-minus-control difference of two independent estimates, absolute and relative (delta method). */
export function difference(t: Estimate, c: Estimate): Difference {
  const d = t.value - c.value;
  const se = Math.sqrt(t.se * t.se + c.se * c.se);
  const rel = c.value !== 0 ? d / c.value : NaN;
  // Var(t/c - 1) ~ se_t^2 / c^2 + t^2 se_c^2 / c^4.
  const relSe = c.value !== 0 ? Math.sqrt((t.se * t.se) / (c.value * c.value) + (t.value * t.value * c.se * c.se) / c.value ** 4) : Infinity;
  const absolute: Estimate = { value: d, se, ci95: [d - Z95 * se, d + Z95 * se] };
  return {
    absolute,
    relative: { value: rel, se: relSe, ci95: [rel - Z95 * relSe, rel + Z95 * relSe] },
    // The mixing scale follows the control's level, so the sequence is tightest for effects of ~5% of it.
    alwaysValid: alwaysValid(absolute, DEFAULT_TAU_RELATIVE * Math.abs(c.value)),
  };
}

/** The readout of a rollout from per-arm sums; arms without outcomes can be listed with zero sums. */
export function readout(sums: ArmSums[], control: string, armOrder: string[] = sums.map((s) => s.arm)): Readout {
  const byArm = new Map(sums.map((s) => [s.arm, s]));
  const order = [control, ...armOrder.filter((a) => a !== control)];
  for (const s of sums) if (!order.includes(s.arm)) order.push(s.arm);
  const arms: ArmReadout[] = order.map((arm) => {
    const s = byArm.get(arm) ?? { arm, views: 0, users: 0, requests: 0, metrics: { watch_time: emptySums(), wtg_rate: emptySums(), completion_rate: emptySums() } };
    return { arm, views: s.views, users: s.users, requests: s.requests,
      metrics: Object.fromEntries(METRICS.map((m) => [m, ratioEstimate(s.metrics[m])])) as Record<MetricKey, Estimate> };
  });
  const c = arms[0];
  const differences = arms.slice(1).map((t) => ({
    arm: t.arm,
    metrics: Object.fromEntries(METRICS.map((m) => [m, difference(t.metrics[m], c.metrics[m])])) as Record<MetricKey, Difference>,
  }));
  return { control, arms, differences, definitions: DEFINITIONS };
}

/** A guardrail: stop when `metric` of a treatment is below control by more than `maxDropPct` percent with the
 *  difference's always-valid 95% sequence excluding zero, once the treatment has at least `minViews` views. */
export interface Guardrail {
  /** The metric watched. */
  metric: MetricKey;
  /** The largest drop below control, in percent, that is tolerated. */
  maxDropPct: number;
  /** Views an arm needs before the rule is applied to it. */
  minViews: number;
}

/** The default minimum number of views when the guardrail text gives none. */
export const DEFAULT_GUARDRAIL_MIN_VIEWS = 1000;

const METRIC_ALIASES: Record<string, MetricKey> = {
  watch_time: 'watch_time', mean_watch_time: 'watch_time', watchtime: 'watch_time',
  wtg_rate: 'wtg_rate', wtg: 'wtg_rate', completion_rate: 'completion_rate', completion: 'completion_rate', p90: 'completion_rate',
};

/**
 * Parses the CLI's guardrail syntax `METRIC<-P%[@N]`: for example `watch_time<-3%@1000` means "stop if mean
 * watch time of a treatment is below control by more than 3% with the interval excluding zero after >= 1000
 * views of that treatment". METRIC is watch_time, wtg_rate or completion_rate; N defaults to 1000.
 */
export function parseGuardrail(text: string): Guardrail {
  const m = /^\s*([a-z_0-9]+)\s*<\s*-\s*(\d+(?:\.\d+)?)\s*%\s*(?:@\s*(\d+))?\s*$/i.exec(text);
  const how = 'write METRIC<-P%@N, for example watch_time<-3%@1000 (metrics: watch_time, wtg_rate, completion_rate)';
  if (!m) throw invalid(`guardrail: "${text}" is not understood; ${how}`);
  const metric = METRIC_ALIASES[m[1].toLowerCase()];
  if (!metric) throw invalid(`guardrail: unknown metric "${m[1]}"; ${how}`);
  return checkGuardrail({ metric, maxDropPct: Number(m[2]), minViews: m[3] ? Number(m[3]) : DEFAULT_GUARDRAIL_MIN_VIEWS });
}

/** Checks a guardrail's numbers (also those that arrive through the API) and returns it. */
export function checkGuardrail(g: Guardrail): Guardrail {
  if (!METRICS.includes(g.metric)) throw invalid(`guardrail: unknown metric "${g.metric}"; one of ${METRICS.join(', ')}`);
  if (!(g.maxDropPct >= 0 && g.maxDropPct < 100)) throw invalid(`guardrail: max drop ${g.maxDropPct}% must be in [0, 100)`);
  if (!Number.isInteger(g.minViews) || g.minViews < 1) throw invalid(`guardrail: min views ${g.minViews} must be a whole number >= 1`);
  return g;
}

/** Formats a guardrail back into the CLI syntax. */
export function formatGuardrail(g: Guardrail): string {
  return `${g.metric}<-${g.maxDropPct}%@${g.minViews}`;
}

/** A guardrail breach with the numbers that caused it. */
export interface Breach {
  /** The treatment arm that breached. */
  arm: string;
  /** The rule it breached. */
  guardrail: Guardrail;
  /** The arm's views when it breached. */
  views: number;
  /** The control's value of the metric. */
  control: number;
  /** The arm's value of the metric. */
  treatment: number;
  /** 100 x (treatment - control) / control. */
  relativePct: number;
  /** The fixed-sample 95% interval of treatment minus control (shown beside the sequence). */
  ci95: [number, number];
  /** The always-valid 95% sequence of treatment minus control (entirely below zero for a breach). */
  alwaysValid: [number, number];
  /** One sentence with every number, for the audit entry. */
  message: string;
}

/** The breaches of `guardrails` in a readout (empty when none trips). */
export function evaluateGuardrails(r: Readout, guardrails: Guardrail[]): Breach[] {
  const out: Breach[] = [];
  const c = r.arms[0];
  for (const g of guardrails) {
    for (const d of r.differences) {
      const t = r.arms.find((a) => a.arm === d.arm)!;
      if (t.views < g.minViews) continue;
      const diff = d.metrics[g.metric];
      const relPct = 100 * diff.relative.value;
      if (!(relPct < -g.maxDropPct && diff.alwaysValid.ci95[1] < 0)) continue;
      const cv = c.metrics[g.metric].value;
      const tv = t.metrics[g.metric].value;
      const [lo, hi] = diff.absolute.ci95;
      const [slo, shi] = diff.alwaysValid.ci95;
      out.push({
        arm: d.arm, guardrail: g, views: t.views, control: cv, treatment: tv, relativePct: relPct, ci95: [lo, hi], alwaysValid: [slo, shi],
        message: `guardrail ${formatGuardrail(g)} breached by arm ${d.arm}: ${g.metric} ${fmt(tv)} vs control ${c.arm} ${fmt(cv)} ` +
          `(${relPct.toFixed(2)}%, difference ${fmt(diff.absolute.value)} with always-valid 95% CS [${fmt(slo)}, ${fmt(shi)}], ` +
          `fixed 95% CI [${fmt(lo)}, ${fmt(hi)}]) after ${t.views} views ` +
          `(control ${c.views} views); limit -${g.maxDropPct}% after ${g.minViews} views`,
      });
    }
  }
  return out;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x);
}
