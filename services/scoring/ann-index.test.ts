import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { AnnIndex, exactTop, recallAt } from './ann-index';

// 3,000 random 16-d vectors (a fixed LCG), 20 queries drawn the same way.
function data(n: number, dim: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) { s = (s * 1103515245 + 12345) & 0x7fffffff; out[i] = s / 0x7fffffff - 0.5; }
  return out;
}
const DIM = 16, N = 3000;
const vecs = data(N, DIM, 1);
const queries = Array.from({ length: 20 }, (_, i) => data(1, DIM, 100 + i));

test('recallAt: hits over the truth\'s size', () => {
  // 2 of the 4 true rows found.
  assert.equal(recallAt([1, 2, 9, 8], [1, 2, 3, 4]), 0.5);
  assert.equal(recallAt([], []), 1);
});

test('a built index finds the exact top 100 (canary recall >= 0.95), built off the serving thread', async () => {
  const idx = await AnnIndex.build(vecs, DIM, N, queries);
  assert.ok(idx.recall >= 0.95, `canary recall ${idx.recall}`);
  // The index answers here as the canary measured in the worker.
  const got = idx.search(queries[0], 100);
  const want = exactTop(queries[0], vecs, DIM, N, 100);
  assert.ok(recallAt(got, want) >= 0.9, `recall ${recallAt(got, want)}`);
});

test('the canary measures a deliberately broken index (wrong keys) far below 0.95', async () => {
  const idx = await AnnIndex.build(vecs, DIM, N, queries, { sabotage: true });
  // Keys permuted: a returned key is a true neighbour only by chance (~100/3000 per hit).
  assert.ok(idx.recall < 0.2, `canary recall ${idx.recall}`);
});
