// The report builder on a tiny hand-worked case: lists per user and day, one-class lists, the baseline delta,
// relative gain, the consistency flag and the bootstrap interval.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { evaluateRanking, lengthQuantileGroups, type EvalRows } from './evaluate';

const close = (a: number | null | undefined, b: number, eps = 1e-9) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= eps, `${a} != ${b}`);

// day 0: user 0 scores [3,2,1] labels [0,1,0]  -> RR 1/2
//        user 1 scores [3,2,1] labels [1,0,0]  -> RR 1
//        user 2 scores [5]     labels [0]      -> one class (only non-relevant): excluded, counted
// day 1: user 0 scores [1,2]   labels [1,0]    -> RR 1/2
const rows: EvalRows = {
  user: Int32Array.from([0, 0, 0, 1, 1, 1, 2, 0, 0]),
  nUsers: 3,
  label: [0, 1, 0, 1, 0, 0, 0, 1, 0],
  item: [0, 1, 2, 0, 1, 2, 3, 0, 1],
  day: Int32Array.from([0, 0, 0, 0, 0, 0, 0, 1, 1]),
  days: ['2022-05-01', '2022-05-02'],
};
const cand = [3, 2, 1, 3, 2, 1, 5, 1, 2];
// The baseline is the candidate negated: user 0 day 0 -> relevant still at rank 2 (RR 1/2); user 1 day 0 ->
// relevant last (RR 1/3); user 0 day 1 -> relevant first (RR 1).
const base = cand.map((s) => -s);

test('metrics per list, averaged per day and overall; one-class lists counted', () => {
  const r = evaluateRanking(rows, cand, base, { ks: [1, 2], bootstrap: { resamples: 200, seed: 7 } });
  // Overall MRR = (1/2 + 1 + 1/2) / 3 = 2/3; day 0 = (1/2 + 1)/2 = 3/4; day 1 = 1/2.
  close(r.overall.mrr, 2 / 3);
  close(r.by_day['2022-05-01'].mrr, 0.75);
  close(r.by_day['2022-05-02'].mrr, 0.5);
  // recall@1: lists give 0, 1, 0 -> 1/3.
  close(r.overall['recall@1'], 1 / 3);
  // Global AUC of day 0 pools 7 rows: relevant {2, 3}, non-relevant {3, 1, 2, 1, 5}.
  // 2 beats 1,1 and ties 2 -> 2.5; 3 beats 1,2,1 and ties 3 -> 3.5; (2.5 + 3.5) / (2*5) = 0.6.
  close(r.by_day['2022-05-01'].auc, 0.6);
  assert.deepEqual(
    { lists: r.users.lists, evaluated: r.users.evaluated, only_non_relevant: r.users.only_non_relevant, only_relevant: r.users.only_relevant, users: r.users.users, relevant: r.users.relevant },
    { lists: 4, evaluated: 3, only_non_relevant: 1, only_relevant: 0, users: 3, relevant: 3 },
  );
  assert.ok(r.definitions['recall_capped@2'].includes('min(2, |relevant|)'));
});

test('delta, relative gain, consistency across days and the paired interval', () => {
  const r = evaluateRanking(rows, cand, base, { ks: [1, 2], bootstrap: { resamples: 200, seed: 7 } });
  const d = r.delta!;
  // Baseline MRR = (1/2 + 1/3 + 1) / 3 = 11/18; delta = 2/3 - 11/18 = 1/18; relative = (1/18)/(11/18) = 1/11.
  close(d.overall.mrr.baseline, 11 / 18);
  close(d.overall.mrr.delta, 1 / 18);
  close(d.overall.mrr.relative, 1 / 11);
  // Day 0: 3/4 vs (1/2 + 1/3)/2 = 5/12 (+); day 1: 1/2 vs 1 (-): not consistent with the overall +.
  close(d.by_day['2022-05-01'].mrr.delta, 3 / 4 - 5 / 12);
  close(d.by_day['2022-05-02'].mrr.delta, -0.5);
  assert.equal(d.consistent_across_days.mrr, false);
  const ci = d.overall.mrr.ci95!;
  assert.ok(ci[0] <= ci[1]);
  // The resampled users are user 0 (list deltas 0 and -1/2, mean -1/4) and user 1 (list delta 2/3): every
  // resample's delta is a weighted mean of those lists, so the interval lies within [-1/4, 2/3].
  assert.ok(ci[0] >= -0.25 - 1e-12 && ci[1] <= 2 / 3 + 1e-12);
  // Same seed, same interval.
  const again = evaluateRanking(rows, cand, base, { ks: [1, 2], bootstrap: { resamples: 200, seed: 7 } });
  assert.deepEqual(again.delta!.overall.mrr.ci95, ci);
});

