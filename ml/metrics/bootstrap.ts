// Seeded bootstrap over users (clusters): each resample draws as many users as there are, with replacement, and
// hands the caller each user's multiplicity. The same draws serve candidate and baseline, which makes the
// interval of their difference a paired one (the per-user correlation between the two versions is kept).

import { mulberry32 } from '../../core/rng';

/** Resampling settings; reports record them. */
export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples: number;
  /** PRNG seed (default 42): the same seed gives the same interval. */
  seed: number;
}

/** The platform's defaults: 1,000 resamples, seeded. */
export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 42 };

/** The seeded uniform generator the bootstrap draws from (re-exported from core/rng.ts for its callers). */
export { mulberry32 };

/**
 * Runs `opts.resamples` resamples over `nClusters` users; `onResample(counts, b)` receives how many times each
 * user was drawn in resample b (the array is reused between calls).
 */
export function bootstrapResamples(nClusters: number, opts: BootstrapOptions, onResample: (counts: Int32Array, b: number) => void): void {
  const rand = mulberry32(opts.seed);
  const counts = new Int32Array(nClusters);
  for (let b = 0; b < opts.resamples; b++) {
    counts.fill(0);
    for (let j = 0; j < nClusters; j++) counts[Math.floor(rand() * nClusters)]++;
    onResample(counts, b);
  }
}

/**
 * The central `level` percentile interval of bootstrap samples (linear interpolation between order statistics);
 * NaN samples (a resample where the metric is undefined) are dropped; null when none is left.
 */
export function percentileInterval(samples: ArrayLike<number>, level = 0.95): [number, number] | null {
  const finite = Float64Array.from(Array.prototype.filter.call(samples, (x: number) => Number.isFinite(x)) as number[]);
  if (finite.length === 0) return null;
  finite.sort();
  const q = (p: number) => {
    const h = (finite.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(finite.length - 1, lo + 1);
    return finite[lo] + (h - lo) * (finite[hi] - finite[lo]);
  };
  const tail = (1 - level) / 2;
  return [q(tail), q(1 - tail)];
}

/**
 * Paired bootstrap interval of mean(a) - mean(b) over users, for callers with one value per user and version
 * (training and rollout readouts): NaN values are left out of their mean.
 */
export function pairedMeanDiffInterval(a: ArrayLike<number>, b: ArrayLike<number>, opts: BootstrapOptions = DEFAULT_BOOTSTRAP, level = 0.95): [number, number] | null {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in length: ${a.length} vs ${b.length}`);
  const deltas = new Float64Array(opts.resamples);
  bootstrapResamples(a.length, opts, (counts, r) => {
    let sa = 0, na = 0, sb = 0, nb = 0;
    for (let u = 0; u < a.length; u++) {
      const c = counts[u];
      if (c === 0) continue;
      if (!Number.isNaN(a[u])) { sa += c * a[u]; na += c; }
      if (!Number.isNaN(b[u])) { sb += c * b[u]; nb += c; }
    }
    deltas[r] = sa / na - sb / nb;
  });
  return percentileInterval(deltas, level);
}
