// The model written with TF.js ops: the reference forward pass. Evaluation's TF.js path, the ONNX parity
// check at registration and the gradient check of the fast trainer (ml/train/step.ts) all run it, so the
// hand-written training step is tested against TF.js autodiff of exactly this function.
import * as tf from '@tensorflow/tfjs';
import type { FeatureBatch } from '../features/layout';
import type { ModelSpec } from './spec';
import type { Params } from './params';
import { archModel } from './arch';
import type { TensorParams as HeadTensorParams } from './heads/parts';

/** Parameter tensors by name. */
export type TensorParams = HeadTensorParams;

/** Uploads parameters as tensors (the caller disposes them, e.g. with disposeParams). */
export function toTensors(p: Params): TensorParams {
  const out: TensorParams = {};
  for (const e of p.entries) out[e.name] = tf.tensor(p.data.slice(e.offset, e.offset + e.size), e.shape);
  return out;
}

/** Disposes parameter tensors. */
export function disposeParams(t: TensorParams): void {
  for (const v of Object.values(t)) v.dispose();
}

function tower(s: ModelSpec, P: TensorParams, name: 'user' | 'item', cat: tf.Tensor2D, dense: tf.Tensor2D): tf.Tensor2D {
  const feats = name === 'user' ? s.layout.userCat : s.layout.itemCat;
  const parts: tf.Tensor2D[] = feats.map((c, j) => tf.gather(P[`${name}.emb.${c.name}`], cat.slice([0, j], [-1, 1]).reshape([-1])) as tf.Tensor2D);
  let x: tf.Tensor2D = tf.concat([...parts, dense], 1);
  const layers = s.hidden.length + 1;
  for (let i = 0; i < layers; i++) {
    x = tf.add(tf.matMul(x, P[`${name}.w${i}`] as tf.Tensor2D), P[`${name}.b${i}`]);
    if (i < layers - 1) x = tf.relu(x);
  }
  return x;
}

/** Forward inputs as tensors. */
export interface TfInputs {
  userCat: tf.Tensor2D;
  userDense: tf.Tensor2D;
  itemCat: tf.Tensor2D;
  itemDense: tf.Tensor2D;
  itemAge: tf.Tensor2D;
}

/** Uploads a feature batch as tensors. */
export function inputsOf(s: ModelSpec, b: FeatureBatch): TfInputs {
  const L = s.layout;
  return {
    userCat: tf.tensor2d(b.userCat, [b.n, L.userCat.length], 'int32'),
    userDense: tf.tensor2d(b.userDense, [b.n, L.userDenseDim]),
    itemCat: tf.tensor2d(b.itemCat, [b.n, L.itemCat.length], 'int32'),
    itemDense: tf.tensor2d(b.itemDense, [b.n, L.itemDenseDim]),
    itemAge: tf.tensor2d(b.itemAge, [b.n, 1]),
  };
}

/** The user vectors u [N, dim]. */
export function userVec(s: ModelSpec, P: TensorParams, x: Pick<TfInputs, 'userCat' | 'userDense'>): tf.Tensor2D {
  return tower(s, P, 'user', x.userCat, x.userDense);
}

/** The item vectors v [N, dim]. */
export function itemVec(s: ModelSpec, P: TensorParams, x: Pick<TfInputs, 'itemCat' | 'itemDense'>): tf.Tensor2D {
  return tower(s, P, 'item', x.itemCat, x.itemDense);
}

/** The score [N] from vectors (and the architecture's extra inputs): the logit (binary) or the value (regression). */
export function combineTf(s: ModelSpec, P: TensorParams, u: tf.Tensor2D, v: tf.Tensor2D, x: Pick<TfInputs, 'itemAge' | 'userCat'>): tf.Tensor1D {
  const dot = tf.sum(tf.mul(u, v), 1) as tf.Tensor1D;
  const term = archModel(s.arch).parts?.scoreTf?.(tf, s, P, u, v, x);
  return term ? tf.add(dot, term) : dot;
}

/** Scores a batch with TF.js (on whatever backend is active); returns one score per row. */
export function scoreTf(p: Params, batch: FeatureBatch): Float32Array {
  const s = p.spec;
  return tf.tidy(() => {
    const P = toTensors(p);
    const x = inputsOf(s, batch);
    const out = combineTf(s, P, userVec(s, P, x), itemVec(s, P, x), x).dataSync() as Float32Array;
    return Float32Array.from(out);
  });
}

/** User or item vectors with TF.js; returns [n * dim] row-major. */
export function vectorsTf(p: Params, which: 'user' | 'item', cat: Int32Array, dense: Float32Array, n: number): Float32Array {
  const s = p.spec;
  const L = s.layout;
  return tf.tidy(() => {
    const P = toTensors(p);
    const out = which === 'user'
      ? userVec(s, P, { userCat: tf.tensor2d(cat, [n, L.userCat.length], 'int32'), userDense: tf.tensor2d(dense, [n, L.userDenseDim]) })
      : itemVec(s, P, { itemCat: tf.tensor2d(cat, [n, L.itemCat.length], 'int32'), itemDense: tf.tensor2d(dense, [n, L.itemDenseDim]) });
    return Float32Array.from(out.dataSync() as Float32Array);
  });
}

/**
 * The training loss with TF.js ops (mean over the batch): BCE-with-logits or MSE, plus the architecture's own
 * loss term where it has one (two-tower-grl: lambda * the masked mean squared error of the length head, whose
 * gradient reaches the item tower reversed).
 * `lenZ` is the standardised log1p(length) (NaN where unknown).
 */
export function lossTf(s: ModelSpec, P: TensorParams, x: TfInputs, label: tf.Tensor1D, lenZ?: tf.Tensor1D): tf.Scalar {
  const u = userVec(s, P, x);
  const v = itemVec(s, P, x);
  const score = combineTf(s, P, u, v, x);
  const n = score.shape[0];
  let loss = s.task === 'binary'
    ? tf.div(tf.sum(tf.sub(tf.softplus(score), tf.mul(label, score))), n)
    : tf.div(tf.sum(tf.square(tf.sub(score, label))), n);
  const extra = lenZ && archModel(s.arch).parts?.lossTf?.(tf, s, P, v, lenZ, n);
  if (extra) loss = tf.add(loss, extra);
  return loss as tf.Scalar;
}
