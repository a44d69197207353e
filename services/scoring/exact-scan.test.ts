import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ExactScan, certify } from './exact-scan';
import { allScores, exactTop } from './ann-index';
import { dotScores } from '../../ml/model/score';
import { topK } from './top-k';

// Random vectors from a fixed LCG, uniform in [-0.5, 0.5).
function data(n: number, dim: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) { s = (s * 1103515245 + 12345) & 0x7fffffff; out[i] = s / 0x7fffffff - 0.5; }
  return out;
}
const DIM = 16, N = 3000;
const vecs = data(N, DIM, 1);
const bias = data(N, 1, 2);
const users = Array.from({ length: 12 }, (_, i) => data(1, DIM, 100 + i));
const exact = (u: Float32Array, b?: Float32Array) => (rs: Int32Array, m: number) => dotScores(u, vecs, DIM, rs, m, new Float32Array(m), b);
/** The full scan's top k rows (the serving score function over every row). */
const fullScan = (u: Float32Array, k: number, b?: Float32Array) => Array.from(exactTop(u, vecs, DIM, N, k, b));
/** The certified candidates ranked with the score function (what Retrieve returns), or undefined. */
function ranked(u: Float32Array, k: number, rows: Int32Array | undefined, b?: Float32Array): number[] | undefined {
  if (!rows) return undefined;
  const s = exact(u, b)(rows, rows.length);
  return Array.from(topK(s, rows.length, k), (j) => rows[j]);
}

test('calls queued in one event-loop turn share one pass, and each certified list is exactly the full scan\'s top k', async () => {
  const scan = new ExactScan(DIM);
  try {
    for (const b of [undefined, bias]) {
      const before = scan.passes;
      const ks = [1, 10, 100];
      // 12 users x 3 depths, all issued before the first await: one pass (at most 64 calls per pass).
      const found = await Promise.all(users.flatMap((u) => ks.map((k) => scan.search({ vecs, count: N, bias: b }, u, k + 32))));
      assert.equal(scan.passes - before, 1);
      let answered = 0;
      users.forEach((u, i) => ks.forEach((k, j) => {
        const got = ranked(u, k, certify(u, vecs, DIM, k, found[i * ks.length + j], exact(u, b)), b);
        if (!got) return;
        answered++;
        assert.deepEqual(got, fullScan(u, k, b));
      }));
      // Distinct random vectors: the bound proves almost every list (a decline only costs the full scan).
      assert.ok(answered >= 33, `answered ${answered} of 36`);
    }
    assert.equal(scan.calls, 72);
  } finally {
    await scan.close();
  }
});

test('excluded rows are skipped and the rest is exactly the full scan without them', async () => {
  const scan = new ExactScan(DIM);
  try {
    for (const u of users.slice(0, 4)) {
      const banned = new Set(fullScan(u, 20).filter((_, j) => j % 2 === 0));
      const found = await scan.search({ vecs, count: N }, u, 50 + banned.size + 32);
      const rows = certify(u, vecs, DIM, 50, found, exact(u), (r) => banned.has(r));
      assert.ok(rows, 'distinct random vectors leave no near-tie at the 50th place');
      assert.ok(rows.every((r) => !banned.has(r)));
      const all = allScores(u, vecs, DIM, N);
      for (const r of banned) all[r] = -Infinity;
      assert.deepEqual(ranked(u, 50, rows), Array.from(topK(all, N, 50)));
    }
  } finally {
    await scan.close();
  }
});

test('rows tied at the k-th place: the proof fails and the pass declines rather than guess', async () => {
  const scan = new ExactScan(DIM);
  try {
    const same = new Float32Array(200 * DIM).fill(0.25);
    const u = users[0];
    const found = await scan.search({ vecs: same, count: 200 }, u, 42);
    assert.equal(found.rows.length, 42);
    assert.equal(certify(u, same, DIM, 10, found, (rs, m) => dotScores(u, same, DIM, rs, m, new Float32Array(m))), undefined);
  } finally {
    await scan.close();
  }
});

test('a queue longer than one pass holds runs as several passes in the same turn, each call answered', async () => {
  const scan = new ExactScan(DIM);
  try {
    // 70 calls: 64 (the most users per pass) + 6.
    const found = await Promise.all(Array.from({ length: 70 }, (_, i) => scan.search({ vecs, count: N }, users[i % users.length], 42)));
    assert.equal(scan.passes, 2);
    found.forEach((f, i) => assert.deepEqual(Array.from(f.rows.slice(0, 10)), Array.from(
      Array.from(exactTop(users[i % users.length], vecs, DIM, N, 42)).slice(0, 10)), `call ${i}`));
  } finally {
    await scan.close();
  }
});
