// The hand-written forward/backward step of the fast trainer. Every large product is a plain matmul
// (matmul.ts): dW = H^T dZ multiplies an explicitly transposed H, dH = dZ W^T an explicitly transposed W.
// The first layer's input gradient is computed only for its embedding columns (the dense inputs need
// none), which removes about a third of the backward work of the wide first layers. Embedding gradients
// are scatter-adds in JS (the wasm backend has no kernel for the gather gradient), and so are the tiny
// heads, whose pieces live with their architecture (ml/model/heads/). The result is checked against TF.js autodiff of ml/model/tf-model.ts (step.test.ts).
import type { ModelSpec } from '../model/spec';
import { itemInWidth, userInWidth } from '../model/spec';
import { paramLayout, type ParamEntry } from '../model/params';
import { archModel } from '../model/arch';
import type { HeadParts, StepKit } from '../model/heads/parts';
import type { MatMul } from './matmul';
import { transpose } from './matmul';
import type { TrainData } from './data';

/** Sums of the per-row losses of one slice (the caller divides by the global batch size). */
export interface StepLoss {
  task: number;
  adv: number;
}

interface TowerCache {
  acts: Float32Array[]; // H0 = input, H1.. = hidden activations (post-ReLU)
  out: Float32Array;
}

/** The training step of one spec: computes the gradient of a slice of a batch into a flat gradient array. */
export class Step {
  private readonly at: Map<string, ParamEntry>;
  /** What the architecture adds to the towers (its head's forward and backward pieces), if anything. */
  private readonly parts: HeadParts | undefined;
  /** The helpers handed to the head's pieces. */
  private readonly kit: StepKit;

  constructor(readonly spec: ModelSpec, private readonly mm: MatMul) {
    this.at = new Map(paramLayout(spec).entries.map((e) => [e.name, e]));
    this.parts = archModel(spec.arch).parts;
    this.kit = {
      spec, mm, transpose: (a, rows, cols) => transpose(a, rows, cols),
      view: (buf, name) => this.view(buf, name),
      scatter: (grad, tower, dEmb, stride, cat, rows, colOffset) => this.scatter(grad, tower, dEmb, stride, cat, rows, colOffset),
    };
  }

  private view(buf: Float32Array, name: string): Float32Array {
    const e = this.at.get(name)!;
    return buf.subarray(e.offset, e.offset + e.size);
  }

