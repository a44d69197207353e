// The one seeded random generator of the platform (mulberry32: 32 bits of state, a Weyl step and a mix), so a
// seed gives the same numbers on every machine, in every worker and in every run. Callers that had their own
// copy keep their streams by choosing the starting state: `mulberry32(seed)` starts at the seed itself,
// `ml/model/rng.ts` and `ml/data/rng.ts` mix the seed first.

/** A seeded source of uniform, integer and standard normal draws. */
export class Rng {
  private state: number;
  private spare: number | undefined;

  /** A generator whose 32-bit state starts at `state` (the first draw comes from `state + 0x6d2b79f5`). */
  constructor(state: number) {
    this.state = state >>> 0;
  }

  /** A uniform draw in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /**
   * A standard normal draw (Box-Muller, caching the second value). A uniform draw of exactly 0 (one state in
   * 2^32) is clamped to 1e-12 so the log stays finite.
   */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** A uniform generator in [0, 1) whose state starts at `seed` unmixed (the bootstrap's and the fixtures' stream). */
export function mulberry32(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}
