// The promotion gate as pure functions: thresholds worked out by hand.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  DEFAULT_GATE_POLICY, checkPolicy, evaluateGate, formatThreshold, gateInputForProtocol, gateInputFromReport, parseThreshold, type GateInput,
} from './promotion-gate';
import { evaluationReport, everyDay, type SectionSpec } from '../../ml/metrics/report-fixtures';

const day = (r10: number, r50: number, map: number, gauc: number) => ({ 'recall@10': r10, 'recall@50': r50, map, gauc });
/** The default policy's rules only, without the must-beat rule (the tests of thresholds alone). */
const THRESHOLDS_ONLY = { ...DEFAULT_GATE_POLICY, mustBeat: [] };

test('default policy: catalog protocol, gauc, map and recall@50 >= baseline - 0.005, beating random and popular', () => {
  assert.equal(DEFAULT_GATE_POLICY.protocol, 'catalog');
  assert.deepEqual(DEFAULT_GATE_POLICY.thresholds, [
    { metric: 'gauc', minAbsoluteChange: -0.005 }, { metric: 'map', minAbsoluteChange: -0.005 }, { metric: 'recall@50', minAbsoluteChange: -0.005 }]);
  assert.deepEqual(DEFAULT_GATE_POLICY.mustBeat, ['random', 'popular']);
  assert.equal(DEFAULT_GATE_POLICY.target, undefined); // the label of the gate's dataset
  assert.equal(DEFAULT_GATE_POLICY.datasetId, undefined); // the candidate's training dataset
  // A policy stored before policies named their evaluation reads with the defaults filled in.
  const old = checkPolicy({ thresholds: [{ metric: 'map', minAbsoluteChange: 0 }] });
  assert.equal(old.protocol, 'catalog');
  assert.deepEqual(old.mustBeat, ['random', 'popular']);
  assert.deepEqual(checkPolicy({ ...old, mustBeat: [] }).mustBeat, []);
  const named = checkPolicy({ ...old, target: 'pcc98', protocol: 'viewed', datasetId: 'datasets/ds-1', mustBeat: ['shortest'] });
  assert.deepEqual([named.target, named.protocol, named.datasetId, named.mustBeat], ['pcc98', 'viewed', 'ds-1', ['shortest']]);
  assert.throws(() => checkPolicy({ ...old, protocol: 'both' as never }), /protocol: "both" is not one of viewed, catalog/);
  assert.throws(() => checkPolicy({ ...old, target: 'watch' }), /target: "watch" is not one of/);
  assert.throws(() => checkPolicy({ ...old, mustBeat: ['oracle' as never] }), /"oracle" is not a sanity baseline/);
});

test('thresholds: every metric >= baseline - 0.005 on every day; one bad day fails', () => {
  const input: GateInput = {
    baseline: { overall: day(0.2, 0.5, 0.3, 0.6), byDay: { '2022-05-02': day(0.2, 0.5, 0.3, 0.6), '2022-05-03': day(0.2, 0.5, 0.3, 0.6) } },
    // Day 1: map 0.296 >= 0.3 - 0.005 = 0.295 passes. Day 2: map 0.294 < 0.295 fails; everything else is equal.
    candidate: { overall: day(0.2, 0.5, 0.295, 0.6), byDay: { '2022-05-02': day(0.2, 0.5, 0.296, 0.6), '2022-05-03': day(0.2, 0.5, 0.294, 0.6) } },
  };
  const g = evaluateGate(THRESHOLDS_ONLY, input);
  assert.equal(g.passed, false);
  assert.deepEqual(g.days, ['2022-05-02', '2022-05-03']);
  assert.equal(g.checks.length, 3 * 2); // 3 metrics x 2 days, overall not checked by default
  const failed = g.checks.filter((c) => !c.passed);
  assert.equal(failed.length, 1);
  assert.equal(failed[0].metric, 'map');
  assert.equal(failed[0].scope, '2022-05-03');
  assert.ok(Math.abs(failed[0].threshold! - 0.295) < 1e-12);
  // Raise day 2 to exactly the bound: passes (>=).
  input.candidate.byDay['2022-05-03'].map = 0.295;
  assert.equal(evaluateGate(THRESHOLDS_ONLY, input).passed, true);
  // With the must-beat rule, a report that says nothing about sanity baselines (made before them) shows the
  // rule as skipped for each of the 3 metrics x 2 baselines, and still passes.
  const old = evaluateGate(DEFAULT_GATE_POLICY, input);
  assert.equal(old.passed, true);
  assert.equal(old.checks.filter((c) => c.skipped && c.condition.startsWith('beats:')).length, 6);
});