  /** Gathers a tower's input rows: the embeddings of each categorical column, then the dense inputs. */
  private input(params: Float32Array, tower: 'user' | 'item', d: TrainData, rows: Int32Array): Float32Array {
    const s = this.spec;
    const feats = tower === 'user' ? s.layout.userCat : s.layout.itemCat;
    const cat = tower === 'user' ? d.userCat : d.itemCat;
    const dense = tower === 'user' ? d.userDense : d.itemDense;
    const dd = tower === 'user' ? s.layout.userDenseDim : s.layout.itemDenseDim;
    const inW = tower === 'user' ? userInWidth(s) : itemInWidth(s);
    const e = s.catDim;
    const nc = feats.length;
    const x = new Float32Array(rows.length * inW);
    const tables = feats.map((c) => this.view(params, `${tower}.emb.${c.name}`));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const o = r * inW;
      for (let j = 0; j < nc; j++) {
        const id = cat[row * nc + j];
        x.set(tables[j].subarray(id * e, id * e + e), o + j * e);
      }
      x.set(dense.subarray(row * dd, row * dd + dd), o + nc * e);
    }
    return x;
  }

  private towerForward(params: Float32Array, tower: 'user' | 'item', x: Float32Array, b: number): TowerCache {
    const s = this.spec;
    const widths = [tower === 'user' ? userInWidth(s) : itemInWidth(s), ...s.hidden, s.dim];
    const acts = [x];
    let h = x;
    for (let i = 0; i + 1 < widths.length; i++) {
      const out = widths[i + 1];
      const z = this.mm(h, b, widths[i], this.view(params, `${tower}.w${i}`), out);
      const bias = this.view(params, `${tower}.b${i}`);
      const last = i + 2 === widths.length;
      for (let r = 0; r < b; r++) {
        const o = r * out;
        for (let j = 0; j < out; j++) {
          const v = z[o + j] + bias[j];
          z[o + j] = last || v > 0 ? v : 0;
        }
      }
      if (!last) acts.push(z);
      h = z;
    }
    return { acts, out: h };
  }

  private towerBackward(params: Float32Array, grad: Float32Array, tower: 'user' | 'item', c: TowerCache, dOut: Float32Array,
    b: number, d: TrainData, rows: Int32Array): void {
    const s = this.spec;
    const widths = [tower === 'user' ? userInWidth(s) : itemInWidth(s), ...s.hidden, s.dim];
    let dz = dOut;
    for (let i = widths.length - 2; i >= 0; i--) {
      const inW = widths[i];
      const out = widths[i + 1];
      const h = c.acts[i];
      addInto(this.view(grad, `${tower}.w${i}`), this.mm(transpose(h, b, inW), inW, b, dz, out));
      const gb = this.view(grad, `${tower}.b${i}`);
      for (let r = 0; r < b; r++) for (let j = 0; j < out; j++) gb[j] += dz[r * out + j];
      const w = this.view(params, `${tower}.w${i}`);
      if (i > 0) {
        const dh = this.mm(dz, b, out, transpose(w, inW, out), inW);
        for (let k = 0; k < dh.length; k++) if (h[k] <= 0) dh[k] = 0;
        dz = dh;
      } else {
        this.embeddingBackward(grad, tower, dz, w, out, b, d, rows);
      }
    }
  }

  /** dEmb = dZ0 W0[embedding rows]^T, scatter-added into the tables' gradients. */
  private embeddingBackward(grad: Float32Array, tower: 'user' | 'item', dz: Float32Array, w0: Float32Array, out: number,
    b: number, d: TrainData, rows: Int32Array): void {
    const s = this.spec;
    const feats = tower === 'user' ? s.layout.userCat : s.layout.itemCat;
    const cat = tower === 'user' ? d.userCat : d.itemCat;
    const e = s.catDim;
    const E = feats.length * e;
    if (E === 0) return;
    const dEmb = this.mm(dz, b, out, transpose(w0.subarray(0, E * out), E, out), E);
    this.scatter(grad, tower, dEmb, E, cat, rows);
  }

  private scatter(grad: Float32Array, tower: 'user' | 'item', dEmb: Float32Array, stride: number, cat: Int32Array, rows: Int32Array, colOffset = 0): void {
    const s = this.spec;
    const feats = tower === 'user' ? s.layout.userCat : s.layout.itemCat;
    const e = s.catDim;
    const nc = feats.length;
    const tables = feats.map((f) => this.view(grad, `${tower}.emb.${f.name}`));
    for (let r = 0; r < rows.length; r++) {
      for (let j = 0; j < nc; j++) {
        const id = cat[rows[r] * nc + j];
        const t = tables[j];
        const src = r * stride + colOffset + j * e;
        for (let k = 0; k < e; k++) t[id * e + k] += dEmb[src + k];
      }
    }
  }

  /**
   * Adds the gradient of sum-over-rows(loss) * `scale` into `grad` (same layout as the parameters) for
   * the rows `rows` of `d`, and returns the unscaled loss sums. `scale` is 1 / global batch size.
   */
  run(params: Float32Array, grad: Float32Array, d: TrainData, rows: Int32Array, scale: number): StepLoss {
    const s = this.spec;
    const b = rows.length;
    const D = s.dim;
    const uc = this.towerForward(params, 'user', this.input(params, 'user', d, rows), b);
    const ic = this.towerForward(params, 'item', this.input(params, 'item', d, rows), b);
    const u = uc.out;
    const v = ic.out;
    const score = new Float32Array(b);
    for (let r = 0; r < b; r++) {
      let acc = 0;
      for (let k = 0; k < D; k++) acc += u[r * D + k] * v[r * D + k];
      score[r] = acc;
    }
    const parts = this.parts;
    const head = parts?.stepForward?.(this.kit, params, u, v, d, rows) ?? {};
    const extra = head.out;
    if (extra) for (let r = 0; r < b; r++) score[r] += extra[r];

    // dLoss/dscore, scaled.
    const ds = new Float32Array(b);
    let task = 0;
    for (let r = 0; r < b; r++) {
      const y = d.label[rows[r]];
      const z = score[r];
      if (s.task === 'binary') {
        task += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
        ds[r] = (1 / (1 + Math.exp(-z)) - y) * scale;
      } else {
        task += (z - y) * (z - y);
        ds[r] = 2 * (z - y) * scale;
      }
    }
    const du = new Float32Array(b * D);
    const dv = new Float32Array(b * D);
    for (let r = 0; r < b; r++) {
      for (let k = 0; k < D; k++) {
        du[r * D + k] = ds[r] * v[r * D + k];
        dv[r * D + k] = ds[r] * u[r * D + k];
      }
    }
    const adv = parts?.stepBackward?.(this.kit, params, grad, head, ds, u, v, du, dv, d, rows, scale) ?? 0;
    this.towerBackward(params, grad, 'user', uc, du, b, d, rows);
    this.towerBackward(params, grad, 'item', ic, dv, b, d, rows);
    return { task, adv };
  }

  /** Forward only: the scores of `rows` (validation and the ONNX parity sample use the same numbers). */
  predict(params: Float32Array, d: TrainData, rows: Int32Array): Float32Array {
    const s = this.spec;
    const b = rows.length;
    const D = s.dim;
    const u = this.towerForward(params, 'user', this.input(params, 'user', d, rows), b).out;
    const v = this.towerForward(params, 'item', this.input(params, 'item', d, rows), b).out;
    const score = new Float32Array(b);
    for (let r = 0; r < b; r++) {
      let acc = 0;
      for (let k = 0; k < D; k++) acc += u[r * D + k] * v[r * D + k];
      score[r] = acc;
    }
    const extra = this.parts?.stepForward?.(this.kit, params, u, v, d, rows).out;
    if (extra) for (let r = 0; r < b; r++) score[r] += extra[r];
    return score;
  }
}

function addInto(dst: Float32Array, src: Float32Array): void {
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}
