// Always-valid intervals for a guardrail that is checked again and again. A fixed-sample 95% interval
// excludes zero in an A/A test 5% of the time at ONE look; checked every few seconds, the chance that it
// excludes zero at SOME look grows towards 1. A confidence sequence holds at every look at once.
//
// The normal mixture (mixture SPRT, Robbins 1970; Johari et al. 2017): with an estimate d of a difference,
// its variance V = se^2 and a normal mixing distribution of effects with variance tau^2, the likelihood ratio
// against "no difference" is  L = sqrt(V / (V + tau^2)) * exp(tau^2 d^2 / (2 V (V + tau^2))).  By Ville's
// inequality P(L >= 1/alpha at any look) <= alpha under no difference. Inverting L < 1/alpha in d gives
// the sequence  d -/+ sqrt( V (V + tau^2) / tau^2 * (2 ln(1/alpha) + ln((V + tau^2) / V)) ).
// V is estimated (user-clustered), so the guarantee is asymptotic, as for the fixed interval beside it.
import type { Estimate } from './readout';

/** The error rate of the always-valid sequences. */
export const SEQUENTIAL_ALPHA = 0.05;

/** The default mixing scale: relative effects of about 5% of the control's value are where the sequence is tightest. */
export const DEFAULT_TAU_RELATIVE = 0.05;

/** The half-width of the normal-mixture confidence sequence for variance `v` (se^2), mixing variance `tau2`. */
export function mixtureHalfWidth(v: number, tau2: number, alpha = SEQUENTIAL_ALPHA): number {
  if (!(v > 0) || !Number.isFinite(v)) return v === 0 ? 0 : Infinity;
  if (!(tau2 > 0)) return Infinity;
  return Math.sqrt(((v * (v + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((v + tau2) / v)));
}

/**
 * The always-valid 95% sequence around an estimate; `tau` is the mixing scale in the estimate's units
 * (for a difference of means, DEFAULT_TAU_RELATIVE times the control's mean).
 */
export function alwaysValid(e: Estimate, tau: number, alpha = SEQUENTIAL_ALPHA): Estimate {
  const h = mixtureHalfWidth(e.se * e.se, tau * tau, alpha);
  return { value: e.value, se: e.se, ci95: [e.value - h, e.value + h] };
}
