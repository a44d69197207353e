// Row selection on a FeatureBatch, shared by training (splits, samples) and evaluation (held-out rows).
import type { FeatureBatch, FeatureLayout } from './layout';

/** A new batch with the rows `idx` of `b`, in that order (copied, so the source can be released). */
export function takeRows(b: FeatureBatch, idx: ArrayLike<number>, layout: FeatureLayout): FeatureBatch {
  return takeRowsOf([b], Array.from(idx, (r) => [0, r] as [number, number]), layout);
}

/** A new batch with the rows `picks` ([batch, row] pairs) of `batches`, in that order (copied). */
export function takeRowsOf(batches: FeatureBatch[], picks: readonly (readonly [number, number])[], layout: FeatureLayout): FeatureBatch {
  const uc = layout.userCat.length, ud = layout.userDenseDim, ic = layout.itemCat.length, id = layout.itemDenseDim;
  const n = picks.length;
  const out: FeatureBatch = { n, userCat: new Int32Array(n * uc), userDense: new Float32Array(n * ud), itemCat: new Int32Array(n * ic),
    itemDense: new Float32Array(n * id), itemAge: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    const [k, r] = picks[i];
    const b = batches[k];
    out.userCat.set(b.userCat.subarray(r * uc, r * uc + uc), i * uc);
    out.userDense.set(b.userDense.subarray(r * ud, r * ud + ud), i * ud);
    out.itemCat.set(b.itemCat.subarray(r * ic, r * ic + ic), i * ic);
    out.itemDense.set(b.itemDense.subarray(r * id, r * id + id), i * id);
    out.itemAge[i] = b.itemAge[r];
  }
  return out;
}
