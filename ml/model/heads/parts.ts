// What an architecture's head plugs into: the TF.js reference forward (tf-model.ts), the trainer's hand-written
// step (ml/train/step.ts) and the ONNX export. Each head (age.ts, late.ts, adversarial.ts) implements the same
// parts, so the callers never compare architecture names. TF.js is passed in, not imported, so serving (which
// loads these objects for their head kind) never loads TF.js.
import type * as TF from '@tensorflow/tfjs';
import type { ModelSpec } from '../spec';
import type { Params } from '../params';
import type { GraphBuilder } from '../../onnx/onnx-proto';

/** The TF.js module, handed in by tf-model.ts. */
export type Tf = typeof TF;
/** Parameter tensors by name. */
export type TensorParams = Record<string, TF.Tensor>;

/** The rows a training step reads beyond the towers' inputs (ml/train/data.ts TrainData has them). */
export interface StepData {
  userCat: Int32Array;
  itemAge: Float32Array;
  /** Standardised log1p(length); NaN where unknown. */
  lenZ: Float32Array;
}

/** The trainer's helpers a head's step uses (ml/train/step.ts gives them). */
export interface StepKit {
  readonly spec: ModelSpec;
  /** A parameter's (or its gradient's) view in a flat array. */
  view(buf: Float32Array, name: string): Float32Array;
  /** C = A B for row-major A [m x k], B [k x n]. */
  mm(a: Float32Array, m: number, k: number, b: Float32Array, n: number): Float32Array;
  /** The transpose of a row-major [rows x cols] matrix. */
  transpose(a: Float32Array, rows: number, cols: number): Float32Array;
  /** Scatter-adds embedding gradients (stride floats per row, from colOffset) into the tower's tables. */
  scatter(grad: Float32Array, tower: 'user' | 'item', dEmb: Float32Array, stride: number, cat: Int32Array, rows: Int32Array, colOffset?: number): void;
}

/** What a head's forward step keeps for its backward step; `out` is added to the score when present. */
export interface StepCache {
  out?: Float32Array;
}

/** The parts of one head; every member is optional except parameters and FLOPs. */
export interface HeadParts {
  /** Appends the head's parameters (name and shape), in their saved order. */
  params(s: ModelSpec, add: (name: string, shape: number[]) => void): void;
  /** Multiply-adds per example. */
  macs(s: ModelSpec): number;
  /** TF.js: the term added to u . v, [N] or [N, 1]. */
  scoreTf?(tf: Tf, s: ModelSpec, P: TensorParams, u: TF.Tensor2D, v: TF.Tensor2D, x: { itemAge: TF.Tensor2D; userCat: TF.Tensor2D }): TF.Tensor;
  /** TF.js: the term added to the mean task loss (already weighted and averaged over the n rows). */
  lossTf?(tf: Tf, s: ModelSpec, P: TensorParams, v: TF.Tensor2D, lenZ: TF.Tensor1D, n: number): TF.Tensor;
  /** head.onnx of trained parameters. */
  onnxHead?(p: Params): Buffer;
  /**
   * The onnxruntime training engine's piece of the head (forward, backward) given the towers' outputs u, v
   * [N, dim]; a head without it is trained by the wasm step only.
   */
  graphStep?(k: GraphKit, u: string, v: string): GraphStep;
  /** Trainer: the forward part of the step for `rows` (u, v: the towers' outputs, b x dim). */
  stepForward?(k: StepKit, params: Float32Array, u: Float32Array, v: Float32Array, d: StepData, rows: Int32Array): StepCache;
  /**
   * Trainer: adds the head's gradient into `grad` and its share into du, dv (ds: dLoss/dscore, scaled);
   * returns the head's own unscaled loss sum (0 when it has none).
   */
  stepBackward?(k: StepKit, params: Float32Array, grad: Float32Array, cache: StepCache, ds: Float32Array, u: Float32Array, v: Float32Array,
    du: Float32Array, dv: Float32Array, d: StepData, rows: Int32Array, scale: number): number;
}

/** TF.js: Relu(x W0 + b0) W1 + b1 from `{prefix}.w0` .. `{prefix}.b1`. */
export function mlp2Tf(tf: Tf, P: TensorParams, prefix: string, x: TF.Tensor2D): TF.Tensor2D {
  const h = tf.relu(tf.add(tf.matMul(x, P[`${prefix}.w0`] as TF.Tensor2D), P[`${prefix}.b0`])) as TF.Tensor2D;
  return tf.add(tf.matMul(h, P[`${prefix}.w1`] as TF.Tensor2D), P[`${prefix}.b1`]);
}

