// The training step's gradient as one ONNX graph, for onnxruntime's MLAS kernels: the towers' forward (embedding
// Gathers, Gemm, Relu), the loss, the hand-written backward of step.ts as Gemm nodes with transpose flags
// (dW = H^T dZ is Gemm(H, dZ, transA=1), dH = dZ W^T is Gemm(dZ, W, transB=1)), and the embedding gradients as
// ScatterND with reduction "add". Parameters are graph inputs and their gradients graph outputs, which the
// engine binds to views of one flat buffer where Adam runs (adam-simd.ts); the engine's graphs gather each
// batch's rows from the whole dataset fed as inputs (ort-engine.ts).
import type { ModelSpec } from '../model/spec';
import { itemInWidth, userInWidth } from '../model/spec';
import { paramLayout, type ParamEntry } from '../model/params';
import { FLOAT, GraphBuilder, INT32 } from '../onnx/onnx-proto';
import { archModel } from '../model/arch';
import type { GraphKit } from '../model/heads/parts';

/** The opset of the training graphs: ScatterND's reduction attribute needs 16. */
export const TRAIN_OPSET = 17;

/**
 * What a graph computes: `grads` is the forward and backward pass of a step (outputs the loss sum and the
 * gradient of every parameter); `predict` is the forward pass (outputs the scores).
 */
export type GraphMode = 'grads' | 'predict';

/**
 * The arch x task pairs the engine's graphs cover (both tasks of every architecture whose head, if any, has a
 * training-graph piece); the trainer falls back to the wasm step for the others.
 */
export function ortSupports(spec: Pick<ModelSpec, 'arch' | 'task'>): boolean {
  const parts = archModel(spec.arch).parts;
  return !parts || parts.graphStep !== undefined;
}

/** Graph input names of a parameter and of the dataset's tables, and output names of the gradients. */
export const names = {
  param: (n: string) => `p:${n}`, grad: (n: string) => `g:${n}`, table: (column: string) => `table:${column}`,
};

/** How a graph takes its batch. */
export interface GraphOptions {
  /**
   * True: the whole dataset's columns are inputs (`table:user_dense`, ... with R rows), fed once and left in
   * place, and the graph gathers the batch's rows by a `rows` int32 [N] input. False (default): the batch's
   * columns are the inputs (`user_dense`, ... with N rows).
   */
  gatherRows?: boolean;
}

