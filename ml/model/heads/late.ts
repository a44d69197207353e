// modified-two-tower's head: a late-interaction MLP over (u, v, u * v, the user's categorical embeddings) whose
// output is added to u . v, for every (user, item) pair.
import { FLOAT, GraphBuilder, INT32 } from '../../onnx/onnx-proto';
import { embeddings, mlp2 } from '../../onnx/graph-parts';
import type { ModelSpec } from '../spec';
import { addInto, mlp2Graph, mlp2Params, mlp2Tf, type HeadParts, type StepCache } from './parts';
import type * as TF from '@tensorflow/tfjs';

/** Width of the late-interaction head's input: u, v, u * v and the user's categorical embeddings. */
export function lateHeadInWidth(s: ModelSpec): number {
  return 3 * s.dim + s.layout.userCat.length * s.catDim;
}

interface LateCache extends StepCache {
  x: Float32Array;
  h: Float32Array;
  out: Float32Array;
  inW: number;
}

/** The late-interaction head's parts. */
export const lateHead: HeadParts = {
  params: (s, add) => mlp2Params('head', lateHeadInWidth(s), s.headHidden, add),
  macs: (s) => lateHeadInWidth(s) * s.headHidden + s.headHidden,

  scoreTf(tf, s, P, u, v, x) {
    const ctx = s.layout.userCat.map((c, j) => tf.gather(P[`user.emb.${c.name}`], x.userCat.slice([0, j], [-1, 1]).reshape([-1])) as TF.Tensor2D);
    const hin = tf.concat([u, v, tf.mul(u, v) as TF.Tensor2D, ...ctx], 1);
    return mlp2Tf(tf, P, 'head', hin).reshape([-1]);
  },

  onnxHead(p) {
    const s = p.spec;
    const g = new GraphBuilder('head');
    const u = g.input('user_vec', FLOAT, s.dim);
    const v = g.input('item_vec', FLOAT, s.dim);
    const cat = g.input('user_cat', INT32, s.layout.userCat.length);
    const uv = g.node('Mul', [u, v], g.tmp('uv'));
    const ctx = embeddings(g, p, 'user', cat);
    const hin = g.node('Concat', [u, v, uv, ...ctx], g.tmp('hin'), { axis: 1 });
    const o = mlp2(g, p, 'head', hin, 3 * s.dim + ctx.length * s.catDim, s.headHidden, g.tmp('o'));
    const dot = g.node('ReduceSum', [uv, g.int64s('axes', [1], [1])], g.tmp('dot'), { keepdims: 1 });
    g.node('Add', [o, dot], 'logit');
    g.output('logit', FLOAT, 1);
    return g.encode('modelops modified-two-tower head: user_vec, item_vec, user_cat -> logit', { arch: s.arch, task: s.task });
  },

  /** The engine's piece: the head over (u, v, u * v, user embeddings) and its backward into u, v and the tables. */
  graphStep(k, u, v) {
    const g = k.g;
    const D = k.spec.dim;
    const e = k.spec.catDim;
    const uv = g.node('Mul', [u, v], g.tmp('uv'));
    const ctx = k.embeddings('user');
    const m = mlp2Graph(k, 'head', g.node('Concat', [u, v, uv, ...ctx], g.tmp('hin'), { axis: 1 }));
    return {
      out: m.out,
      backward: (ds) => {
        const dx = m.backward(ds, true)!;
        const dUv = k.columns(dx, 2 * D, 3 * D);
        ctx.forEach((_, j) => k.embeddingGrad('user', j, k.columns(dx, 3 * D + j * e, 3 * D + j * e + e)));
        return {
          du: g.node('Add', [k.columns(dx, 0, D), g.node('Mul', [dUv, v], g.tmp('t'))], g.tmp('du')),
          dv: g.node('Add', [k.columns(dx, D, 2 * D), g.node('Mul', [dUv, u], g.tmp('t'))], g.tmp('dv')),
        };
      },
    };
  },

  stepForward(k, params, u, v, d, rows): LateCache {
    const s = k.spec;
    const D = s.dim;
    const e = s.catDim;
    const nc = s.layout.userCat.length;
    const inW = 3 * D + nc * e;
    const H = s.headHidden;
    const b = rows.length;
    const x = new Float32Array(b * inW);
    const tables = s.layout.userCat.map((c) => k.view(params, `user.emb.${c.name}`));
    for (let r = 0; r < b; r++) {
      const o = r * inW;
      for (let q = 0; q < D; q++) {
        const uk = u[r * D + q];
        const vk = v[r * D + q];
        x[o + q] = uk;
        x[o + D + q] = vk;
        x[o + 2 * D + q] = uk * vk;
      }
      for (let j = 0; j < nc; j++) {
        const id = d.userCat[rows[r] * nc + j];
        x.set(tables[j].subarray(id * e, id * e + e), o + 3 * D + j * e);
      }
    }
    const h = k.mm(x, b, inW, k.view(params, 'head.w0'), H);
    const b0 = k.view(params, 'head.b0');
    const w1 = k.view(params, 'head.w1');
    const b1 = k.view(params, 'head.b1')[0];
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
  },

  stepBackward(k, params, grad, cache, ds, u, v, du, dv, d, rows) {
    const c = cache as LateCache;
    const s = k.spec;
    const D = s.dim;
    const H = s.headHidden;
    const b = rows.length;
    const inW = c.inW;
    const w1 = k.view(params, 'head.w1');
    const gw1 = k.view(grad, 'head.w1');
    const gb0 = k.view(grad, 'head.b0');
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
    k.view(grad, 'head.b1')[0] += gb1;
    addInto(k.view(grad, 'head.w0'), k.mm(k.transpose(c.x, b, inW), inW, b, dh, H));
    const dx = k.mm(dh, b, H, k.transpose(k.view(params, 'head.w0'), inW, H), inW);
    for (let r = 0; r < b; r++) {
      const o = r * inW;
      for (let q = 0; q < D; q++) {
        const i = r * D + q;
        du[i] += dx[o + q] + dx[o + 2 * D + q] * v[i];
        dv[i] += dx[o + D + q] + dx[o + 2 * D + q] * u[i];
      }
    }
    k.scatter(grad, 'user', dx, inW, d.userCat, rows, 3 * D);
    return 0;
  },
};
