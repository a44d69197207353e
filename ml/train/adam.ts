// Adam over a range of the flat parameter array, in JS: each worker updates its own slice after summing the
// workers' gradient slots in a fixed order (so a run is deterministic for a seed and a worker count).

/** Adam's settings. */
export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** The defaults of Kingma & Ba (and tf.train.adam), with lr 1e-3. */
export const DEFAULT_ADAM: AdamConfig = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7 };

/**
 * One Adam step (number `t`, from 1) on params[lo, hi): the gradient is the sum of `slots` at each index.
 * Embedding rows that no example of the batch touched get a zero gradient and still decay their moments,
 * as in dense Adam.
 */
export function adamStep(params: Float32Array, m: Float32Array, v: Float32Array, slots: Float32Array[], lo: number, hi: number, t: number, c: AdamConfig): void {
  const b1 = c.beta1;
  const b2 = c.beta2;
  const lrT = c.lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
  const eps = c.eps;
  const ns = slots.length;
  for (let i = lo; i < hi; i++) {
    let g = slots[0][i];
    for (let s = 1; s < ns; s++) g += slots[s][i];
    const mi = b1 * m[i] + (1 - b1) * g;
    const vi = b2 * v[i] + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] -= lrT * mi / (Math.sqrt(vi) + eps);
  }
}
