// Unit tests of the one score function: dot products (one user, or one user per pair) with the item bias.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { dotScores, identityRows, pairScores } from './score';

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


test('pairScores: one user vector per pair, the same arithmetic as dotScores row by row', () => {
  // Pair 0: user [1, 2] . row 1 [3, 4] = 11, bias 0.5 -> 11.5; pair 1: user [-1, 1] . row 0 [1, 1] = 0, bias 2 -> 2.
  const users = Float32Array.from([1, 2, -1, 1]);
  const vecs = Float32Array.from([1, 1, 3, 4]);
  const bias = Float32Array.from([2, 0.5]);
  assert.deepEqual(Array.from(pairScores(users, vecs, 2, Int32Array.from([1, 0]), 2, new Float32Array(2), bias)), [11.5, 2]);
  // With every pair's user the same, it equals dotScores.
  const one = Float32Array.from([0.3, -0.7]);
  const rows = identityRows(2);
  const a = dotScores(one, vecs, 2, rows, 2, new Float32Array(2), bias);
  const b = pairScores(Float32Array.from([0.3, -0.7, 0.3, -0.7]), vecs, 2, rows, 2, new Float32Array(2), bias);
  assert.deepEqual(Array.from(a), Array.from(b));
});
