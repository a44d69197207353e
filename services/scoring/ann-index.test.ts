import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { AnnIndex, augment, exactTop, recallAt, tieAwareRecall } from './ann-index';

// Random vectors from a fixed LCG, uniform in [-0.5, 0.5).
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

test('tieAwareRecall: a returned row tied with the k-th best score counts as a hit', () => {
  // Scores by row: rows 1, 2 and 3 tie at 0.5; the exact top 2 is [0, 1]. Returning [0, 3] finds both
  // places (row 3 scores the 2nd-best 0.5), so recall is 1 where recallAt says 0.5; [0, 4] finds one (4 scores 0.1).
  const scores = Float32Array.from([0.9, 0.5, 0.5, 0.5, 0.1]);
  assert.equal(tieAwareRecall([0, 3], scores, [0, 1]), 1);
  assert.equal(recallAt([0, 3], [0, 1]), 0.5);
  assert.equal(tieAwareRecall([0, 4], scores, [0, 1]), 0.5);
  // A row returned twice counts once.
  assert.equal(tieAwareRecall([0, 0], scores, [0, 1]), 0.5);
});

test('augment centres the items, puts them on one sphere and keeps the inner-product order as Euclidean order', () => {
  // Items (1, 0) and (0, 2) with biases 0.5 and 0; their mean (0.5, 1) is subtracted: (0.5, -1) and (-0.5, 1),
  // |[v - c, b]|^2 = 1.5 and 1.25, R^2 = 1.5, last coordinates 0 and 0.5. For the query u = (3, 1): scores
  // u . v + b = 3.5 and 2; distances^2 to [3, 1, 1, 0] are 2.5^2 + 2^2 + 0.5^2 + 0 = 10.5 and
  // 3.5^2 + 0 + 1 + 0.5^2 = 13.5: the higher score is the nearer item, by the same margin 2 x 1.5.
  const a = augment(Float32Array.from([1, 0, 0, 2]), 2, 2, Float32Array.from([0.5, 0]));
  assert.deepEqual(Array.from(a).map((x) => Math.round(x * 1e6) / 1e6), [0.5, -1, 0.5, 0, -0.5, 1, 0, 0.5]);
  const q = [3, 1, 1, 0];
  const d2 = (r: number) => q.reduce((s, x, i) => s + (x - a[r * 4 + i]) ** 2, 0);
  assert.ok(Math.abs(d2(0) - 10.5) < 1e-5 && Math.abs(d2(1) - 13.5) < 1e-5);
});

test('a built index finds the exact top 100 (canary recall >= 0.95), built off the serving thread', async () => {
  const idx = await AnnIndex.build({ vecs, dim: DIM, count: N }, queries);
  assert.ok(idx.recall >= 0.95, `canary recall ${idx.recall}`);
  // The index answers here as the canary measured in the worker.
  const got = idx.search(queries[0], 100);
  const want = exactTop(queries[0], vecs, DIM, N, 100);
  assert.ok(recallAt(got, want) >= 0.9, `recall ${recallAt(got, want)}`);
});

test('norms spread over 0.2x-2x and a bias term: the index still finds the exact top 100 of u . v + b', async () => {
  // The case an inner-product graph fails: lists that reach into smaller-norm items (top 100 of 1,000).
  const n = 1000;
  const spread = data(n, DIM, 7);
  const bias = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const f = 0.2 + (1.8 * r) / n;
    for (let i = 0; i < DIM; i++) spread[r * DIM + i] *= f;
    bias[r] = ((r * 37) % 100) / 200;
  }
  const idx = await AnnIndex.build({ vecs: spread, dim: DIM, count: n, bias }, queries);
  assert.ok(idx.recall >= 0.95, `canary recall ${idx.recall}`);
  const got = idx.search(queries[3], 100);
  assert.ok(recallAt(got, exactTop(queries[3], spread, DIM, n, 100, bias)) >= 0.95);
});

test('the canary measures a deliberately broken index (wrong keys) far below 0.95', async () => {
  const idx = await AnnIndex.build({ vecs, dim: DIM, count: N }, queries, { sabotage: true });
  // Keys permuted: a returned key is a true neighbour only by chance (~100/3000 per hit).
  assert.ok(idx.recall < 0.2, `canary recall ${idx.recall}`);
});
