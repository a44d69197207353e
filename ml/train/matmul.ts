// The one dense primitive of the fast trainer: C = A B with neither operand transposed. On the wasm backend
// only this form takes XNNPACK's fast path (measured ~30 GFLOP/s per core here, against ~2 GFLOP/s with a
// transpose flag), so every product of the training step is arranged to be a plain one and the transposes
// are done explicitly in JS (transpose() below), which costs O(rows x cols) instead of O(m k n).
import * as tf from '@tensorflow/tfjs';

/** Multiplies row-major A [m, k] by B [k, n] and returns C [m, n] as a new array. */
export type MatMul = (a: Float32Array, m: number, k: number, b: Float32Array, n: number) => Float32Array;

/** The matmul of the active TF.js backend. */
export const tfMatMul: MatMul = (a, m, k, b, n) => {
  const ta = tf.tensor2d(a, [m, k]);
  const tb = tf.tensor2d(b, [k, n]);
  const tc = tf.matMul(ta, tb);
  const out = tc.dataSync() as Float32Array;
  ta.dispose();
  tb.dispose();
  tc.dispose();
  return out;
};

/** A plain JS matmul (the reference in tests; fine for the tiny heads). */
export const jsMatMul: MatMul = (a, m, k, b, n) => {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      if (av === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
  return c;
};

/** Transposes row-major A [rows, cols] into out [cols, rows], in 32 x 32 blocks to stay in cache. */
export function transpose(a: Float32Array, rows: number, cols: number, out = new Float32Array(rows * cols)): Float32Array {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) {
        const ai = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = a[ai + j];
      }
    }
  }
  return out;
}
