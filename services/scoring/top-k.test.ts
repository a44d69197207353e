// Unit tests of the partial top-K against a plain sort (the dot products are tested in ml/model/score.test.ts).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { topK } from './top-k';

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
