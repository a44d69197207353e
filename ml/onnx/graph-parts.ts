// ONNX graph pieces shared by the tower export (export.ts) and the architectures' heads (ml/model/heads/):
// the embedding lookups and the two-layer MLP, written op for op like their TF.js twins in ml/model/tf-model.ts.
import type { Params } from '../model/params';
import type { GraphBuilder } from './onnx-proto';

/** Gathers each categorical column's embedding: Gather(table, Gather(cat, j, axis=1)). */
export function embeddings(g: GraphBuilder, p: Params, tower: 'user' | 'item', cat: string): string[] {
  const feats = tower === 'user' ? p.spec.layout.userCat : p.spec.layout.itemCat;
  return feats.map((c, j) => {
    const table = g.floats(`${tower}.emb.${c.name}`, p.view(`${tower}.emb.${c.name}`), [c.size, p.spec.catDim]);
    const col = g.node('Gather', [cat, g.int64s(`${tower}.col${j}`, [j], [])], g.tmp('id'), { axis: 1 });
    return g.node('Gather', [table, col], g.tmp('emb'), { axis: 0 });
  });
}

/** out = Relu(x W0 + b0) W1 + b1, from the parameters `{prefix}.w0` .. `{prefix}.b1`. */
export function mlp2(g: GraphBuilder, p: Params, prefix: string, x: string, inW: number, hidden: number, out: string): string {
  const w0 = g.floats(`${prefix}.w0`, p.view(`${prefix}.w0`), [inW, hidden]);
  const b0 = g.floats(`${prefix}.b0`, p.view(`${prefix}.b0`), [hidden]);
  const w1 = g.floats(`${prefix}.w1`, p.view(`${prefix}.w1`), [hidden, 1]);
  const b1 = g.floats(`${prefix}.b1`, p.view(`${prefix}.b1`), [1]);
  const h = g.node('Relu', [g.node('Add', [g.node('MatMul', [x, w0], g.tmp('mm')), b0], g.tmp('z'))], g.tmp('h'));
  return g.node('Add', [g.node('MatMul', [h, w1], g.tmp('mm')), b1], out);
}
