// Pooling a seed group: the candidate trained with S seeds, each evaluated against its baseline with the paired
// user bootstrap. Two intervals of the group's mean delta come out: the user-only one (how much the users drawn
// move it) and the pooled one, which adds the spread across training seeds (how much retraining moves it).
//
// Estimator, per metric (docs/evaluation.md):
//   d_s      the delta of seed s;  se_s = (hi_s - lo_s) / (2 * 1.96) from seed s's 95% user-bootstrap interval
//   d        = mean_s d_s
//   se_user² = mean_s se_s²            (an upper bound of the mean's user variance: the seeds share their users)
//   sd_seed² = sum_s (d_s - d)² / (S - 1)
//   se²      = se_user² + sd_seed² / S
//   user-only interval: d ± 1.96 * se_user
//   pooled interval:    d ± t(0.975, ν) * se, ν = se⁴ (S - 1) / (sd_seed² / S)²  (Welch–Satterthwaite: the user
//                       part counts as known, the seed part has S - 1 degrees of freedom; ν = ∞ when sd_seed = 0)
import type { DeltaEntry } from './evaluate';

/** The 0.975 quantile of the standard normal. */
export const Z975 = 1.959963984540054;

/** One metric of a seed group against its baseline. */
export interface GroupDelta {
  /** The candidate's value, mean over seeds (null when a seed has none). */
  candidate_mean: number | null;
  /** The baseline's value, mean over the seeds' baselines. */
  baseline_mean: number | null;
  /** The mean of the per-seed deltas. */
  delta: number | null;
  /** delta ± 1.96·se_user: the interval from resampling users only. */
  ci95_user: [number, number] | null;
  /** delta ± t(ν)·se_pooled: the interval that adds the spread across seeds (null with one seed). */
  ci95_pooled: [number, number] | null;
  /** Each seed's delta, in seed order. */
  per_seed_delta: (number | null)[];
  /** The number of seeds. */
  seeds: number;
  /** The user-bootstrap standard error of the mean delta (root of the mean per-seed variance). */
  se_user: number | null;
  /** The standard deviation of the per-seed deltas (null with one seed). */
  sd_seed: number | null;
  /** sqrt(se_user² + sd_seed²/S). */
  se_pooled: number | null;
  /** The Welch–Satterthwaite degrees of freedom of the pooled interval; null means infinite (the normal quantile). */
  df: number | null;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-13). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of the regularized incomplete beta (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    for (const aa of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + aa * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole). */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The 0.975 quantile of Student's t with `df` degrees of freedom; the normal's for an infinite df. */
export function studentT975(df: number): number {
  if (!Number.isFinite(df) || df > 1e7) return Z975;
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
  // The quantile lies between the normal's and that of one degree of freedom scaled up; bisect the CDF.
  let lo = Z975;
  let hi = 64;
  while (studentTCdf(hi, df) < 0.975) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < 0.975) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Pools one metric's per-seed deltas (each seed's DeltaEntry, in seed order) into the group's delta and intervals. */
export function poolSeedDeltas(seeds: Pick<DeltaEntry, 'candidate' | 'baseline' | 'delta' | 'ci95'>[]): GroupDelta {
  const S = seeds.length;
  const per = seeds.map((s) => (typeof s.delta === 'number' && Number.isFinite(s.delta) ? s.delta : null));
  const nums = (xs: (number | null)[]) => (xs.every((x): x is number => typeof x === 'number' && Number.isFinite(x)) && xs.length ? mean(xs) : null);
  const out: GroupDelta = {
    candidate_mean: nums(seeds.map((s) => s.candidate)), baseline_mean: nums(seeds.map((s) => s.baseline)), delta: null,
    ci95_user: null, ci95_pooled: null, per_seed_delta: per, seeds: S, se_user: null, sd_seed: null, se_pooled: null, df: null,
  };
  if (S === 0 || per.some((d) => d === null)) return out;
  const d = per as number[];
  const dm = mean(d);
  out.delta = dm;
  const sd2 = S > 1 ? d.reduce((a, x) => a + (x - dm) ** 2, 0) / (S - 1) : null;
  out.sd_seed = sd2 === null ? null : Math.sqrt(sd2);
  if (seeds.some((s) => !s.ci95)) return out;
  const seUser2 = mean(seeds.map((s) => ((s.ci95![1] - s.ci95![0]) / (2 * Z975)) ** 2));
  out.se_user = Math.sqrt(seUser2);
  out.ci95_user = [dm - Z975 * out.se_user, dm + Z975 * out.se_user];
  if (sd2 === null) return out;
  const seed2 = sd2 / S;
  const v = seUser2 + seed2;
  out.se_pooled = Math.sqrt(v);
  const df = seed2 > 0 ? (v * v * (S - 1)) / (seed2 * seed2) : Infinity;
  out.df = Number.isFinite(df) ? df : null;
  const q = studentT975(df);
  out.ci95_pooled = [dm - q * out.se_pooled, dm + q * out.se_pooled];
  return out;
}

/** Per-metric delta tables of one scope, one per seed. */
type DeltaTable = Record<string, DeltaEntry>;

/** Pools per-seed delta tables metric by metric (the metrics of the first seed, in its order). */
export function poolDeltaTables(tables: DeltaTable[]): Record<string, GroupDelta> {
  if (tables.length === 0) return {};
  const out: Record<string, GroupDelta> = {};
  const missing: DeltaEntry = { candidate: null, baseline: null, delta: null, relative: null, ci95: null };
  for (const m of Object.keys(tables[0])) out[m] = poolSeedDeltas(tables.map((t) => t[m] ?? missing));
  return out;
}

/** What pooling reads from each seed's protocol report. */
export interface SeedProtocolDeltas {
  /** Candidate minus baseline, overall and per day (null without a baseline). */
  delta: { overall: DeltaTable; by_day: Record<string, DeltaTable> } | null;
  /** Candidate minus each sanity baseline. */
  sanity: Record<string, { delta: { overall: DeltaTable; by_day: Record<string, DeltaTable> } } | undefined>;
}

/** One protocol of a seed group: the pooled deltas against the baseline and against each sanity baseline. */
export interface GroupProtocol {
  overall: Record<string, GroupDelta>;
  by_day: Record<string, Record<string, GroupDelta>>;
  sanity: Record<string, { overall: Record<string, GroupDelta>; by_day: Record<string, Record<string, GroupDelta>> }>;
}

function poolScopes(parts: { overall: DeltaTable; by_day: Record<string, DeltaTable> }[]) {
  const days = Object.keys(parts[0]?.by_day ?? {});
  return {
    overall: poolDeltaTables(parts.map((p) => p.overall)),
    by_day: Object.fromEntries(days.map((day) => [day, poolDeltaTables(parts.map((p) => p.by_day[day] ?? {}))])),
  };
}

/** Pools one protocol over the seeds' reports (in seed order). */
export function poolProtocol(reports: SeedProtocolDeltas[]): GroupProtocol {
  const withDelta = reports.every((r) => r.delta) ? reports.map((r) => r.delta!) : [];
  const base = withDelta.length ? poolScopes(withDelta) : { overall: {}, by_day: {} };
  const sanity: GroupProtocol['sanity'] = {};
  for (const name of Object.keys(reports[0]?.sanity ?? {})) {
    if (reports.every((r) => r.sanity[name])) sanity[name] = poolScopes(reports.map((r) => r.sanity[name]!.delta));
  }
  return { ...base, sanity };
}
