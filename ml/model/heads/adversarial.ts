// two-tower-grl's head: an adversary that predicts the item's standardised log1p(length) from the item vector,
// trained on its own loss while the item tower receives that gradient reversed (a gradient-reversal layer), so
// the item vectors learn to carry less length. It is not part of the score, so it is never exported.
import type * as TF from '@tensorflow/tfjs';
import { addInto, mlp2Graph, mlp2Params, mlp2Tf, type HeadParts } from './parts';

/** The adversarial length head's parts. */
export const adversarialHead: HeadParts = {
  params: (s, add) => mlp2Params('adv', s.dim, s.advHidden, add),
  macs: (s) => s.dim * s.advHidden + s.advHidden,

  lossTf(tf, s, P, v, lenZ, n) {
    const reverse = tf.customGrad(((a: TF.Tensor, save: TF.GradSaveFunc) => {
      save([]);
      return { value: tf.clone(a), gradFunc: (dy: TF.Tensor) => [tf.mul(dy, -1)] };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    const p = mlp2Tf(tf, P, 'adv', reverse(v) as TF.Tensor2D).reshape([-1]);
    const mask = tf.logicalNot(tf.isNaN(lenZ));
    const z = tf.where(mask, lenZ, tf.zerosLike(lenZ));
    const sq = tf.where(mask, tf.square(tf.sub(p, z)), tf.zerosLike(z));
    return tf.mul(s.grlLambda, tf.div(tf.sum(sq), n));
  },

  /**
   * The engine's piece: the head's masked squared error (output `adv_sum`, unscaled), its own gradient as is and
   * the item vector's reversed (the GRL), as stepBackward below.
   */
  graphStep(k, u, v) {
    return {
      backward: () => {
        const g = k.g;
        const m = mlp2Graph(k, 'adv', v);
        const p = g.node('Squeeze', [m.out, k.axis1], g.tmp('p'));
        const lenZ = k.lenZ();
        const known = g.node('Not', [g.node('IsNaN', [lenZ], g.tmp('nan'))], g.tmp('known'));
        const r = g.node('Where', [known, g.node('Sub', [p, g.node('Where', [known, lenZ, k.zero], g.tmp('z'))], g.tmp('r')), k.zero], g.tmp('r'));
        k.scalarOutput('adv_sum', g.node('ReduceSum', [g.node('Mul', [r, r], g.tmp('sq'))], g.tmp('adv'), { keepdims: 0 }));
        const c = g.floats(g.tmp('two_lambda'), Float32Array.of(2 * k.spec.grlLambda), []);
        const dp = g.node('Unsqueeze', [g.node('Mul', [g.node('Mul', [r, c], g.tmp('dp')), k.scale()], g.tmp('dp')), k.axis1], g.tmp('dp'));
        const dx = m.backward(dp, true)!;
        return { dv: g.node('Neg', [dx], g.tmp('grl')) };
      },
    };
  },

  /** Its own gradient as is, the item vector's reversed (the GRL); returns its unscaled squared-error sum. */
  stepBackward(k, params, grad, cache, ds, u, v, du, dv, d, rows, scale) {
    const s = k.spec;
    const D = s.dim;
    const H = s.advHidden;
    const b = rows.length;
    const lambda = s.grlLambda;
    const h = k.mm(v, b, D, k.view(params, 'adv.w0'), H);
    const b0 = k.view(params, 'adv.b0');
    const w1 = k.view(params, 'adv.w1');
    const b1 = k.view(params, 'adv.b1')[0];
    const gw1 = k.view(grad, 'adv.w1');
    const gb0 = k.view(grad, 'adv.b0');
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
    k.view(grad, 'adv.b1')[0] += gb1;
    addInto(k.view(grad, 'adv.w0'), k.mm(k.transpose(v, b, D), D, b, dh, H));
    const dvAdv = k.mm(dh, b, H, k.transpose(k.view(params, 'adv.w0'), D, H), D);
    for (let i = 0; i < dv.length; i++) dv[i] -= dvAdv[i];
    return loss;
  },
};