/** Appends the four parameters of a two-layer MLP with one output. */
export function mlp2Params(prefix: string, inW: number, hidden: number, add: (name: string, shape: number[]) => void): void {
  add(`${prefix}.w0`, [inW, hidden]); add(`${prefix}.b0`, [hidden]);
  add(`${prefix}.w1`, [hidden, 1]); add(`${prefix}.b1`, [1]);
}

/** dst += src, elementwise. */
export function addInto(dst: Float32Array, src: Float32Array): void {
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}

/** The training-graph helpers a head's ONNX step piece uses (ml/train/ort-graph.ts gives them). */
export interface GraphKit {
  readonly spec: ModelSpec;
  readonly g: GraphBuilder;
  /** The graph input holding a parameter's current value. */
  param(name: string): string;
  /** Records the gradient of a parameter (one node output per parameter). */
  grad(name: string, value: string): void;
  /** The item_age input, [N, 1] (declared on first use). */
  itemAge(): string;
  /** The standardised log1p(length) input, [N], NaN where unknown (declared on first use; backward only). */
  lenZ(): string;
  /** The scalar input 1 / batch size (backward only). */
  scale(): string;
  /** The [N, catDim] embedding rows of each categorical column of a tower (the same Gathers the tower uses). */
  embeddings(tower: 'user' | 'item'): string[];
  /** Scatter-adds `d` [N, catDim] into the gradient of the tower's column `j` table. */
  embeddingGrad(tower: 'user' | 'item', j: number, d: string): void;
  /** Columns [from, to) of a [N, W] tensor. */
  columns(x: string, from: number, to: number): string;
  /** Declares a scalar graph output `name` (e.g. a head's own loss sum) computed by `value`. */
  scalarOutput(name: string, value: string): void;
  /** Constants: the int64 axes [0] and [1] and a float 0. */
  readonly axis0: string;
  readonly axis1: string;
  readonly zero: string;
}

/** A head's training-graph piece: the term added to the score [N, 1] and its backward from dLoss/dscore [N, 1]. */
export interface GraphStep {
  out?: string;
  /** Emits the head's gradients; returns its additions to dLoss/du and dLoss/dv ([N, dim]) if any. */
  backward(ds: string): { du?: string; dv?: string };
}

/**
 * The training-graph piece of Relu(x W0 + b0) W1 + b1 (`{prefix}.w0` .. `{prefix}.b1`): its output [N, 1] and a
 * backward that records the four gradients and returns dLoss/dx when `needDx` (Gemm nodes with transposes, as
 * the towers' backward in ml/train/ort-graph.ts).
 */
export function mlp2Graph(k: GraphKit, prefix: string, x: string): { out: string; backward(dOut: string, needDx: boolean): string | undefined } {
  const g = k.g;
  const w0 = k.param(`${prefix}.w0`);
  const w1 = k.param(`${prefix}.w1`);
  const h = g.node('Relu', [g.node('Gemm', [x, w0, k.param(`${prefix}.b0`)], g.tmp('z'))], g.tmp('h'));
  const out = g.node('Gemm', [h, w1, k.param(`${prefix}.b1`)], g.tmp('o'));
  return {
    out,
    backward(dOut, needDx) {
      k.grad(`${prefix}.w1`, g.node('Gemm', [h, dOut], g.tmp('gw'), { transA: 1 }));
      k.grad(`${prefix}.b1`, g.node('ReduceSum', [dOut, k.axis0], g.tmp('gb'), { keepdims: 0 }));
      const dh = g.node('Gemm', [dOut, w1], g.tmp('dh'), { transB: 1 });
      const dz = g.node('Where', [g.node('Greater', [h, k.zero], g.tmp('mask')), dh, k.zero], g.tmp('dz'));
      k.grad(`${prefix}.w0`, g.node('Gemm', [x, dz], g.tmp('gw'), { transA: 1 }));
      k.grad(`${prefix}.b0`, g.node('ReduceSum', [dz, k.axis0], g.tmp('gb'), { keepdims: 0 }));
      return needDx ? g.node('Gemm', [dz, w0], g.tmp('dx'), { transB: 1 }) : undefined;
    },
  };
}
