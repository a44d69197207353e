// The data generators' seeded stream: the core generator (core/rng.ts) with the seed mixed so nearby seeds give
// unrelated data, plus the distributions the generators need. The same seed gives the same data on every machine.

import { Rng as CoreRng } from '../../core/rng';

/** A seeded source of uniform, normal and categorical draws. */
export class Rng extends CoreRng {
  private gaussSpare: number | undefined;

  constructor(seed: number) {
    super((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0);
  }

  /**
   * A standard normal draw (Box-Muller, caching the second value). Unlike the core's, a uniform draw of exactly
   * 0 is redrawn rather than clamped: the generated data sets were made this way and must stay the same.
   */
  override normal(): number {
    if (this.gaussSpare !== undefined) {
      const v = this.gaussSpare;
      this.gaussSpare = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.gaussSpare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** An index drawn from cumulative weights `cdf` (ascending, last = total). */
  pick(cdf: Float64Array | number[]): number {
    const x = this.next() * cdf[cdf.length - 1];
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** The logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
