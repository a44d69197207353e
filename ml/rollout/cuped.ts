// CUPED (Deng, Xu, Kohavi, Walker 2013): variance reduction with a covariate measured before exposure, so
// the treatment cannot have changed it. The covariate here is a user's mean watch time per view over the
// days before the rollout started (feature store); users without history get the pooled mean of those with
// one (a constant, so it adds no bias and no information).
//
// The metric is a per-view ratio R = sum y_u / sum n_u over users u (readout.ts), so CUPED works on its
// linearisation l_u = (y_u - R n_u) / nbar, nbar = sum n_u / G, for which Var(R) = s^2(l) / G (the
// cluster variance of readout.ts up to its G/(G-1) factor, which s^2 already carries). With theta pooled
// over arms, theta = sum_arms sum_u l_u (x_u - xbar_arm) / sum_arms sum_u (x_u - xbar_arm)^2,
//   R_adj = R - theta (xbar_arm - xbar_all),   Var(R_adj) = s^2(l - theta x) / G
//         = (s^2(l) - 2 theta cov(l, x) + theta^2 s^2(x)) / G.
// The variance reduction of a difference is 1 - Var(adjusted difference) / Var(raw difference).
import { addCluster, Z95, type ClusterSums, type Estimate } from './readout';

/** Per-arm sums of a user-clustered ratio (the readout's cluster sums) with a per-user covariate x_u. */
export interface CupedSums extends ClusterSums {
  /** sum x_u. */
  x: number;
  /** sum x_u^2. */
  xx: number;
  /** sum x_u y_u. */
  xy: number;
  /** sum x_u n_u. */
  xn: number;
}

/** One arm's raw and adjusted estimate. */
export interface CupedArm {
  /** The ratio without adjustment (the readout's estimate; se without the CR1 factor). */
  raw: Estimate;
  /** The adjusted ratio. */
  adjusted: Estimate;
}

/** Raw and adjusted treatment-minus-control difference and the variance reduction achieved. */
export interface CupedDifference {
  /** Treatment minus control, unadjusted. */
  raw: Estimate;
  /** Treatment minus control, adjusted. */
  adjusted: Estimate;
  /** 1 - Var(adjusted) / Var(raw); 0 when nothing is known. */
  varianceReduction: number;
  /** The pooled theta used. */
  theta: number;
}

const est = (value: number, v: number): Estimate => {
  const se = Math.sqrt(Math.max(0, v));
  return Number.isFinite(se) ? { value, se, ci95: [value - Z95 * se, value + Z95 * se] } : { value, se: Infinity, ci95: [-Infinity, Infinity] };
};

/** Within-arm moments of the linearised metric l_u and the covariate x_u (sums of products of deviations). */
function moments(s: CupedSums) {
  const r = s.y / s.n;
  const nbar = s.n / s.g;
  const xbar = s.x / s.g;
  // sum l^2 = (yy - 2R yn + R^2 nn) / nbar^2; sum l = 0, so sum l (x - xbar) = sum l x = (xy - R xn) / nbar.
  const sll = Math.max(0, s.yy - 2 * r * s.yn + r * r * s.nn) / (nbar * nbar);
  const slx = (s.xy - r * s.xn) / nbar;
  const sxx = Math.max(0, s.xx - s.g * xbar * xbar);
  return { r, xbar, sll, slx, sxx };
}

/** CUPED over every arm (control first in `arms`), with theta pooled over arms. */
export function cuped(arms: CupedSums[]): { theta: number; arms: CupedArm[] } {
  const live = arms.filter((s) => s.g >= 2 && s.n > 0);
  const m = live.map(moments);
  const num = m.reduce((a, x) => a + x.slx, 0);
  const den = m.reduce((a, x) => a + x.sxx, 0);
  const theta = den > 0 ? num / den : 0;
  const gAll = live.reduce((a, s) => a + s.g, 0);
  const xAll = gAll ? live.reduce((a, s) => a + s.x, 0) / gAll : 0;
  return {
    theta,
    arms: arms.map((s) => {
      if (!(s.g >= 2 && s.n > 0)) {
        const v = s.n > 0 ? s.y / s.n : NaN;
        return { raw: est(v, Infinity), adjusted: est(v, Infinity) };
      }
      const { r, xbar, sll, slx, sxx } = moments(s);
      const d = s.g - 1;
      const varRaw = sll / d / s.g;
      const varAdj = Math.max(0, sll - 2 * theta * slx + theta * theta * sxx) / d / s.g;
      return { raw: est(r, varRaw), adjusted: est(r - theta * (xbar - xAll), varAdj) };
    }),
  };
}

/** Treatment-minus-control of CUPED arms (independent arms: variances add). */
export function cupedDifference(t: CupedArm, c: CupedArm, theta: number): CupedDifference {
  const vr = t.raw.se ** 2 + c.raw.se ** 2;
  const va = t.adjusted.se ** 2 + c.adjusted.se ** 2;
  return {
    raw: est(t.raw.value - c.raw.value, vr),
    adjusted: est(t.adjusted.value - c.adjusted.value, va),
    varianceReduction: vr > 0 && Number.isFinite(vr) ? 1 - va / vr : 0,
    theta,
  };
}

/** Adds one user (views n, numerator y, covariate x) to CUPED sums. */
export function addUser(s: CupedSums, n: number, y: number, x: number): void {
  if (n <= 0) return;
  addCluster(s, n, y);
  s.x += x;
  s.xx += x * x;
  s.xy += x * y;
  s.xn += x * n;
}

/** Empty CUPED sums. */
export function emptyCuped(): CupedSums {
  return { g: 0, n: 0, y: 0, yy: 0, yn: 0, nn: 0, x: 0, xx: 0, xy: 0, xn: 0 };
}
