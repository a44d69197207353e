// The training step's gradient as one ONNX graph, for onnxruntime's MLAS kernels: the towers' forward (embedding
// Gathers, Gemm, Relu), the loss, the hand-written backward of step.ts as Gemm nodes with transpose flags
// (dW = H^T dZ is Gemm(H, dZ, transA=1), or for wide layers a plain Gemm of H transposed beforehand, weightGrad;
// dH = dZ W^T is Gemm(dZ, W, transB=1)), and the embedding gradients as
// ScatterND with reduction "add". Parameters are graph inputs and their gradients graph outputs, which the
// engine binds to views of one flat buffer where Adam runs (adam-simd.ts); the engine's graphs gather each
// batch's rows from the whole dataset fed as inputs (ort-engine.ts).
//
// A tower's first layer never builds its input [embeddings | dense] (a copy of the batch's widest tensor): its
// weight rows come in as two inputs, the embedding rows W_E and the dense rows W_D (views of the one parameter,
// graphParams), and x W0 + b0 = x_D W_D + (x_E W_E + b0), two Gemm nodes, the second taking the first as its C;
// the backward writes dW_E = x_E^T dZ and dW_D = x_D^T dZ straight into the two row blocks of W0's gradient.
import type { ModelSpec } from '../model/spec';
import { itemInWidth, userInWidth } from '../model/spec';
import { paramLayout, type ParamEntry } from '../model/params';
import { FLOAT, GraphBuilder, INT32, INT64 } from '../onnx/onnx-proto';
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

/**
 * One graph input over a stretch of the flat parameters, and its gradient output over the same stretch of the
 * flat gradient: a whole parameter, or one row block of a tower's first-layer weights when the tower has
 * embeddings (`user.w0@emb`, its first catDim x features rows, and `user.w0@dense`, the rest).
 */
export interface GraphParam {
  /** The input's name after names.param (and its gradient's after names.grad). */
  name: string;
  /** The parameter it is (part of). */
  param: string;
  /** Where the stretch starts in the flat parameters, and its length. */
  offset: number;
  size: number;
  shape: number[];
  /** The gradient output's shape: `shape`, except the towers' biases, [1, n] (a column of ones, transposed, times dZ). */
  gradShape: number[];
}

/** The graphs' parameter inputs, in layout order (they tile the flat parameters). */
export function graphParams(spec: ModelSpec): GraphParam[] {
  const out: GraphParam[] = [];
  for (const e of paramLayout(spec).entries) {
    const tower = /^(user|item)\.w0$/.exec(e.name)?.[1] as 'user' | 'item' | undefined;
    const E = tower ? (tower === 'user' ? spec.layout.userCat : spec.layout.itemCat).length * spec.catDim : 0;
    if (E === 0) {
      out.push({ name: e.name, param: e.name, offset: e.offset, size: e.size, shape: e.shape, gradShape: gradShape(e) });
      continue;
    }
    const [rows, cols] = e.shape;
    out.push({ name: `${e.name}@emb`, param: e.name, offset: e.offset, size: E * cols, shape: [E, cols], gradShape: [E, cols] });
    out.push({ name: `${e.name}@dense`, param: e.name, offset: e.offset + E * cols, size: (rows - E) * cols, shape: [rows - E, cols], gradShape: [rows - E, cols] });
  }
  return out;
}

/** How a graph takes its batch. */
export interface GraphOptions {
  /**
   * True: the whole dataset's columns are inputs (`table:user_dense`, ... with R rows), fed once and left in
   * place, and the graph gathers the batch's rows by a `rows` int32 [N] input. False (default): the batch's
   * columns are the inputs (`user_dense`, ... with N rows).
   */
  gatherRows?: boolean;
  /**
   * True (default): the wide layers' weight gradients are plain products of their transposed input where that
   * gives the transA product's bits (weightGrad). False: every weight gradient is a transA product (what the
   * default must equal, bit for bit).
   */
  plainWeightGrads?: boolean;
}

