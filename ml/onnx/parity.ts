// The registration check: TF.js (ml/model/tf-model.ts on the active backend) and onnxruntime-node must
// agree on a sample of rows. The result is stored on the version; a disagreement refuses the registration.
import type { FeatureBatch } from '../features/layout';
import type { Params } from '../model/params';
import { scoreTf, vectorsTf } from '../model/tf-model';
import { OnnxModel } from '../model/onnx-model';

/** The stored outcome of a parity check. */
export interface ParityReport {
  rows: number;
  /** Largest |TF.js - ONNX| over the scores, the user vectors and the item vectors. */
  maxAbsDiffScore: number;
  maxAbsDiffUserVec: number;
  maxAbsDiffItemVec: number;
  tolerance: number;
  passed: boolean;
  tfBackend: string;
  runtime: string;
}

/** The default tolerance (tight enough to catch a wrong graph, loose enough for float32 reordering): max abs difference <= 1e-4. */
export const PARITY_TOLERANCE = 1e-4;

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** Compares TF.js and ONNX on `sample` (use >= 1,000 rows). */
export async function checkParity(p: Params, files: Record<string, Buffer>, sample: FeatureBatch, tfBackend: string, tolerance = PARITY_TOLERANCE): Promise<ParityReport> {
  const onnx = await OnnxModel.load(files);
  try {
    const n = sample.n;
    const [su, sv, ss] = [
      await onnx.userVectors(sample.userCat, sample.userDense, n),
      await onnx.itemVectors(sample.itemCat, sample.itemDense, n),
      await onnx.scoreBatch(sample),
    ];
    const tu = vectorsTf(p, 'user', sample.userCat, sample.userDense, n);
    const tv = vectorsTf(p, 'item', sample.itemCat, sample.itemDense, n);
    const ts = scoreTf(p, sample);
    const r = { maxAbsDiffScore: maxAbsDiff(ts, ss), maxAbsDiffUserVec: maxAbsDiff(tu, su), maxAbsDiffItemVec: maxAbsDiff(tv, sv) };
    const passed = r.maxAbsDiffScore <= tolerance && r.maxAbsDiffUserVec <= tolerance && r.maxAbsDiffItemVec <= tolerance;
    return { rows: n, ...r, tolerance, passed, tfBackend, runtime: 'onnxruntime-node' };
  } finally {
    await onnx.release();
  }
}
