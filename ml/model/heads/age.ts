// two-tower-mod's head: a learned logit of the item's age added to u . v. It depends on the item only, so
// serving computes it once per item beside the item vector.
import { FLOAT, GraphBuilder } from '../../onnx/onnx-proto';
import { mlp2 } from '../../onnx/graph-parts';
import { mlp2Graph, mlp2Params, mlp2Tf, type HeadParts, type StepCache } from './parts';

interface AgeCache extends StepCache {
  h: Float32Array;
  out: Float32Array;
}

/** The item-age head's parts. */
export const ageHead: HeadParts = {
  params: (s, add) => mlp2Params('age', 1, s.ageHidden, add),
  macs: (s) => 2 * s.ageHidden,
  scoreTf: (tf, s, P, u, v, x) => mlp2Tf(tf, P, 'age', x.itemAge).reshape([-1]),

  onnxHead(p) {
    const s = p.spec;
    const g = new GraphBuilder('head');
    const age = g.input('item_age', FLOAT, 1);
    mlp2(g, p, 'age', age, 1, s.ageHidden, 'age_logit');
    g.output('age_logit', FLOAT, 1);
    return g.encode('modelops two-tower-mod head: item_age -> age_logit (score = u.v + age_logit)', { arch: s.arch, task: s.task });
  },

  graphStep(k) {
    const m = mlp2Graph(k, 'age', k.itemAge());
    return { out: m.out, backward: (ds) => (m.backward(ds, false), {}) };
  },

  stepForward(k, params, u, v, d, rows): AgeCache {
    const H = k.spec.ageHidden;
    const w0 = k.view(params, 'age.w0');
    const b0 = k.view(params, 'age.b0');
    const w1 = k.view(params, 'age.w1');
    const b1 = k.view(params, 'age.b1');
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
  },

  stepBackward(k, params, grad, cache, ds, u, v, du, dv, d, rows) {
    const c = cache as AgeCache;
    const H = k.spec.ageHidden;
    const w1 = k.view(params, 'age.w1');
    const g = { w0: k.view(grad, 'age.w0'), b0: k.view(grad, 'age.b0'), w1: k.view(grad, 'age.w1'), b1: k.view(grad, 'age.b1') };
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
    return 0;
  },
};