/** Builds the graph of `mode` for a spec the engine supports. */
export function buildTrainGraph(spec: ModelSpec, mode: GraphMode, o: GraphOptions = {}): Buffer {
  if (!ortSupports(spec)) throw new Error(`the onnxruntime engine does not cover ${spec.arch} ${spec.task}`);
  const g = new GraphBuilder(`train_${mode}`);
  const { entries } = paramLayout(spec);
  const P = new Map<string, string>();
  for (const e of entries) P.set(e.name, g.inputOf(names.param(e.name), FLOAT, e.shape));
  const p = (n: string) => P.get(n)!;
  const L = spec.layout;
  const rows = o.gatherRows ? g.inputOf('rows', INT32, ['N']) : undefined;
  // A batch column: an input, or the batch's rows of the resident table.
  const batchInput = (name: string, elem: number, dims: (number | string)[]): string => rows
    ? g.node('Gather', [g.inputOf(names.table(name), elem, ['R', ...dims.slice(1)]), rows], name, { axis: 0 })
    : g.inputOf(name, elem, dims);
  const catIn = { user: batchInput('user_cat', INT32, ['N', L.userCat.length]), item: batchInput('item_cat', INT32, ['N', L.itemCat.length]) };
  const denseIn = { user: batchInput('user_dense', FLOAT, ['N', L.userDenseDim]), item: batchInput('item_dense', FLOAT, ['N', L.itemDenseDim]) };
  const colIds = new Map<string, string>();

  // The column j of a tower's categorical ids, [N].
  const column = (tower: 'user' | 'item', j: number): string => {
    const key = `${tower}${j}`;
    if (!colIds.has(key)) colIds.set(key, g.node('Gather', [catIn[tower], g.int64s(`${tower}.col${j}`, [j], [])], g.tmp('id'), { axis: 1 }));
    return colIds.get(key)!;
  };

  const embCache = new Map<string, string[]>();
  const embeddingsOf = (tower: 'user' | 'item'): string[] => {
    const feats = tower === 'user' ? L.userCat : L.itemCat;
    if (!embCache.has(tower)) embCache.set(tower, feats.map((c, j) => g.node('Gather', [p(`${tower}.emb.${c.name}`), column(tower, j)], g.tmp('emb'), { axis: 0 })));
    return embCache.get(tower)!;
  };
  const forward = (tower: 'user' | 'item') => {
    const embs = embeddingsOf(tower);
    const x = embs.length ? g.node('Concat', [...embs, denseIn[tower]], g.tmp('x'), { axis: 1 }) : denseIn[tower];
    const acts = [x];
    const layers = spec.hidden.length + 1;
    let h = x;
    for (let i = 0; i < layers; i++) {
      const z = g.node('Gemm', [h, p(`${tower}.w${i}`), p(`${tower}.b${i}`)], g.tmp('z'));
      h = i + 1 === layers ? z : g.node('Relu', [z], g.tmp('h'));
      if (i + 1 < layers) acts.push(h);
    }
    return { acts, out: h };
  };

  const uf = forward('user');
  const vf = forward('item');
  const axis1 = g.int64s('axis1', [1], [1]);
  const axis0 = g.int64s('axis0', [0], [1]);
  const zero = g.floats('zero', Float32Array.of(0), []);
  const grads = new Map<string, string>();
  let itemAge: string | undefined;
  let lenZ: string | undefined;
  const extraOutputs: string[] = [];
  const slice = (x: string, from: number, to: number, axis: string) =>
    g.node('Slice', [x, g.int64s(g.tmp('s'), [from], [1]), g.int64s(g.tmp('e'), [to], [1]), axis], g.tmp('slice'));
  const kit: GraphKit = {
    spec, g, param: p, axis0, axis1, zero,
    embeddings: embeddingsOf,
    columns: (x, from, to) => slice(x, from, to, axis1),
    embeddingGrad: (tower, j, d) => {
      const c = (tower === 'user' ? L.userCat : L.itemCat)[j];
      const idx = g.node('Unsqueeze', [g.node('Cast', [column(tower, j)], g.tmp('id64'), { to: 7 }), axis1], g.tmp('idx'));
      const zeros = g.node('ConstantOfShape', [g.int64s(g.tmp('shape'), [c.size, spec.catDim], [2])], g.tmp('zeros'));
      kit.grad(`${tower}.emb.${c.name}`, g.node('ScatterND', [zeros, idx, d], g.tmp('gemb'), { reduction: 'add' }));
    },
    // A parameter reached by two paths (the user embeddings through the tower and a head) sums its gradients.
    grad: (n, value) => grads.set(n, grads.has(n) ? g.node('Add', [grads.get(n)!, value], g.tmp('gsum')) : value),
    itemAge: () => (itemAge ??= batchInput('item_age', FLOAT, ['N', 1])),
    lenZ: () => (lenZ ??= batchInput('len_z', FLOAT, ['N'])),
    scale: () => 'scale',
    scalarOutput: (name, value) => {
      g.node('Identity', [value], name);
      extraOutputs.push(name);
    },
  };
  const head = archModel(spec.arch).parts?.graphStep?.(kit, uf.out, vf.out);
  const dot = g.node('ReduceSum', [g.node('Mul', [uf.out, vf.out], g.tmp('uv')), axis1], head?.out ? g.tmp('dot') : 'score', { keepdims: 0 });
  const score = head?.out ? g.node('Add', [dot, g.node('Squeeze', [head.out, axis1], g.tmp('ho'))], 'score') : dot;
  if (mode === 'predict') {
    g.outputOf('score', FLOAT, ['N']);
    return g.encode('modelops training forward', {}, TRAIN_OPSET);
  }

  const label = batchInput('label', FLOAT, ['N']);
  const scale = g.inputOf('scale', FLOAT, []);
  let rowLoss: string;
  let ds: string;
  if (spec.task === 'binary') {
    // BCE on the logit z: max(z, 0) - z y + log(1 + exp(-|z|)); d/dz = sigmoid(z) - y.
    const zy = g.node('Mul', [score, label], g.tmp('zy'));
    const soft = g.node('Softplus', [g.node('Neg', [g.node('Abs', [score], g.tmp('abs'))], g.tmp('neg'))], g.tmp('sp'));
    rowLoss = g.node('Add', [g.node('Sub', [g.node('Relu', [score], g.tmp('rz')), zy], g.tmp('d')), soft], g.tmp('loss'));
    ds = g.node('Mul', [g.node('Sub', [g.node('Sigmoid', [score], g.tmp('sig')), label], g.tmp('r')), scale], g.tmp('ds'));
  } else {
    // Squared error: (z - y)^2; d/dz = 2 (z - y).
    const d = g.node('Sub', [score, label], g.tmp('r'));
    rowLoss = g.node('Mul', [d, d], g.tmp('loss'));
    const two = g.floats('two', Float32Array.of(2), []);
    ds = g.node('Mul', [g.node('Mul', [d, two], g.tmp('d2')), scale], g.tmp('ds'));
  }
  g.node('ReduceSum', [rowLoss], 'loss_sum', { keepdims: 0 });
  g.outputOf('loss_sum', FLOAT, []);
  const ds2 = g.node('Unsqueeze', [ds, axis1], g.tmp('ds2'));
  let du = g.node('Mul', [ds2, vf.out], g.tmp('du'));
  let dv = g.node('Mul', [ds2, uf.out], g.tmp('dv'));
  const extra = head?.backward(ds2) ?? {};
  if (extra.du) du = g.node('Add', [du, extra.du], g.tmp('du'));
  if (extra.dv) dv = g.node('Add', [dv, extra.dv], g.tmp('dv'));
  for (const name of extraOutputs) g.outputOf(name, FLOAT, []);

  // A [1, N] row of ones (N, the batch, known at run time).
  let ones: string | undefined;
  const onesRow = () => (ones ??= g.node('Expand', [g.floats('one_f', Float32Array.of(1), [1, 1]), g.node('Concat', [g.int64s('one', [1], [1]),
    g.node('Slice', [g.node('Shape', [ds2], g.tmp('shape')), axis0, axis1], g.tmp('n'))], g.tmp('ones_shape'), { axis: 0 })], 'ones_row'));
  const backward = (tower: 'user' | 'item', acts: string[], dOut: string) => {
    const feats = tower === 'user' ? L.userCat : L.itemCat;
    const e = spec.catDim;
    let dz = dOut;
    for (let i = acts.length - 1; i >= 0; i--) {
      const h = acts[i];
      const w = p(`${tower}.w${i}`);
      grads.set(`${tower}.w${i}`, g.node('Gemm', [h, dz], g.tmp('gw'), { transA: 1 }));
      // The bias gradient, the column sums of dZ, as a product with a row of ones (MLAS) rather than a ReduceSum;
      // it stays [1, n] (gradShape): the engine's output tensor over the flat buffer takes that shape as well.
      grads.set(`${tower}.b${i}`, g.node('Gemm', [onesRow(), dz], g.tmp('gb')));
      if (i > 0) {
        const dh = g.node('Gemm', [dz, w], g.tmp('dh'), { transB: 1 });
        // ReLU's mask as 0/1 floats times dH (cheaper than Where, which also turns -0 into 0; Sign(h), one node
        // instead of two, gives the same values but took 88-107 us per [1024, 256] mask against 74-77 us).
        dz = g.node('Mul', [dh, g.node('Cast', [g.node('Greater', [h, zero], g.tmp('mask'))], g.tmp('maskf'), { to: FLOAT })], g.tmp('dz'));
      } else if (feats.length > 0) {
        // Only the embedding columns of the first layer's input need a gradient.
        const E = feats.length * e;
        const wE = g.node('Slice', [w, g.int64s(g.tmp('s'), [0], [1]), g.int64s(g.tmp('e'), [E], [1]), axis0], g.tmp('wE'));
        const dEmb = g.node('Gemm', [dz, wE], g.tmp('demb'), { transB: 1 });
        feats.forEach((_, j) => kit.embeddingGrad(tower, j, kit.columns(dEmb, j * e, j * e + e)));
      }
    }
  };
  backward('user', uf.acts, du);
  backward('item', vf.acts, dv);

  for (const e of entries) {
    g.node('Identity', [grads.get(e.name)!], names.grad(e.name));
    g.outputOf(names.grad(e.name), FLOAT, gradShape(e));
  }
  return g.encode('modelops training gradients', {}, TRAIN_OPSET);
}

/**
 * The shape of a parameter's gradient output: the parameter's, except the towers' biases, [1, n] (a row of ones
 * times dZ, left unsqueezed).
 */
export function gradShape(e: Pick<ParamEntry, 'name' | 'shape'>): number[] {
  return /^(user|item)\.b\d+$/.test(e.name) ? [1, ...e.shape] : e.shape;
}

/** Input widths of the towers (for callers that gather rows). */
export function towerWidths(spec: ModelSpec): { user: number; item: number } {
  return { user: userInWidth(spec), item: itemInWidth(spec) };
}