test('a candidate compared with itself has zero delta and a [0, 0] interval', () => {
  const r = evaluateRanking(rows, cand, cand, { ks: [2], bootstrap: { resamples: 100, seed: 1 } });
  for (const [name, e] of Object.entries(r.delta!.overall)) {
    assert.equal(e.delta, 0, name);
    assert.deepEqual(e.ci95, [0, 0], name);
    assert.equal(r.delta!.consistent_across_days[name], false, name);
  }
});

test('without a baseline there is no delta; without days one list per user', () => {
  const r = evaluateRanking({ user: Int32Array.from([0, 0, 1, 1]), nUsers: 2, label: [1, 0, 0, 1] }, [2, 1, 2, 1], null, { ks: [1] });
  // User 0: relevant first (RR 1); user 1: relevant second (RR 1/2): MRR 3/4.
  close(r.overall.mrr, 0.75);
  assert.equal(r.delta, null);
  assert.equal(r.baseline, null);
  assert.deepEqual(r.by_day, {});
});

test('duration groups by length quantiles rank candidates within the group', () => {
  // Lengths 5, 10, 20, 40 in 2 groups: the edge is the 2nd of 4 sorted values (20): [5,10] and [20,40].
  const g = lengthQuantileGroups([5, 10, 20, 40, NaN], 2);
  assert.deepEqual(Array.from(g.group), [0, 0, 1, 1, -1]);
  assert.deepEqual(g.names, ['5.0-<20.0s', '20.0-40.0s']);
  // One user: short group labels [1,0] scores [1,2] -> RR 1/2; long group labels [0,1] scores [4,3] -> RR 1/2;
  // overall the single list [4,3,2,1] has labels [0,1,0,1] -> RR 1/2.
  const r = evaluateRanking({ user: new Int32Array(4), nUsers: 1, label: [1, 0, 0, 1], group: Int32Array.from([0, 0, 1, 1]), groups: g.names.slice(0, 2) },
    [1, 2, 4, 3], null, { ks: [1] });
  close(r.by_group['5.0-<20.0s'].mrr, 0.5);
  close(r.by_group['20.0-40.0s'].mrr, 0.5);
  close(r.overall.mrr, 0.5);
  assert.equal(r.users.by_group['20.0-40.0s'].evaluated, 1);
});

test('a metric defined on different lists for the two versions keeps separate means in the interval', () => {
  // User 0: A (cand 2, base 1, WTG unknown, relevant), B (cand 1, base 2, WTG 0.5). The candidate's top 1 is A
  // (WTG unknown: wtg_gain@1 undefined), the baseline's is B (0.5).
  // User 1: C (cand 2, base 1, WTG 1.0, relevant), D (cand 1, base 2, WTG -1.0): candidate 1.0, baseline -1.0.
  // Candidate mean over defined lists = 1.0; baseline = (0.5 - 1.0)/2 = -0.25; delta = 1.25.
  const r = evaluateRanking({ user: Int32Array.from([0, 0, 1, 1]), nUsers: 2, label: [1, 0, 1, 0], wtg: [NaN, 0.5, 1.0, -1.0] },
    [2, 1, 2, 1], [1, 2, 1, 2], { ks: [1], bootstrap: { resamples: 300, seed: 3 } });
  const e = r.delta!.overall['wtg_gain@1'];
  close(e.candidate, 1);
  close(e.baseline, -0.25);
  close(e.delta, 1.25);
  // Resamples: {0,0} has no candidate value (dropped); {0,1} gives 1 - (-0.25) = 1.25; {1,1} gives 1 - (-1) = 2.
  assert.ok(e.ci95 && e.ci95[0] >= 1.25 - 1e-12 && e.ci95[1] <= 2 + 1e-12, JSON.stringify(e.ci95));
});
