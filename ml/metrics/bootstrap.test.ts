// The bootstrap's pieces on hand-worked cases: the percentile interval, determinism of the seeded draws, and
// paired intervals whose answer is known.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bootstrapResamples, mulberry32, pairedMeanDiffInterval, percentileInterval } from './bootstrap';

test('percentile interval interpolates between order statistics and drops NaN', () => {
  // Sorted 1..5: position (5-1)*0.025 = 0.1 -> 1 + 0.1*(2-1) = 1.1; (5-1)*0.975 = 3.9 -> 4 + 0.9*(5-4) = 4.9.
  const ci = percentileInterval([5, 3, NaN, 1, 4, 2])!;
  assert.ok(Math.abs(ci[0] - 1.1) < 1e-12 && Math.abs(ci[1] - 4.9) < 1e-12, String(ci));
  assert.equal(percentileInterval([NaN]), null);
});

test('the same seed draws the same resamples; each resample draws as many users as there are', () => {
  const draw = (seed: number) => {
    const out: number[][] = [];
    bootstrapResamples(7, { resamples: 3, seed }, (c) => out.push(Array.from(c)));
    return out;
  };
  assert.deepEqual(draw(5), draw(5));
  assert.notDeepEqual(draw(5), draw(6));
  for (const c of draw(5)) assert.equal(c.reduce((a, b) => a + b, 0), 7);
  const r = mulberry32(1);
  for (let i = 0; i < 1000; i++) { const x = r(); assert.ok(x >= 0 && x < 1); }
});

test('paired intervals: identical versions give [0, 0]; a constant shift c gives [c, c]; mixed diffs stay in range', () => {
  const a = [0.1, 0.5, 0.9, 0.3];
  assert.deepEqual(pairedMeanDiffInterval(a, a), [0, 0]);
  // b = a - 0.25 for every user: every resample's mean difference is exactly 0.25 (up to rounding).
  const ci = pairedMeanDiffInterval(a, a.map((x) => x - 0.25))!;
  assert.ok(Math.abs(ci[0] - 0.25) < 1e-12 && Math.abs(ci[1] - 0.25) < 1e-12, String(ci));
  // Per-user differences 0 and 1 (50 users each): the mean difference is 0.5, its standard error
  // sqrt(0.25/100) = 0.05, so the 95% interval is about 0.5 +- 0.1 and lies within [0, 1].
  const x = Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : 0));
  const mixed = pairedMeanDiffInterval(x, new Array(100).fill(0))!;
  assert.ok(mixed[0] > 0.35 && mixed[0] < 0.45 && mixed[1] > 0.55 && mixed[1] < 0.65, String(mixed));
});
