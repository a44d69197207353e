// ONNX export of every architecture with the signatures of contract C: user_tower.onnx, item_tower.onnx
// and, for two-tower-mod and modified-two-tower, head.onnx. The graphs mirror ml/model/tf-model.ts op for
// op (Gather for embeddings, Concat, MatMul + Add, Relu, Mul, ReduceSum), so TF.js and onnxruntime agree.
import type { Params } from '../model/params';
import { hasHead, userInWidth, itemInWidth } from '../model/spec';
import { FLOAT, GraphBuilder, INT32 } from './onnx-proto';

function tower(p: Params, name: 'user' | 'item'): Buffer {
  const s = p.spec;
  const feats = name === 'user' ? s.layout.userCat : s.layout.itemCat;
  const denseDim = name === 'user' ? s.layout.userDenseDim : s.layout.itemDenseDim;
  const g = new GraphBuilder(`${name}_tower`);
  const cat = g.input(`${name}_cat`, INT32, feats.length);
  const dense = g.input(`${name}_dense`, FLOAT, denseDim);
  const parts = embeddings(g, p, name, cat);
  let x = g.node('Concat', [...parts, dense], g.tmp('x'), { axis: 1 });
  let w = name === 'user' ? userInWidth(s) : itemInWidth(s);
  const widths = [...s.hidden, s.dim];
  widths.forEach((h, i) => {
    const W = g.floats(`${name}.w${i}`, p.view(`${name}.w${i}`), [w, h]);
    const b = g.floats(`${name}.b${i}`, p.view(`${name}.b${i}`), [h]);
    const last = i === widths.length - 1;
    x = g.node('Add', [g.node('MatMul', [x, W], g.tmp('mm')), b], last ? `${name}_vec` : g.tmp('z'));
    if (!last) x = g.node('Relu', [x], g.tmp('h'));
    w = h;
  });
  g.output(`${name}_vec`, FLOAT, s.dim);
  return g.encode(`modelops ${s.arch} ${name} tower: ${name}_cat, ${name}_dense -> ${name}_vec`, { arch: s.arch, task: s.task });
}

/** Gathers each categorical column's embedding: Gather(table, Gather(cat, j, axis=1)). */
function embeddings(g: GraphBuilder, p: Params, tower: 'user' | 'item', cat: string): string[] {
  const feats = tower === 'user' ? p.spec.layout.userCat : p.spec.layout.itemCat;
  return feats.map((c, j) => {
    const table = g.floats(`${tower}.emb.${c.name}`, p.view(`${tower}.emb.${c.name}`), [c.size, p.spec.catDim]);
    const col = g.node('Gather', [cat, g.int64s(`${tower}.col${j}`, [j], [])], g.tmp('id'), { axis: 1 });
    return g.node('Gather', [table, col], g.tmp('emb'), { axis: 0 });
  });
}

function mlp2(g: GraphBuilder, p: Params, prefix: string, x: string, inW: number, hidden: number, out: string): string {
  const w0 = g.floats(`${prefix}.w0`, p.view(`${prefix}.w0`), [inW, hidden]);
  const b0 = g.floats(`${prefix}.b0`, p.view(`${prefix}.b0`), [hidden]);
  const w1 = g.floats(`${prefix}.w1`, p.view(`${prefix}.w1`), [hidden, 1]);
  const b1 = g.floats(`${prefix}.b1`, p.view(`${prefix}.b1`), [1]);
  const h = g.node('Relu', [g.node('Add', [g.node('MatMul', [x, w0], g.tmp('mm')), b0], g.tmp('z'))], g.tmp('h'));
  return g.node('Add', [g.node('MatMul', [h, w1], g.tmp('mm')), b1], out);
}

function head(p: Params): Buffer {
  const s = p.spec;
  const g = new GraphBuilder('head');
  if (s.arch === 'two-tower-mod') {
    const age = g.input('item_age', FLOAT, 1);
    mlp2(g, p, 'age', age, 1, s.ageHidden, 'age_logit');
    g.output('age_logit', FLOAT, 1);
    return g.encode('modelops two-tower-mod head: item_age -> age_logit (score = u.v + age_logit)', { arch: s.arch, task: s.task });
  }
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
}

/** The ONNX files of a trained model, by artifact name. */
export function exportOnnx(p: Params): Record<string, Buffer> {
  const out: Record<string, Buffer> = { 'user_tower.onnx': tower(p, 'user'), 'item_tower.onnx': tower(p, 'item') };
  if (hasHead(p.spec.arch)) out['head.onnx'] = head(p);
  return out;
}