test('absolute, relative and lower-is-better thresholds', () => {
  const policy = checkPolicy({ thresholds: [
    { metric: 'gauc', minValue: 0.6 },
    { metric: 'map', minRelativeChange: -0.1 },                      // >= 0.9 * baseline
    { metric: 'rmse', minAbsoluteChange: -0.01, lowerIsBetter: true }, // <= baseline + 0.01
  ], includeOverall: true, mustBeat: [] });
  const input: GateInput = {
    baseline: { overall: { gauc: 0.7, map: 0.2, rmse: 1.0 }, byDay: { d1: { gauc: 0.7, map: 0.2, rmse: 1.0 } } },
    // map 0.18 = 0.9 * 0.2 passes; rmse 1.01 = 1.0 + 0.01 passes; gauc 0.59 < 0.6 fails (overall only).
    candidate: { overall: { gauc: 0.59, map: 0.18, rmse: 1.01 }, byDay: { d1: { gauc: 0.61, map: 0.18, rmse: 1.01 } } },
  };
  const g = evaluateGate(policy, input);
  assert.deepEqual(g.checks.filter((c) => !c.passed).map((c) => `${c.metric}/${c.scope}`), ['gauc/overall']);
  assert.equal(g.checks.find((c) => c.metric === 'rmse')!.op, '<=');
});

test('a metric or a day missing from one side fails, and a report without days fails', () => {
  const g = evaluateGate(THRESHOLDS_ONLY, {
    baseline: { overall: {}, byDay: { d1: day(0.2, 0.5, 0.3, 0.6), d2: day(0.2, 0.5, 0.3, 0.6) } },
    candidate: { overall: {}, byDay: { d1: day(0.3, 0.6, 0.4, 0.7) } },
  });
  assert.equal(g.passed, false);
  assert.ok(g.checks.filter((c) => c.scope === 'd2').every((c) => !c.passed && c.note));
  const none = evaluateGate(THRESHOLDS_ONLY, { baseline: { overall: day(0, 0, 0, 0), byDay: {} }, candidate: { overall: day(1, 1, 1, 1), byDay: {} } });
  assert.equal(none.passed, false);
});

test('reports: candidate/baseline series, {candidate, baseline} values, and delta layouts', () => {
  const a = gateInputFromReport({ candidate: { overall: { map: 0.3 }, by_day: { d1: { map: 0.3 } } }, baseline: { overall: { map: 0.2 }, by_day: { d1: { map: 0.2 } } } });
  assert.equal(a.baseline.byDay.d1.map, 0.2);
  const b = gateInputFromReport({ overall: { map: { candidate: 0.3, baseline: 0.2 } }, by_day: { d1: { map: { candidate: 0.31, baseline: 0.21 } } } });
  assert.equal(b.candidate.byDay.d1.map, 0.31);
  assert.equal(b.baseline.byDay.d1.map, 0.21);
  // baseline = candidate - delta: 0.3 - 0.1 = 0.2 overall; 0.31 - 0.05 = 0.26 on d1.
  const c = gateInputFromReport({ overall: { map: 0.3 }, by_day: { d1: { map: 0.31 } }, delta: { overall: { map: { delta: 0.1, ci95: [0, 0.2] } }, by_day: { d1: { map: { delta: 0.05 } } } } });
  assert.ok(Math.abs(c.baseline.overall.map - 0.2) < 1e-12);
  assert.ok(Math.abs(c.baseline.byDay.d1.map - 0.26) < 1e-12);
});

test('threshold expressions parse and print back', () => {
  assert.deepEqual(parseThreshold('recall@10>=baseline-0.005'), { metric: 'recall@10', minAbsoluteChange: -0.005 });
  assert.deepEqual(parseThreshold('gauc>=0.6'), { metric: 'gauc', minValue: 0.6 });
  assert.deepEqual(parseThreshold('map>=baseline'), { metric: 'map', minAbsoluteChange: 0 });
  const rel = parseThreshold('map>=baseline*0.99');
  assert.ok(Math.abs(rel.minRelativeChange! + 0.01) < 1e-12);
  assert.deepEqual(parseThreshold('rmse<=baseline+0.01'), { metric: 'rmse', lowerIsBetter: true, minAbsoluteChange: -0.01 });
  for (const e of ['recall@10>=baseline-0.005', 'gauc>=0.6', 'map>=baseline*0.99', 'rmse<=baseline+0.01']) {
    assert.deepEqual(formatThreshold(parseThreshold(e)), [e]);
  }
  assert.throws(() => parseThreshold('map > 1'), /expected METRIC>=/);
  assert.throws(() => checkPolicy({ thresholds: [] }), /at least one/);
  assert.throws(() => checkPolicy({ thresholds: [{ metric: 'map' }] }), /give min_value/);
});

