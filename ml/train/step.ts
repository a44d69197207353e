// The hand-written forward/backward step of the fast trainer. Every large product is a plain matmul
// (matmul.ts): dW = H^T dZ multiplies an explicitly transposed H, dH = dZ W^T an explicitly transposed W.
// The first layer's input gradient is computed only for its embedding columns (the dense inputs need
// none), which removes about a third of the backward work of the wide first layers. Embedding gradients
// are scatter-adds in JS (the wasm backend has no kernel for the gather gradient), and so are the tiny
// heads. The result is checked against TF.js autodiff of ml/model/tf-model.ts (step.test.ts).
import type { ModelSpec } from '../model/spec';
import { itemInWidth, userInWidth } from '../model/spec';
import { paramLayout, type ParamEntry } from '../model/params';
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

  constructor(readonly spec: ModelSpec, private readonly mm: MatMul) {
    this.at = new Map(paramLayout(spec).entries.map((e) => [e.name, e]));
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
    const head = s.arch === 'modified-two-tower' ? this.headForward(params, u, v, d, rows) : undefined;
    const age = s.arch === 'two-tower-mod' ? this.ageForward(params, d, rows) : undefined;
    if (head) for (let r = 0; r < b; r++) score[r] += head.out[r];
    if (age) for (let r = 0; r < b; r++) score[r] += age.out[r];

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
    if (head) this.headBackward(params, grad, head, ds, u, v, du, dv, d, rows);
    if (age) this.ageBackward(params, grad, age, ds, d, rows);
    let adv = 0;
    if (s.arch === 'two-tower-grl') adv = this.advStep(params, grad, v, dv, d, rows, scale);
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
    if (s.arch === 'modified-two-tower') {
      const head = this.headForward(params, u, v, d, rows);
      for (let r = 0; r < b; r++) score[r] += head.out[r];
    }
    if (s.arch === 'two-tower-mod') {
      const age = this.ageForward(params, d, rows);
      for (let r = 0; r < b; r++) score[r] += age.out[r];
    }
    return score;
  }

  private ageForward(params: Float32Array, d: TrainData, rows: Int32Array) {
    const H = this.spec.ageHidden;
    const w0 = this.view(params, 'age.w0');
    const b0 = this.view(params, 'age.b0');
    const w1 = this.view(params, 'age.w1');
    const b1 = this.view(params, 'age.b1');
    const h = new Float32Array(rows.length * H);
    const out = new Float32Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const a = d.itemAge[rows[r]];
      let acc = b1[0];
      for (let j = 0; j < H; j++) {
        const z = a * w0[j] + b0[j];
        const hv = z > 0 ? z : 0;
        h[r * H + j] = hv;
        acc += hv * w1[j];
      }
      out[r] = acc;
    }
    return { h, out };
  }

  private ageBackward(params: Float32Array, grad: Float32Array, c: { h: Float32Array }, ds: Float32Array, d: TrainData, rows: Int32Array): void {
    const H = this.spec.ageHidden;
    const w1 = this.view(params, 'age.w1');
    const g = { w0: this.view(grad, 'age.w0'), b0: this.view(grad, 'age.b0'), w1: this.view(grad, 'age.w1'), b1: this.view(grad, 'age.b1') };
    for (let r = 0; r < rows.length; r++) {
      const a = d.itemAge[rows[r]];
      g.b1[0] += ds[r];
      for (let j = 0; j < H; j++) {
        const hv = c.h[r * H + j];
        g.w1[j] += ds[r] * hv;
        if (hv > 0) {
          const dz = ds[r] * w1[j];
          g.w0[j] += dz * a;
          g.b0[j] += dz;
        }
      }
    }
  }

  private headForward(params: Float32Array, u: Float32Array, v: Float32Array, d: TrainData, rows: Int32Array) {
    const s = this.spec;
    const D = s.dim;
    const e = s.catDim;
    const nc = s.layout.userCat.length;
    const inW = 3 * D + nc * e;
    const H = s.headHidden;
    const b = rows.length;
    const x = new Float32Array(b * inW);
    const tables = s.layout.userCat.map((c) => this.view(params, `user.emb.${c.name}`));
    for (let r = 0; r < b; r++) {
      const o = r * inW;
      for (let k = 0; k < D; k++) {
        const uk = u[r * D + k];
        const vk = v[r * D + k];
        x[o + k] = uk;
        x[o + D + k] = vk;
        x[o + 2 * D + k] = uk * vk;
      }
      for (let j = 0; j < nc; j++) {
        const id = d.userCat[rows[r] * nc + j];
        x.set(tables[j].subarray(id * e, id * e + e), o + 3 * D + j * e);
      }
    }
    const h = this.mm(x, b, inW, this.view(params, 'head.w0'), H);
    const b0 = this.view(params, 'head.b0');
    const w1 = this.view(params, 'head.w1');
    const b1 = this.view(params, 'head.b1')[0];
    const out = new Float32Array(b);
    for (let r = 0; r < b; r++) {
      let acc = b1;
      for (let j = 0; j < H; j++) {
        const z = h[r * H + j] + b0[j];
        const hv = z > 0 ? z : 0;
        h[r * H + j] = hv;
        acc += hv * w1[j];
      }
      out[r] = acc;
    }
    return { x, h, out, inW };
  }

  private headBackward(params: Float32Array, grad: Float32Array, c: { x: Float32Array; h: Float32Array; inW: number }, ds: Float32Array,
    u: Float32Array, v: Float32Array, du: Float32Array, dv: Float32Array, d: TrainData, rows: Int32Array): void {
    const s = this.spec;
    const D = s.dim;
    const H = s.headHidden;
    const b = rows.length;
    const inW = c.inW;
    const w1 = this.view(params, 'head.w1');
    const gw1 = this.view(grad, 'head.w1');
    const gb0 = this.view(grad, 'head.b0');
    const dh = new Float32Array(b * H);
    let gb1 = 0;
    for (let r = 0; r < b; r++) {
      gb1 += ds[r];
      for (let j = 0; j < H; j++) {
        const hv = c.h[r * H + j];
        gw1[j] += ds[r] * hv;
        if (hv > 0) {
          const dz = ds[r] * w1[j];
          dh[r * H + j] = dz;
          gb0[j] += dz;
        }
      }
    }
    this.view(grad, 'head.b1')[0] += gb1;
    addInto(this.view(grad, 'head.w0'), this.mm(transpose(c.x, b, inW), inW, b, dh, H));
    const dx = this.mm(dh, b, H, transpose(this.view(params, 'head.w0'), inW, H), inW);
    for (let r = 0; r < b; r++) {
      const o = r * inW;
      for (let k = 0; k < D; k++) {
        const i = r * D + k;
        du[i] += dx[o + k] + dx[o + 2 * D + k] * v[i];
        dv[i] += dx[o + D + k] + dx[o + 2 * D + k] * u[i];
      }
    }
    this.scatter(grad, 'user', dx, inW, d.userCat, rows, 3 * D);
  }

  /** The adversarial length head: its own gradient as is, the item vector's reversed (the GRL). */
  private advStep(params: Float32Array, grad: Float32Array, v: Float32Array, dv: Float32Array, d: TrainData, rows: Int32Array, scale: number): number {
    const s = this.spec;
    const D = s.dim;
    const H = s.advHidden;
    const b = rows.length;
    const lambda = s.grlLambda;
    const h = this.mm(v, b, D, this.view(params, 'adv.w0'), H);
    const b0 = this.view(params, 'adv.b0');
    const w1 = this.view(params, 'adv.w1');
    const b1 = this.view(params, 'adv.b1')[0];
    const gw1 = this.view(grad, 'adv.w1');
    const gb0 = this.view(grad, 'adv.b0');
    const dh = new Float32Array(b * H);
    let loss = 0;
    let gb1 = 0;
    for (let r = 0; r < b; r++) {
      let p = b1;
      for (let j = 0; j < H; j++) {
        const z = h[r * H + j] + b0[j];
        const hv = z > 0 ? z : 0;
        h[r * H + j] = hv;
        p += hv * w1[j];
      }
      const z = d.lenZ[rows[r]];
      if (!Number.isFinite(z)) continue;
      loss += (p - z) * (p - z);
      const dp = lambda * 2 * (p - z) * scale;
      gb1 += dp;
      for (let j = 0; j < H; j++) {
        const hv = h[r * H + j];
        gw1[j] += dp * hv;
        if (hv > 0) {
          const dz = dp * w1[j];
          dh[r * H + j] = dz;
          gb0[j] += dz;
        }
      }
    }
    this.view(grad, 'adv.b1')[0] += gb1;
    addInto(this.view(grad, 'adv.w0'), this.mm(transpose(v, b, D), D, b, dh, H));
    const dvAdv = this.mm(dh, b, H, transpose(this.view(params, 'adv.w0'), D, H), D);
    for (let i = 0; i < dv.length; i++) dv[i] -= dvAdv[i];
    return loss;
  }
}

function addInto(dst: Float32Array, src: Float32Array): void {
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}
