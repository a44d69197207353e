// An independent recomputation of scores: onnxruntime run directly on a version's ONNX files with the
// fixture's feature rows, dot products (or the head) in plain loops. Scoring's own code is not used.
import * as ort from 'onnxruntime-node';
import { TEST_LAYOUT, coldRow, itemRow, userRow } from './fixtures';

/** Scores recomputed with onnxruntime directly from the towers' bytes and the fixture rows. */
export async function reference(files: { name: string; data: Buffer }[], arch: string, userId: string | null, ctx: { hod: number; dow: number }, items: string[]): Promise<number[]> {
  const f = (n: string) => files.find((x) => x.name === n)!.data;
  const L = TEST_LAYOUT;
  const u = await ort.InferenceSession.create(f('user_tower.onnx'));
  const it = await ort.InferenceSession.create(f('item_tower.onnx'));
  const ur = userId ? userRow(userId, ctx) : coldRow(ctx);
  const uv = (await u.run({ user_cat: new ort.Tensor('int32', ur.cat, [1, 3]), user_dense: new ort.Tensor('float32', ur.dense, [1, L.userDenseDim]) })).user_vec.data as Float32Array;
  const rows = items.map((id) => itemRow(id));
  const cat = new Int32Array(items.length), dense = new Float32Array(items.length * L.itemDenseDim), age = new Float32Array(items.length);
  rows.forEach((r, i) => { cat[i] = r.cat[0]; dense.set(r.dense, i * L.itemDenseDim); age[i] = r.age; });
  const iv = (await it.run({ item_cat: new ort.Tensor('int32', cat, [items.length, 1]), item_dense: new ort.Tensor('float32', dense, [items.length, L.itemDenseDim]) })).item_vec.data as Float32Array;
  const d = uv.length;
  const dots = items.map((_, i) => { let s = 0; for (let k = 0; k < d; k++) s += uv[k] * iv[i * d + k]; return s; });
  // The head's kind is read from head.onnx's own inputs, not from scoring's code or the architecture's name.
  const head = files.some((x) => x.name === 'head.onnx') ? await ort.InferenceSession.create(f('head.onnx')) : undefined;
  if (head?.inputNames.includes('item_age')) {
    const h = head;
    const a = (await h.run({ item_age: new ort.Tensor('float32', age, [items.length, 1]) })).age_logit.data as Float32Array;
    return dots.map((s, i) => s + a[i]);
  }
  if (head?.inputNames.includes('user_vec')) {
    const h = head;
    const n = items.length;
    const users = new Float32Array(n * d), cats = new Int32Array(n * 3);
    for (let i = 0; i < n; i++) { users.set(uv, i * d); cats.set(ur.cat, i * 3); }
    const out = await h.run({ user_vec: new ort.Tensor('float32', users, [n, d]), item_vec: new ort.Tensor('float32', iv, [n, d]), user_cat: new ort.Tensor('int32', cats, [n, 3]) });
    return Array.from(out.logit.data as Float32Array);
  }
  return dots;
}