test('the evaluation service\'s report (ml/metrics evaluateRanking) feeds the gate per day', async () => {
  const { evaluateRanking } = await import('../../ml/metrics/evaluate');
  // Day 0: user 0 sees items 0,1,2 and likes item 0. The candidate ranks it first (AP 1, AUC 1); the
  // baseline ranks it last (AP 1/3, AUC 0). Day 1: user 1, the same rows with the two versions swapped.
  const rows = { user: Int32Array.from([0, 0, 0, 1, 1, 1]), nUsers: 2, label: [1, 0, 0, 1, 0, 0], item: [0, 1, 2, 0, 1, 2],
    day: Int32Array.from([0, 0, 0, 1, 1, 1]), days: ['2022-05-02', '2022-05-03'] };
  const good = [0.9, 0.1, 0.2];
  const bad = [0.1, 0.9, 0.2];
  const report = evaluateRanking(rows, [...good, ...bad], [...bad, ...good], { bootstrap: false });
  const input = gateInputFromReport(JSON.parse(JSON.stringify(report)) as Record<string, unknown>);
  assert.equal(input.candidate.byDay['2022-05-02'].map, 1);
  assert.ok(Math.abs(input.baseline.byDay['2022-05-02'].map - 1 / 3) < 1e-12);
  const g = evaluateGate(THRESHOLDS_ONLY, input);
  // recall@50 is 1 for both on both days (3 candidates); gauc and map fail on day 2 only.
  assert.equal(g.checks.length, 6);
  assert.deepEqual(g.checks.filter((c) => !c.passed).map((c) => `${c.metric}/${c.scope}`), ['gauc/2022-05-03', 'map/2022-05-03']);
});

const DAYS = ['2022-05-02', '2022-05-03'];
const good = { gauc: 0.62, map: 0.31, 'recall@50': 1 };
const base = { gauc: 0.6, map: 0.3, 'recall@50': 1 };
const section = (o: Partial<SectionSpec> = {}): SectionSpec => ({ candidate: everyDay(DAYS, good), baseline: everyDay(DAYS, base), ...o });

test('a report with protocols: the gate reads the section of its protocol; an old report serves viewed only', () => {
  // The viewed section is worse than the baseline (map 0.2 < 0.3 - 0.005), the catalog one better.
  const report = evaluationReport({ viewed: section({ candidate: everyDay(DAYS, { ...good, map: 0.2 }) }), catalog: section(), target: 'wtg', datasetId: 'ds' });
  const catalog = gateInputForProtocol(report, 'catalog');
  assert.equal(catalog.input?.candidate.byDay['2022-05-02'].map, 0.31);
  assert.equal(catalog.legacy, false);
  assert.equal(evaluateGate(DEFAULT_GATE_POLICY, catalog.input!).passed, true);
  const viewed = gateInputForProtocol(report, 'viewed');
  assert.equal(evaluateGate(DEFAULT_GATE_POLICY, viewed.input!).passed, false);
  // Only the viewed protocol in it: the catalog is missing, and the message says which protocols it has.
  assert.match(gateInputForProtocol(evaluationReport({ viewed: section(), target: 'wtg', datasetId: 'ds' }), 'catalog').missing!, /no catalog protocol \(it has viewed\)/);
  // A report made before protocols: viewed as it is (legacy), never catalog.
  const old = { overall: good, by_day: everyDay(DAYS, good), baseline: { overall: base, by_day: everyDay(DAYS, base) } };
  assert.equal(gateInputForProtocol(old, 'viewed').legacy, true);
  assert.match(gateInputForProtocol(old, 'catalog').missing!, /before protocols existed/);
});

test('a metric flagged uninformative is shown as skipped with its reason and never counted', () => {
  // recall@50 fails every day (0.5 < 1 - 0.005) and loses to popular, but the evaluation says it cannot tell
  // models apart: the gate passes on gauc and map, and shows one skipped recall@50 row with the reason.
  const reason = 'K=50 >= the median list length (3)';
  const s = section({ candidate: everyDay(DAYS, { ...good, 'recall@50': 0.5 }), uninformative: { 'recall@50': reason }, losesTo: { 'recall@50': ['popular'] } });
  const { input } = gateInputForProtocol(evaluationReport({ catalog: s, target: 'wtg', datasetId: 'ds' }), 'catalog');
  const g = evaluateGate(DEFAULT_GATE_POLICY, input!);
  assert.equal(g.passed, true);
  const skipped = g.checks.filter((c) => c.skipped);
  assert.deepEqual(skipped.map((c) => `${c.metric}/${c.scope}/${c.condition}`), ['recall@50/every day/informative']);
  assert.equal(skipped[0].note, `not informative: ${reason}`);
  assert.ok(!g.checks.some((c) => c.metric === 'recall@50' && !c.skipped));
  // gauc and map: 2 days x 1 threshold + 2 must-beat rows each = 8 counted rows, all passing.
  assert.equal(g.checks.filter((c) => !c.skipped).length, 8);
  // The same values counted (informative) fail: recall@50 on both days and against popular.
  const counted = evaluateGate(DEFAULT_GATE_POLICY, gateInputForProtocol(evaluationReport({ catalog: { ...s, uninformative: {} }, target: 'wtg', datasetId: 'ds' }), 'catalog').input!);
  assert.deepEqual(counted.checks.filter((c) => !c.passed).map((c) => `${c.metric}/${c.scope}/${c.condition}`),
    ['recall@50/2022-05-02/min_absolute_change', 'recall@50/2022-05-03/min_absolute_change', 'recall@50/overall/beats:popular']);
});

