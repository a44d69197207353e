// The gate on a seed group's evaluation: group means and pooled (users + seeds) intervals, not the first seed's
// values and user-only intervals; the policy's min_seeds. Hand-made reports, expected outcomes worked out below.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkPolicy, DEFAULT_GATE_POLICY, evaluateGate, gateInputForProtocol, intervalsPhrase } from './promotion-gate';
import { evaluationReport, everyDay, withGroup, type GroupSpec, type SectionSpec } from '../../ml/metrics/report-fixtures';

const DAYS = ['2022-05-02', '2022-05-03', '2022-05-04'];
const BASE = { gauc: 0.6, map: 0.3, 'recall@50': 0.5 };
const GOOD = { gauc: 0.62, map: 0.32, 'recall@50': 0.52 };
// The first seed: 0.02 better than the baseline everywhere, and it beats every sanity baseline (user-only intervals).
const FIRST: SectionSpec = { candidate: everyDay(DAYS, GOOD), baseline: everyDay(DAYS, BASE) };
const firstSeed = () => evaluationReport({ catalog: FIRST, target: 'wtg', datasetId: 'ds' });
// Against every sanity baseline (0.1) the delta is about 0.2-0.5 on every day; overall, the user-only interval
// [0.01, 0.05] is above 0, while the pooled one [-0.01, 0.07] — wider by the spread across seeds — is not.
const WIDE: GroupSpec = { candidate: everyDay(DAYS, GOOD), baseline: everyDay(DAYS, BASE), sanityCi: { user: [0.01, 0.05], pooled: [-0.01, 0.07] } };

const gate = (report: Record<string, unknown>, policy = DEFAULT_GATE_POLICY) => {
  const read = gateInputForProtocol(report, 'catalog');
  assert.equal(read.missing, undefined, read.missing);
  return evaluateGate(policy, read.input!);
};

test('a group evaluation is decided on the pooled interval: the user-only one passes, the pooled one fails', () => {
  // The first seed alone passes: its own report says it beats random and popular.
  const single = gate(firstSeed());
  assert.equal(single.passed, true);
  assert.deepEqual([single.intervals, single.seeds, single.seedGroup], ['user', 1, null]);

  const g = gate(withGroup(firstSeed(), { group: 'cand', seeds: 3, catalog: WIDE }));
  assert.equal(g.passed, false);
  assert.deepEqual([g.intervals, g.seeds, g.seedGroup], ['pooled', 3, 'cand']);
  // 3 metrics x (random, popular): every must-beat row fails on the pooled interval; every threshold row passes.
  const failed = g.checks.filter((c) => !c.passed && !c.skipped);
  assert.deepEqual(failed.map((c) => `${c.metric}/${c.condition}`).sort(),
    ['gauc/beats:popular', 'gauc/beats:random', 'map/beats:popular', 'map/beats:random', 'recall@50/beats:popular', 'recall@50/beats:random']);
  for (const c of failed) {
    assert.deepEqual(c.ci95, [-0.01, 0.07]);
    assert.match(c.note!, /pooled \(users \+ 3 seeds\) 95% interval of the delta \[-0\.0100, 0\.0700\] is not above 0/);
  }
  assert.equal(intervalsPhrase(g), 'pooled 95% intervals (users + 3 seeds of group cand)');

  // The same group with a pooled interval above 0 passes, and shows that interval on its must-beat rows.
  const narrow = gate(withGroup(firstSeed(), { group: 'cand', seeds: 3, catalog: { ...WIDE, sanityCi: { user: [0.01, 0.05], pooled: [0.002, 0.058] } } }));
  assert.equal(narrow.passed, true);
  assert.deepEqual(narrow.checks.find((c) => c.condition === 'beats:random')!.ci95, [0.002, 0.058]);

  // A group of one seed has no spread across seeds (no pooled interval): it reads the user-only one, and says so.
  const one = gate(withGroup(firstSeed(), { group: 'cand', seeds: 1, catalog: WIDE }));
  assert.deepEqual([one.passed, one.intervals, one.seeds, one.seedGroup], [true, 'user', 1, 'cand']);
  assert.match(intervalsPhrase(one), /group cand has one seed: no seed variance/);
});

