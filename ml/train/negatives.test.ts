import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutFor } from '../features/layout';
import { syntheticBatch } from '../features/fixtures';
import { negativeLabel, withNegatives, type SampledRows } from './negatives';
import { sampleNegatives, train } from './trainer';

const layout = layoutFor(4);

function rowsOf(n: number, seed: number): SampledRows {
  const { batch, facts } = syntheticBatch(n, layout, seed);
  return { batch, label: facts.label, lengthS: facts.lengthS, userIdx: facts.userIdx, itemIdx: facts.itemIdx, ts: facts.ts };
}

const slice = (a: Int32Array | Float32Array, r: number, w: number) => Array.from(a.subarray(r * w, (r + 1) * w));

test('withNegatives: k rows per view, the user\'s inputs, an item the user never viewed, that item\'s inputs from no later than the view', () => {
  const rows = rowsOf(600, 1);
  const k = 3;
  const out = withNegatives(rows, rows, layout, k, 0, 7);
  const n = rows.batch.n;
  assert.equal(out.batch.n, n * (1 + k));
  // The original rows come first, unchanged.
  assert.deepEqual(Array.from(out.label.subarray(0, n)), Array.from(rows.label));
  assert.deepEqual(Array.from(out.batch.itemDense.subarray(0, n * layout.itemDenseDim)), Array.from(rows.batch.itemDense));
  const viewed = new Map<number, Set<number>>();
  for (let r = 0; r < n; r++) {
    if (!viewed.has(rows.userIdx[r])) viewed.set(rows.userIdx[r], new Set());
    viewed.get(rows.userIdx[r])!.add(rows.itemIdx[r]);
  }
  const ud = layout.userDenseDim, id = layout.itemDenseDim, ic = layout.itemCat.length, uc = layout.userCat.length;
  const items = new Set<number>();
  for (let j = 0; j < n * k; j++) {
    const o = n + j;
    const src = Math.floor(j / k);
    assert.equal(out.label[o], 0);
    assert.equal(out.userIdx[o], rows.userIdx[src]);
    assert.equal(out.ts[o], rows.ts[src]);
    assert.deepEqual(slice(out.batch.userDense, o, ud), slice(rows.batch.userDense, src, ud));
    assert.deepEqual(slice(out.batch.userCat, o, uc), slice(rows.batch.userCat, src, uc));
    const it = out.itemIdx[o];
    items.add(it);
    assert.ok(!viewed.get(rows.userIdx[src])!.has(it), `row ${o}: item ${it} was viewed by the user`);
    // The inputs are those of a row of that item at or before the view (its first row when it has none before).
    const cands = [...Array(n).keys()].filter((q) => rows.itemIdx[q] === it);
    const before = cands.filter((q) => rows.ts[q] <= rows.ts[src]);
    const q = before.length ? before.reduce((a, b) => (rows.ts[b] >= rows.ts[a] ? b : a)) : cands[0];
    assert.deepEqual(slice(out.batch.itemDense, o, id), slice(rows.batch.itemDense, q, id));
    assert.deepEqual(slice(out.batch.itemCat, o, ic), slice(rows.batch.itemCat, q, ic));
    assert.equal(out.batch.itemAge[o], rows.batch.itemAge[q]);
    assert.equal(out.lengthS[o], rows.lengthS[q]);
  }
  // Uniform over the catalog: the draws reach most items, not only the popular ones.
  assert.ok(items.size > 0.8 * new Set(rows.itemIdx).size, `${items.size} distinct sampled items`);
  // Seeded: the same seed gives the same rows, another seed other rows; k = 0 is the identity.
  assert.deepEqual(Array.from(withNegatives(rows, rows, layout, k, 0, 7).itemIdx), Array.from(out.itemIdx));
  assert.notDeepEqual(Array.from(withNegatives(rows, rows, layout, k, 0, 8).itemIdx), Array.from(out.itemIdx));
  assert.equal(withNegatives(rows, rows, layout, 0, 0, 7), rows);
  assert.throws(() => withNegatives(rows, rows, layout, 1.5, 0, 7), /negatives: 1.5/);
});

test('negativeLabel: 0 for binary, the lowest training target for regression', () => {
  assert.equal(negativeLabel('binary', Float32Array.from([1, 0, 1])), 0);
  assert.equal(negativeLabel('regression', Float32Array.from([0.5, -1.25, NaN, 2])), -1.25);
});

test('sampleNegatives: training and validation rows both get negatives; rows without indices are refused', () => {
  const tr = rowsOf(400, 2);
  const va = rowsOf(100, 3);
  const o = { arch: 'two-tower-base' as const, task: 'binary' as const, layout, train: tr, val: va, epochs: 1, batchSize: 64, lr: 1e-3, seed: 1, negatives: 2 };
  const s = sampleNegatives(o);
  assert.equal(s.train.batch.n, 3 * 400);
  assert.equal(s.val!.batch.n, 3 * 100);
  assert.equal(sampleNegatives({ ...o, negatives: 0 }).train, tr);
  assert.throws(() => sampleNegatives({ ...o, train: { batch: tr.batch, label: tr.label, lengthS: tr.lengthS } }), /training rows carry no user index/);
});

test('train() with negatives on the onnxruntime engine: validation judged on the sampled task, reproducible', async () => {
  const tr = rowsOf(2000, 4);
  const va = rowsOf(400, 5);
  const run = () => train({ arch: 'two-tower-base', task: 'binary', layout, train: tr, val: va, epochs: 2, batchSize: 256, lr: 3e-3, seed: 3, threads: 1,
    negatives: 2, patience: 0, sizes: { hidden: [16], dim: 8 } });
  const a = await run();
  assert.equal(a.backend, 'onnxruntime');
  assert.equal(a.history.length, 2);
  assert.ok(Number.isFinite(a.metrics.val_auc));
  const b = await run();
  assert.deepEqual(Array.from(b.params.data), Array.from(a.params.data));
});
