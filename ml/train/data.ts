// Training rows as flat typed arrays, optionally backed by SharedArrayBuffers so that worker threads read
// the same memory without copies.
import type { FeatureBatch, RowFacts } from '../features/layout';

/** The columns the training step reads. */
export interface TrainData {
  n: number;
  userCat: Int32Array;
  userDense: Float32Array;
  itemCat: Int32Array;
  itemDense: Float32Array;
  itemAge: Float32Array;
  label: Float32Array;
  /** Standardised log1p(length_s), NaN where the length is unknown (GRL target). */
  lenZ: Float32Array;
}

/** The mean and standard deviation of log1p(length) over the rows with a known length. */
export function lengthStats(lengthS: Float32Array): { mean: number; std: number } {
  let s = 0;
  let s2 = 0;
  let c = 0;
  for (const l of lengthS) {
    if (!Number.isFinite(l)) continue;
    const x = Math.log1p(Math.max(0, l));
    s += x;
    s2 += x * x;
    c++;
  }
  const mean = c ? s / c : 0;
  const std = c ? Math.sqrt(Math.max(s2 / c - mean * mean, 1e-12)) : 1;
  return { mean, std: std || 1 };
}

/**
 * The columns the onnxruntime trainer moves (transfers, without a copy) to its worker thread for the run and
 * back at its end: the model inputs, i.e. nearly all of a dataset's bytes. Labels stay with the caller.
 */
export const MOVED_COLUMNS = ['userCat', 'userDense', 'itemCat', 'itemDense', 'itemAge'] as const;

function shared<T extends Int32Array | Float32Array>(src: T, share: boolean): T {
  if (!share) return src;
  const Ctor = src.constructor as { new (b: SharedArrayBuffer): T };
  const out = new Ctor(new SharedArrayBuffer(src.byteLength));
  out.set(src as never);
  return out;
}

/** Builds training data from a batch and its facts; `share` copies it into SharedArrayBuffers. */
export function trainData(batch: FeatureBatch, facts: Pick<RowFacts, 'label' | 'lengthS'>, len: { mean: number; std: number }, share = false): TrainData {
  const lenZ = new Float32Array(batch.n);
  for (let i = 0; i < batch.n; i++) {
    const l = facts.lengthS[i];
    lenZ[i] = Number.isFinite(l) ? (Math.log1p(Math.max(0, l)) - len.mean) / len.std : NaN;
  }
  return {
    n: batch.n,
    userCat: shared(batch.userCat, share), userDense: shared(batch.userDense, share),
    itemCat: shared(batch.itemCat, share), itemDense: shared(batch.itemDense, share),
    itemAge: shared(batch.itemAge, share), label: shared(facts.label, share), lenZ: shared(lenZ, share),
  };
}

/** Concatenates batches (shards) into one. */
export function concatBatches(parts: FeatureBatch[]): FeatureBatch {
  const cat = <T extends Int32Array | Float32Array>(xs: T[]): T => {
    const Ctor = xs[0].constructor as { new (n: number): T };
    const out = new Ctor(xs.reduce((a, x) => a + x.length, 0));
    let o = 0;
    for (const x of xs) {
      out.set(x as never, o);
      o += x.length;
    }
    return out;
  };
  return {
    n: parts.reduce((a, p) => a + p.n, 0),
    userCat: cat(parts.map((p) => p.userCat)), userDense: cat(parts.map((p) => p.userDense)),
    itemCat: cat(parts.map((p) => p.itemCat)), itemDense: cat(parts.map((p) => p.itemDense)),
    itemAge: cat(parts.map((p) => p.itemAge)),
  };
}
