// The model's seeded stream (initialisation and shuffling): the core generator with the seed mixed by a golden-
// ratio XOR, so parameters and epoch orders are the same on every run and in every worker for one seed.

import { Rng as CoreRng } from '../../core/rng';

/** The model's generator for `seed` (uniform, integer and normal draws from core/rng.ts). */
export class Rng extends CoreRng {
  constructor(seed: number) {
    super((seed >>> 0) ^ 0x9e3779b9);
  }
}

/** A permutation of 0..n-1 (Fisher-Yates) from a seed. */
export function permutation(n: number, seed: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rng = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
