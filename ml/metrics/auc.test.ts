// Global AUC, weighted AUC and GAUC on hand-worked cases.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ascendingOrder, gauc, globalAuc, resampledAuc, sortForAuc, weightedAuc } from './auc';

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

test('global AUC pools rows, ties count 1/2', () => {
  // Relevant scores {.9, .5}, non-relevant {.1, .5}: .9 beats both (2); .5 beats .1 and ties .5 (1.5).
  // AUC = 3.5 / (2*2) = 0.875.
  close(globalAuc([0.9, 0.1, 0.5, 0.5], [1, 0, 1, 0]), 0.875);
  assert.ok(Number.isNaN(globalAuc([1, 2], [0, 0])));
  assert.ok(Number.isNaN(globalAuc([1, NaN, 0.5], [1, 0, 0])));
});

test('weighted AUC equals AUC on replicated rows', () => {
  const s = [0.9, 0.1, 0.5, 0.5];
  const l = [1, 0, 1, 0];
  const o = ascendingOrder(s);
  close(weightedAuc(o, s, l, () => 1), 0.875);
  // Weights [2,1,1,3] = rows .9(x2,rel) .1(neg) .5(rel) .5(x3,neg): relevant weight 3, non-relevant 4.
  // .9 x2 beats all 4 -> 8; .5 beats .1 (1) and ties 3 (1.5) -> 2.5; AUC = 10.5 / 12 = 0.875.
  const w = [2, 1, 1, 3];
  close(weightedAuc(o, s, l, (i) => w[i]), 10.5 / 12);
  close(weightedAuc(o, s, l, (i) => w[i]), globalAuc([0.9, 0.9, 0.1, 0.5, 0.5, 0.5, 0.5], [1, 1, 0, 1, 0, 0, 0]));
});

test('GAUC weights per-user AUC by impressions and skips one-class users', () => {
  // A: AUC 1.0 over 4 impressions; B: 0.5 over 2; C: one class (NaN), excluded.
  // (4*1 + 2*0.5) / (4 + 2) = 5/6.
  close(gauc([1, 0.5, NaN], [4, 2, 7]), 5 / 6);
  assert.ok(Number.isNaN(gauc([NaN], [3])));
});

test('the bootstrap\'s resampled AUC equals the weighted AUC, with and without ties', () => {
  const rowArb = fc.record({ s: fc.integer({ min: 0, max: 5 }), l: fc.integer({ min: 0, max: 1 }), c: fc.integer({ min: 0, max: 3 }) });
  fc.assert(fc.property(fc.array(rowArb, { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }), fc.boolean(), (rs, counts, distinct) => {
    // distinct: break every tie so that the no-ties fast path runs.
    const s = rs.map((r, i) => (distinct ? r.s + i * 1e-3 : r.s));
    const l = rs.map((r) => r.l);
    const cl = Int32Array.from(rs.map((r) => r.c));
    const cnt = Int32Array.from(counts);
    const a = resampledAuc(sortForAuc(s, l, cl), cnt);
    const b = weightedAuc(ascendingOrder(s), s, l, (i) => cnt[cl[i]]);
    assert.ok((Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  }));
});
