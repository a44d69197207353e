// Unit tests of the scoring arithmetic: dot products and the partial top-K against a plain sort.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { dotScores, topK } from './top-k';

test('dotScores: user . vec + bias, worked by hand', () => {
  // Two cached rows of dim 5 (one full block of 4 + a tail of 1); candidates are rows 1 then 0.
  const user = Float32Array.from([1, 2, 3, 4, 5]);
  const vecs = Float32Array.from([1, 0, 0, 0, 1, /* row 1 */ 0.5, 0.5, 0.5, 0.5, 0.5]);
  const out = dotScores(user, vecs, 5, Int32Array.from([1, 0]), 2, new Float32Array(2), Float32Array.from([10, -1]));
  // row 1: 0.5 * (1+2+3+4+5) = 7.5, bias -1 -> 6.5 ; row 0: 1 + 5 = 6, bias 10 -> 16
  assert.deepEqual(Array.from(out), [6.5, 16]);
});

test('dotScores equals a plain in-order sum per row, in blocks of four and the tail (property)', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 11 }), fc.boolean(), fc.integer(), (dim, n, withBias, seed) => {
    let x = seed | 0;
    const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) | 0; return ((x >>> 8) / (1 << 24)) * 2 - 1; };
    const count = 13;
    const vecs = Float32Array.from({ length: count * dim }, rnd);
    const user = Float32Array.from({ length: dim }, rnd);
    const bias = withBias ? Float32Array.from({ length: count }, rnd) : undefined;
    const rows = Int32Array.from({ length: n }, () => Math.floor(((rnd() + 1) / 2) * count) % count);
    const out = dotScores(user, vecs, dim, rows, n, new Float32Array(n), bias);
    const want = Array.from(rows, (r) => {
      let s = 0;
      for (let i = 0; i < dim; i++) s += user[i] * vecs[r * dim + i];
      return Math.fround(bias ? s + bias[r] : s);
    });
    assert.deepEqual(Array.from(out), want);
  }), { numRuns: 300 });
});

test('topK: best first, ties in request order, NaN last', () => {
  const s = Float32Array.from([0.5, 2, NaN, 2, -1]);
  assert.deepEqual(Array.from(topK(s, 5, 0)), [1, 3, 0, 4, 2]);
  assert.deepEqual(Array.from(topK(s, 5, 2)), [1, 3]);
  assert.deepEqual(Array.from(topK(s, 5, 9)), [1, 3, 0, 4, 2]);
  assert.deepEqual(Array.from(topK(s, 0, 3)), []);
});

test('topK equals a stable full sort truncated to K (property)', () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 300 }), fc.integer({ min: 0, max: 320 }),
    (vals, k) => {
      const s = Float32Array.from(vals.map((v) => v / 4));
      const expected = vals.map((_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
      const want = k <= 0 || k >= vals.length ? expected : expected.slice(0, k);
      assert.deepEqual(Array.from(topK(s, s.length, k)), want);
    },
  ), { numRuns: 300 });
});