test('a policy made only of uninformative metrics refuses, saying why', () => {
  const s = section({ uninformative: { gauc: 'every sanity baseline gets the same value', map: 'every sanity baseline gets the same value',
    'recall@50': 'K=50 >= the median list length (3)' } });
  const g = evaluateGate(DEFAULT_GATE_POLICY, gateInputForProtocol(evaluationReport({ catalog: s, target: 'wtg', datasetId: 'ds' }), 'catalog').input!);
  assert.equal(g.passed, false);
  const refusal = g.checks.filter((c) => !c.passed && !c.skipped);
  assert.equal(refusal.length, 1);
  assert.match(refusal[0].note!, /every metric of the gate policy is uninformative in this evaluation: gauc \(every sanity baseline gets the same value\); .*recall@50 \(K=50 >= the median list length \(3\)\)/);
  assert.equal(g.checks.filter((c) => c.skipped).length, 3);
});

test('a day marked not gated (a partial day) is shown as skipped and not checked', () => {
  // Day 1 is partial (120 lists) and much worse (map 0.1); day 2 passes. The gate passes on day 2 alone.
  const s = section({ candidate: { [DAYS[0]]: { ...good, map: 0.1 }, [DAYS[1]]: good },
    notGated: { [DAYS[0]]: { lists: 120, reason: '120 evaluated lists, fewer than 200: reported, not gated' } } });
  const g = evaluateGate(DEFAULT_GATE_POLICY, gateInputForProtocol(evaluationReport({ catalog: s, target: 'wtg', datasetId: 'ds' }), 'catalog').input!);
  assert.equal(g.passed, true);
  assert.deepEqual(g.days, [DAYS[1]]);
  const skipped = g.checks.filter((c) => c.skipped);
  assert.equal(skipped.length, 1);
  assert.equal(skipped[0].scope, DAYS[0]);
  assert.equal(skipped[0].note, 'day not gated: 120 evaluated lists, fewer than 200: reported, not gated');
  assert.ok(!g.checks.some((c) => c.scope === DAYS[0] && !c.skipped));
  // Every day partial: nothing left to gate, refused.
  const none = evaluateGate(DEFAULT_GATE_POLICY, gateInputForProtocol(evaluationReport({ catalog: { ...s, notGated: Object.fromEntries(DAYS.map((d) => [d, { lists: 10, reason: 'partial' }])) },
    target: 'wtg', datasetId: 'ds' }), 'catalog').input!);
  assert.equal(none.passed, false);
  assert.match(none.checks.find((c) => !c.passed && !c.skipped)!.note!, /no test day of the evaluation may be gated/);
});

test('must beat: each informative policy metric against each named sanity baseline, from beats_baselines', () => {
  const s = section({ losesTo: { gauc: ['popular'], map: ['shortest'] } });
  const input = gateInputForProtocol(evaluationReport({ catalog: s, target: 'wtg', datasetId: 'ds' }), 'catalog').input!;
  // Default (random, popular): gauc loses to popular -> one failing row; map loses to shortest, which is not asked.
  const g = evaluateGate(DEFAULT_GATE_POLICY, input);
  assert.deepEqual(g.checks.filter((c) => !c.passed).map((c) => `${c.metric}/${c.condition}`), ['gauc/beats:popular']);
  const row = g.checks.find((c) => c.condition === 'beats:popular' && c.metric === 'gauc')!;
  assert.equal(row.candidate, 0.62);
  assert.equal(row.baseline, 0.1); // popular's value in the hand-made report
  assert.equal(evaluateGate({ ...DEFAULT_GATE_POLICY, mustBeat: ['random', 'shortest'] }, input).checks.filter((c) => !c.passed)
    .map((c) => `${c.metric}/${c.condition}`).join(), 'map/beats:shortest');
  assert.equal(evaluateGate({ ...DEFAULT_GATE_POLICY, mustBeat: [] }, input).passed, true);
});