test('a group evaluation compares the group means on every day, not the first seed\'s values', () => {
  // The first seed is 0.02 better everywhere; the group's mean map on 2022-05-03 is 0.294 < 0.3 - 0.005 = 0.295.
  const means = everyDay(DAYS, GOOD);
  means['2022-05-03'] = { ...GOOD, map: 0.294 };
  const g = gate(withGroup(firstSeed(), { group: 'cand', seeds: 2, catalog: { ...WIDE, candidate: means, sanityCi: { user: [0.1, 0.3], pooled: [0.05, 0.35] } } }),
    { ...DEFAULT_GATE_POLICY, includeOverall: true });
  assert.deepEqual(g.checks.filter((c) => !c.passed).map((c) => `${c.metric}/${c.scope}`), ['map/2022-05-03']);
  const row = g.checks.find((c) => c.metric === 'map' && c.scope === '2022-05-03')!;
  assert.deepEqual([row.candidate, row.baseline, row.threshold], [0.294, 0.3, 0.295]);
  // Overall: the mean of the day means, (0.32 + 0.294 + 0.32) / 3 = 0.3113 >= 0.295.
  assert.ok(Math.abs(g.checks.find((c) => c.metric === 'map' && c.scope === 'overall')!.candidate! - 0.934 / 3) < 1e-12);

  // A day whose mean delta against a sanity baseline is not > 0 fails must-beat even with a pooled interval above 0.
  const tie = everyDay(DAYS, GOOD);
  tie['2022-05-04'] = { ...GOOD, gauc: 0.1 };
  const t = gate(withGroup(firstSeed(), { group: 'cand', seeds: 2, catalog: { ...WIDE, candidate: tie, sanityCi: { user: [0.1, 0.3], pooled: [0.05, 0.35] } } }),
    { ...DEFAULT_GATE_POLICY, thresholds: [{ metric: 'gauc', minValue: 0 }] });
  assert.deepEqual(t.checks.filter((c) => !c.passed).map((c) => `${c.metric}/${c.condition}`), ['gauc/beats:random', 'gauc/beats:popular']);
});

test('min_seeds: a group evaluation of at least N seeds; one version\'s evaluation or a smaller group is refused', () => {
  assert.equal(checkPolicy({ ...DEFAULT_GATE_POLICY, minSeeds: 0 }).minSeeds, undefined);
  assert.equal(checkPolicy({ ...DEFAULT_GATE_POLICY, minSeeds: 3 }).minSeeds, 3);
  for (const bad of [-1, 1.5, 21]) assert.throws(() => checkPolicy({ ...DEFAULT_GATE_POLICY, minSeeds: bad }), /policy\.min_seeds: .* whole number from 0/);

  const policy = { ...DEFAULT_GATE_POLICY, minSeeds: 3 };
  const passing = { ...WIDE, sanityCi: { user: [0.01, 0.05] as [number, number], pooled: [0.002, 0.058] as [number, number] } };
  const single = gate(firstSeed(), policy);
  assert.equal(single.passed, false);
  assert.deepEqual(single.checks.filter((c) => !c.passed).map((c) => [c.condition, c.scope, c.candidate, c.threshold]), [['min_seeds', 'evaluation', null, 3]]);
  assert.match(single.checks[0].note!, /the evaluation is of one version; the gate policy asks for a seed-group evaluation of at least 3 seeds/);
  const two = gate(withGroup(firstSeed(), { group: 'cand', seeds: 2, catalog: passing }), policy);
  assert.deepEqual(two.checks.filter((c) => !c.passed).map((c) => [c.condition, c.candidate]), [['min_seeds', 2]]);
  const three = gate(withGroup(firstSeed(), { group: 'cand', seeds: 3, catalog: passing }), policy);
  assert.equal(three.passed, true);
  assert.deepEqual(three.checks.filter((c) => c.condition === 'min_seeds').map((c) => [c.passed, c.candidate]), [[true, 3]]);
});

test('a group evaluation without the gate\'s protocol in its pooled part cannot serve the gate', () => {
  const report = withGroup(evaluationReport({ viewed: FIRST, catalog: FIRST, target: 'wtg', datasetId: 'ds' }), { group: 'cand', seeds: 2, viewed: WIDE });
  assert.match(gateInputForProtocol(report, 'catalog').missing!, /its seed-group part has no catalog protocol \(it has viewed\)/);
  assert.equal(gateInputForProtocol(report, 'viewed').input?.intervals, 'pooled');
});
