// The seed-group estimator on hand-worked numbers, and Student's t quantile against its table.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { poolProtocol, poolSeedDeltas, studentT975, Z975 } from './seed-pool';

const close = (a: number | null | undefined, b: number, eps = 1e-9) => assert.ok(typeof a === 'number' && Math.abs(a - b) <= eps, `${a} != ${b}`);

test('Student t 0.975 quantiles match the printed table', () => {
  // Fisher & Yates' table, two-sided 5%: 12.706 (1), 4.303 (2), 2.447 (6), 2.306 (8), 2.042 (30).
  close(studentT975(1), 12.7062047, 1e-6);
  close(studentT975(2), 4.3026527, 1e-6);
  close(studentT975(6), 2.4469119, 1e-6);
  close(studentT975(8), 2.3060041, 1e-6);
  close(studentT975(30), 2.0422725, 1e-6);
  assert.equal(studentT975(Infinity), Z975);
  // Between whole degrees of freedom it lies between their quantiles.
  const q = studentT975(6.5);
  assert.ok(q < studentT975(6) && q > studentT975(7));
});

test('three seeds: the user-only and the pooled interval, worked by hand', () => {
  // Deltas .01, .02, .03: mean d = .02; sd_seed² = (.01² + 0 + .01²) / 2 = 1e-4, so sd_seed = .01 and sd_seed²/S = 1e-4/3.
  // Each seed's user interval is symmetric with se_s² = 1e-4/3 (half width 1.959964·0.0057735 = 0.0113159), so
  // se_user² = 1e-4/3, and user-only = .02 ± 1.959964·0.0057735 = [0.0086841, 0.0313159].
  // se² = 1e-4/3 + 1e-4/3 = 6.6667e-5, se = 0.0081650; ν = se⁴·(S-1)/(1e-4/3)² = (2b)²·2/b² = 8, t(8) = 2.3060041;
  // pooled = .02 ± 2.3060041·0.0081650 = .02 ± 0.0188284 = [0.0011716, 0.0388284].
  const se = Math.sqrt(1e-4 / 3);
  const seed = (d: number) => ({ candidate: 0.5 + d, baseline: 0.5, delta: d, ci95: [d - Z975 * se, d + Z975 * se] as [number, number] });
  const g = poolSeedDeltas([seed(0.01), seed(0.02), seed(0.03)]);
  close(g.delta, 0.02, 1e-15);
  close(g.candidate_mean, 0.52, 1e-15);
  close(g.baseline_mean, 0.5);
  close(g.sd_seed, 0.01, 1e-15);
  close(g.se_user, 0.0057735, 1e-7);
  close(g.ci95_user![0], 0.0086841, 1e-7);
  close(g.ci95_user![1], 0.0313159, 1e-7);
  close(g.se_pooled, 0.0081650, 1e-7);
  close(g.df, 8, 1e-9);
  close(g.ci95_pooled![0], 0.0011716, 1e-7);
  close(g.ci95_pooled![1], 0.0388284, 1e-7);
  assert.deepEqual(g.per_seed_delta, [0.01, 0.02, 0.03]);
  assert.equal(g.seeds, 3);
});

test('equal seeds add nothing: the pooled interval is the user-only one (normal quantile, infinite df)', () => {
  const e = { candidate: 0.6, baseline: 0.5, delta: 0.1, ci95: [0.08, 0.12] as [number, number] };
  const g = poolSeedDeltas([e, e]);
  close(g.sd_seed, 0);
  assert.equal(g.df, null);
  // se_user = .04 / 3.919928 = 0.0102043; both intervals .1 ± 0.02.
  close(g.ci95_pooled![0], 0.08, 1e-12);
  close(g.ci95_user![1], 0.12, 1e-12);
});

test('one seed has no seed spread; a missing interval or delta leaves the intervals out', () => {
  const one = poolSeedDeltas([{ candidate: 0.6, baseline: 0.5, delta: 0.1, ci95: [0.08, 0.12] }]);
  assert.equal(one.sd_seed, null);
  assert.equal(one.ci95_pooled, null);
  assert.ok(one.ci95_user);
  const noCi = poolSeedDeltas([{ candidate: 0.6, baseline: 0.5, delta: 0.1, ci95: null }, { candidate: 0.7, baseline: 0.5, delta: 0.2, ci95: [0.1, 0.3] }]);
  close(noCi.delta, 0.15, 1e-15);
  assert.equal(noCi.ci95_user, null);
  assert.equal(noCi.ci95_pooled, null);
  const noDelta = poolSeedDeltas([{ candidate: null, baseline: 0.5, delta: null, ci95: null }, { candidate: 0.7, baseline: 0.5, delta: 0.2, ci95: [0.1, 0.3] }]);
  assert.equal(noDelta.delta, null);
  assert.deepEqual(noDelta.per_seed_delta, [null, 0.2]);
});

test('the pooled interval is never narrower than the user-only one', () => {
  for (const ds of [[0.01, 0.5, -0.2], [0, 0.001], [0.3, 0.3, 0.3, 0.31]]) {
    const g = poolSeedDeltas(ds.map((d, i) => ({ candidate: d, baseline: 0, delta: d, ci95: [d - 0.01 * (i + 1), d + 0.02] as [number, number] })));
    assert.ok(g.ci95_pooled![1] - g.ci95_pooled![0] >= g.ci95_user![1] - g.ci95_user![0]);
  }
});

test('a protocol pools overall, per day and against each sanity baseline', () => {
  const entry = (d: number) => ({ candidate: d, baseline: 0, delta: d, relative: null, ci95: [d - 0.1, d + 0.1] as [number, number] });
  const rep = (d: number) => ({
    delta: { overall: { map: entry(d) }, by_day: { '2022-05-01': { map: entry(2 * d) } } },
    sanity: { popularity: { delta: { overall: { map: entry(d + 1) }, by_day: {} } } },
  });
  const p = poolProtocol([rep(0.1), rep(0.3)]);
  close(p.overall.map.delta, 0.2, 1e-15);
  close(p.by_day['2022-05-01'].map.delta, 0.4, 1e-15);
  close(p.sanity.popularity.overall.map.delta, 1.2, 1e-15);
});
