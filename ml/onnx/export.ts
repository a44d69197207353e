// ONNX export of every architecture: user_tower.onnx, item_tower.onnx and, where the architecture has one,
// head.onnx (written by the architecture's object, ml/model/arch.ts). The graphs mirror ml/model/tf-model.ts op for
// op (Gather for embeddings, Concat, MatMul + Add, Relu, Mul, ReduceSum), so TF.js and onnxruntime agree.
import type { Params } from '../model/params';
import { userInWidth, itemInWidth } from '../model/spec';
import { archModel } from '../model/arch';
import { FLOAT, GraphBuilder, INT32 } from './onnx-proto';
import { embeddings } from './graph-parts';

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

/** The ONNX files of a trained model, by artifact name. */
export function exportOnnx(p: Params): Record<string, Buffer> {
  const out: Record<string, Buffer> = { 'user_tower.onnx': tower(p, 'user'), 'item_tower.onnx': tower(p, 'item') };
  const head = archModel(p.spec.arch).onnxHead?.(p);
  if (head) out['head.onnx'] = head;
  return out;
}