/** Builds the graph of `mode` for a spec the engine supports. */
export function buildTrainGraph(spec: ModelSpec, mode: GraphMode, o: GraphOptions = {}): Buffer {
  if (!ortSupports(spec)) throw new Error(`the onnxruntime engine does not cover ${spec.arch} ${spec.task}`);
  const g = new GraphBuilder(`train_${mode}`);
  const pieces = graphParams(spec);
  const P = new Map<string, string>();
  for (const q of pieces) P.set(q.name, g.inputOf(names.param(q.name), FLOAT, q.shape));
  const p = (n: string) => P.get(n)!;
  const L = spec.layout;
  const rows = o.gatherRows ? g.inputOf('rows', INT32, ['N']) : undefined;
  // A batch column: an input, or the batch's rows of the resident table.
  const batchInput = (name: string, elem: number, dims: (number | string)[]): string => rows
    ? g.node('Gather', [g.inputOf(names.table(name), elem, ['R', ...dims.slice(1)]), rows], name, { axis: 0 })
    : g.inputOf(name, elem, dims);
  const catIn = { user: batchInput('user_cat', INT32, ['N', L.userCat.length]), item: batchInput('item_cat', INT32, ['N', L.itemCat.length]) };
  const denseIn = { user: batchInput('user_dense', FLOAT, ['N', L.userDenseDim]), item: batchInput('item_dense', FLOAT, ['N', L.itemDenseDim]) };
  // A tower's categorical ids as int64 [N, 1] columns, cast once per tower and split: ScatterND's indices as
  // they are, and the forward's Gathers through a Squeeze (a view).
  const idCols = new Map<string, string[]>();
  const idColumns = (tower: 'user' | 'item'): string[] => {
    if (!idCols.has(tower)) {
      const nc = (tower === 'user' ? L.userCat : L.itemCat).length;
      const ids = g.node('Cast', [catIn[tower]], g.tmp('ids'), { to: INT64 });
      const cols = nc === 1 ? [ids] : Array.from({ length: nc }, () => g.tmp('idx'));
      if (nc > 1) g.nodeOutputs('Split', [ids], cols, { axis: 1 });
      idCols.set(tower, cols);
    }
    return idCols.get(tower)!;
  };
  const axis1 = g.int64s('axis1', [1], [1]);
  const axis0 = g.int64s('axis0', [0], [1]);
  // The column j of a tower's categorical ids, [N].
  const column = (tower: 'user' | 'item', j: number): string => g.node('Squeeze', [idColumns(tower)[j], axis1], g.tmp('id'));

  const embCache = new Map<string, string[]>();
  const embeddingsOf = (tower: 'user' | 'item'): string[] => {
    const feats = tower === 'user' ? L.userCat : L.itemCat;
    if (!embCache.has(tower)) embCache.set(tower, feats.map((c, j) => g.node('Gather', [p(`${tower}.emb.${c.name}`), column(tower, j)], g.tmp('emb'), { axis: 0 })));
    return embCache.get(tower)!;
  };
  // The activations the backward reads: the first layer's input as its embedding and dense blocks, then each
  // hidden layer's output.
  const forward = (tower: 'user' | 'item') => {
    const embs = embeddingsOf(tower);
    const dense = denseIn[tower];
    const xE = embs.length > 1 ? g.node('Concat', embs, g.tmp('xe'), { axis: 1 }) : embs[0];
    const acts: string[] = [];
    const layers = spec.hidden.length + 1;
    let h = dense;
    for (let i = 0; i < layers; i++) {
      const z = i === 0 && xE
        ? g.node('Gemm', [dense, p(`${tower}.w0@dense`), g.node('Gemm', [xE, p(`${tower}.w0@emb`), p(`${tower}.b0`)], g.tmp('ze'))], g.tmp('z'))
        : g.node('Gemm', [h, p(`${tower}.w${i}`), p(`${tower}.b${i}`)], g.tmp('z'));
      h = i + 1 === layers ? z : g.node('Relu', [z], g.tmp('h'));
      if (i + 1 < layers) acts.push(h);
    }
    return { xE, dense, acts, out: h };
  };

  const uf = forward('user');
  const vf = forward('item');
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
      const zeros = g.node('ConstantOfShape', [g.int64s(g.tmp('shape'), [c.size, spec.catDim], [2])], g.tmp('zeros'));
      kit.grad(`${tower}.emb.${c.name}`, g.node('ScatterND', [zeros, idColumns(tower)[j], d], g.tmp('gemb'), { reduction: 'add' }));
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
  // Scores, labels and dLoss/dscore stay [N, 1] columns, the shape the heads and the towers' backward take.
  const dot = g.node('ReduceSum', [g.node('Mul', [uf.out, vf.out], g.tmp('uv')), axis1], head?.out ? g.tmp('dot') : 'score', { keepdims: 1 });
  const score = head?.out ? g.node('Add', [dot, head.out], 'score') : dot;
  if (mode === 'predict') {
    g.outputOf('score', FLOAT, ['N', 1]);
    return g.encode('modelops training forward', {}, TRAIN_OPSET);
  }

  const label = batchInput('label', FLOAT, ['N', 1]);
  const scale = g.inputOf('scale', FLOAT, []);
  let rowLoss: string;
  let ds: string;
  if (spec.task === 'binary') {
    // BCE on the logit z: softplus(z) - z y (onnxruntime's Softplus is the stable max(z, 0) + log(1 + exp(-|z|)));
    // d/dz = sigmoid(z) - y.
    rowLoss = g.node('Sub', [g.node('Softplus', [score], g.tmp('sp')), g.node('Mul', [score, label], g.tmp('zy'))], g.tmp('loss'));
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
  let du = g.node('Mul', [ds, vf.out], g.tmp('du'));
  let dv = g.node('Mul', [ds, uf.out], g.tmp('dv'));
  const extra = head?.backward(ds) ?? {};
  if (extra.du) du = g.node('Add', [du, extra.du], g.tmp('du'));
  if (extra.dv) dv = g.node('Add', [dv, extra.dv], g.tmp('dv'));
  for (const name of extraOutputs) g.outputOf(name, FLOAT, []);

  // A [N, 1] column of ones (N, the batch, known at run time), the label's shape.
  let ones: string | undefined;
  const onesColumn = () => (ones ??= g.node('Expand', [g.floats('one_f', Float32Array.of(1), [1, 1]), g.node('Shape', [label], g.tmp('shape'))], 'ones'));
  const backward = (tower: 'user' | 'item', f: ReturnType<typeof forward>, dOut: string) => {
    const feats = tower === 'user' ? L.userCat : L.itemCat;
    const e = spec.catDim;
    const outWidth = [...spec.hidden, spec.dim];
    let dz = dOut;
    for (let i = f.acts.length; i >= 0; i--) {
      // The bias gradient, the column sums of dZ, as a product with a column of ones (MLAS) rather than a
      // ReduceSum; it stays [1, n] (gradShape): the engine's output tensor over the flat buffer takes that shape.
      grads.set(`${tower}.b${i}`, g.node('Gemm', [onesColumn(), dz], g.tmp('gb'), { transA: 1 }));
      if (i > 0) {
        const h = f.acts[i - 1];
        grads.set(`${tower}.w${i}`, weightGrad(g, h, dz, spec.hidden[i - 1], outWidth[i], o.plainWeightGrads));
        const dh = g.node('Gemm', [dz, p(`${tower}.w${i}`)], g.tmp('dh'), { transB: 1 });
        // ReLU's mask as 0/1 floats times dH (cheaper than Where, which also turns -0 into 0; Sign(h), one node
        // instead of two, gives the same values but took 88-107 us per [1024, 256] mask against 74-77 us).
        dz = g.node('Mul', [dh, g.node('Cast', [g.node('Greater', [h, zero], g.tmp('mask'))], g.tmp('maskf'), { to: FLOAT })], g.tmp('dz'));
      } else if (f.xE) {
        grads.set(`${tower}.w0@dense`, weightGrad(g, f.dense, dz, tower === 'user' ? L.userDenseDim : L.itemDenseDim, outWidth[0], o.plainWeightGrads));
        grads.set(`${tower}.w0@emb`, g.node('Gemm', [f.xE, dz], g.tmp('gw'), { transA: 1 }));
        // Only the embedding columns of the first layer's input need a gradient.
        const dEmb = g.node('Gemm', [dz, p(`${tower}.w0@emb`)], g.tmp('demb'), { transB: 1 });
        feats.forEach((_, j) => kit.embeddingGrad(tower, j, feats.length === 1 ? dEmb : kit.columns(dEmb, j * e, j * e + e)));
      } else {
        grads.set(`${tower}.w0`, weightGrad(g, f.dense, dz, tower === 'user' ? L.userDenseDim : L.itemDenseDim, outWidth[0], o.plainWeightGrads));
      }
    }
  };
  backward('user', uf, du);
  backward('item', vf, dv);

  for (const q of pieces) {
    g.node('Identity', [grads.get(q.name)!], names.grad(q.name));
    g.outputOf(names.grad(q.name), FLOAT, q.gradShape);
  }
  return g.encode('modelops training gradients', {}, TRAIN_OPSET);
}

/**
 * The weight gradient H^T dZ, [k, n] (k the layer's input width, n its output width), as a plain product of H
 * transposed beforehand where that gives the same bits as the transA product (and `plain` is not false): MLAS
 * transposes A piece by piece inside a transA product, which costs more than one transpose of H (the user tower's
 * [1024, 1035] input: 10.3 -> 9.3 ms of CPU on two threads). MLAS sums over the batch in slices of 128 rows in
 * either form, except that a plain product whose column block is at most 64 wide takes longer slices; a product
 * with n <= k is split across threads by rows, so its column block is n, and n > 64 keeps its sums those of the
 * transA product (checked over shapes, batch sizes and 1, 2 and 4 threads). The transpose goes through a
 * [N, k, 1] view because onnxruntime folds a 2-D Transpose feeding a Gemm back into the Gemm's transA flag.
 */
export function weightGrad(g: GraphBuilder, h: string, dz: string, k: number, n: number, plain = true): string {
  if (!plain || !(n > 64 && n <= k)) return g.node('Gemm', [h, dz], g.tmp('gw'), { transA: 1 });
  const h3 = g.node('Reshape', [h, g.int64s(g.tmp('shape'), [0, k, 1], [3])], g.tmp('h3'));
  const t3 = g.node('Transpose', [h3], g.tmp('ht3'), { perm: [1, 2, 0] });
  const ht = g.node('Reshape', [t3, g.int64s(g.tmp('shape'), [k, -1], [2])], g.tmp('ht'));
  return g.node('Gemm', [ht, dz], g.tmp('gw'));
}

/**
 * The shape of a parameter's gradient output: the parameter's, except the towers' biases, [1, n] (the product of
 * a transposed column of ones and dZ, left unsqueezed).
 */
export function gradShape(e: Pick<ParamEntry, 'name' | 'shape'>): number[] {
  return /^(user|item)\.b\d+$/.test(e.name) ? [1, ...e.shape] : e.shape;
}

/** Input widths of the towers (for callers that gather rows). */
export function towerWidths(spec: ModelSpec): { user: number; item: number } {
  return { user: userInWidth(spec), item: itemInWidth(spec) };
}
