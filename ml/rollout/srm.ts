// Sample-ratio mismatch (SRM): do the users counted per arm match the configured weights? A mismatch means
// the split or the logging is broken (a client that stops reporting in one arm, a replica that routes
// differently), and then no effect estimate of the rollout can be trusted, however narrow its interval.
//
// Pearson's chi-square test of the counts against the weights: chi2 = sum_arms (O - E)^2 / E with
// E = N * w / sum(w), df = (arms with weight > 0) - 1, p = P(X^2_df >= chi2). Flagged at p < SRM_ALPHA.
// Each weight period is tested against its own weights: a user's arm depends on the weights in force.

/** The p-value below which a sample-ratio mismatch is flagged (strict, because the check runs on every readout). */
export const SRM_ALPHA = 0.001;

/** The least expected count per arm for the chi-square approximation to be trusted enough to flag. */
export const SRM_MIN_EXPECTED = 5;

/** The result of one chi-square test of counts against weights. */
export interface SrmTest {
  /** Users per arm, observed. */
  observed: Record<string, number>;
  /** Users per arm expected from the weights and the total. */
  expected: Record<string, number>;
  /** Pearson's statistic. */
  chi2: number;
  /** Degrees of freedom: arms with weight > 0, minus one. */
  df: number;
  /** P(chi-square with df degrees >= chi2); 1 with no users, 0 when an arm of weight 0 has users. */
  pValue: number;
  /** Whether pValue < SRM_ALPHA with every expected count >= SRM_MIN_EXPECTED (or users in an arm of weight 0). */
  flagged: boolean;
}

/** One group of counts to test: a weight period, optionally narrowed to a day or a handset maker. */
export interface SrmGroup {
  /** Which users were counted: `exposed` (Score calls) or `outcomes` (users with recorded views). */
  source: 'exposed' | 'outcomes';
  /** `period` for the whole weight period, else what narrows it. */
  scope: 'period' | 'day' | 'handset_maker';
  /** The weights of the period, arm -> percent. */
  weights: Record<string, number>;
  /** The day (YYYY-MM-DD, UTC) or the handset maker; empty for a whole period. */
  key: string;
  /** The index of the weight period in the rollout's history (0 = the start). */
  period: number;
  /** Distinct users per arm. */
  counts: Record<string, number>;
}

/** A tested group. */
export type SrmCheck = SrmGroup & SrmTest;

/** Tests counts per arm against weights (arms missing from `counts` count 0; arms missing from `weights` weigh 0). */
export function srmTest(counts: Record<string, number>, weights: Record<string, number>): SrmTest {
  const arms = [...new Set([...Object.keys(weights), ...Object.keys(counts)])];
  const total = arms.reduce((s, a) => s + (counts[a] ?? 0), 0);
  const wsum = arms.reduce((s, a) => s + (weights[a] ?? 0), 0);
  const observed: Record<string, number> = {};
  const expected: Record<string, number> = {};
  let chi2 = 0;
  let impossible = false;
  let df = -1;
  let minExpected = Infinity;
  for (const a of arms) {
    const o = counts[a] ?? 0;
    const w = weights[a] ?? 0;
    const e = wsum > 0 ? (total * w) / wsum : 0;
    observed[a] = o;
    expected[a] = e;
    if (w > 0) {
      df++;
      minExpected = Math.min(minExpected, e);
      if (e > 0) chi2 += ((o - e) * (o - e)) / e;
    } else if (o > 0) {
      impossible = true; // users in an arm that serves nobody: no sampling noise explains that
    }
  }
  let pValue: number;
  if (impossible) pValue = 0;
  else if (total === 0 || df < 1) pValue = 1;
  else pValue = chiSquareSf(chi2, df);
  if (impossible) chi2 = Infinity;
  // Tiny expected counts make the chi-square tail too optimistic: such a group is shown, never flagged.
  const flagged = impossible || (pValue < SRM_ALPHA && minExpected >= SRM_MIN_EXPECTED);
  return { observed, expected, chi2, df: Math.max(df, 0), pValue, flagged };
}

/** Tests every group; the flagged ones are the checks a report shows first. */
export function srmChecks(groups: SrmGroup[]): SrmCheck[] {
  return groups.map((g) => ({ ...g, ...srmTest(g.counts, g.weights) }));
}

/** One sentence per flagged check, naming the numbers (for reports, refusals and audit entries). */
export function srmMessage(c: SrmCheck): string {
  const where = c.scope === 'period' ? '' : c.scope === 'day' ? ` on ${c.key}` : ` for handset maker "${c.key}"`;
  const arms = Object.keys(c.observed).map((a) => `${a} ${c.observed[a]} (expected ${fmt(c.expected[a])}, weight ${c.weights[a] ?? 0}%)`).join(', ');
  return `sample-ratio mismatch in ${c.source === 'exposed' ? 'exposed users' : 'users with outcomes'}, weight period ${c.period}${where}: ` +
    `${arms}; chi2 ${fmt(c.chi2)} with ${c.df} df, p = ${c.pValue.toExponential(2)} < ${SRM_ALPHA}`;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x);
}

/** P(X >= x) for X chi-square with `df` degrees of freedom: the regularized upper incomplete gamma Q(df/2, x/2). */
export function chiSquareSf(x: number, df: number): number {
  if (!(x > 0)) return 1;
  return gammaQ(df / 2, x / 2);
}

/** ln Gamma(z) for z > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-14). */
export function lnGamma(z: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  z -= 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized upper incomplete gamma Q(a, x): the series below a + 1, the continued fraction above. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lead));
  }
  // Lentz's method for the continued fraction of Q.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}
