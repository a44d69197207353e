// The promotion gate as pure functions: thresholds worked out by hand.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  DEFAULT_GATE_POLICY, checkPolicy, evaluateGate, formatThreshold, gateInputFromReport, parseThreshold, type GateInput,
} from './promotion-gate';

const day = (r10: number, r50: number, map: number, gauc: number) => ({ 'recall@10': r10, 'recall@50': r50, map, gauc });

test('default policy: every metric >= baseline - 0.005 on every day; one bad day fails', () => {
  const input: GateInput = {
    baseline: { overall: day(0.2, 0.5, 0.3, 0.6), byDay: { '2022-05-02': day(0.2, 0.5, 0.3, 0.6), '2022-05-03': day(0.2, 0.5, 0.3, 0.6) } },
    // Day 1: map 0.296 >= 0.3 - 0.005 = 0.295 passes. Day 2: map 0.294 < 0.295 fails; everything else is equal.
    candidate: { overall: day(0.2, 0.5, 0.295, 0.6), byDay: { '2022-05-02': day(0.2, 0.5, 0.296, 0.6), '2022-05-03': day(0.2, 0.5, 0.294, 0.6) } },
  };
  const g = evaluateGate(DEFAULT_GATE_POLICY, input);
  assert.equal(g.passed, false);
  assert.deepEqual(g.days, ['2022-05-02', '2022-05-03']);
  assert.equal(g.checks.length, 4 * 2); // 4 metrics x 2 days, overall not checked by default
  const failed = g.checks.filter((c) => !c.passed);
  assert.equal(failed.length, 1);
  assert.equal(failed[0].metric, 'map');
  assert.equal(failed[0].scope, '2022-05-03');
  assert.ok(Math.abs(failed[0].threshold! - 0.295) < 1e-12);
  // Raise day 2 to exactly the bound: passes (>=).
  input.candidate.byDay['2022-05-03'].map = 0.295;
  assert.equal(evaluateGate(DEFAULT_GATE_POLICY, input).passed, true);
});

test('absolute, relative and lower-is-better thresholds', () => {
  const policy = checkPolicy({ thresholds: [
    { metric: 'gauc', minValue: 0.6 },
    { metric: 'map', minRelativeChange: -0.1 },                      // >= 0.9 * baseline
    { metric: 'rmse', minAbsoluteChange: -0.01, lowerIsBetter: true }, // <= baseline + 0.01
  ], includeOverall: true });
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
  const g = evaluateGate(DEFAULT_GATE_POLICY, {
    baseline: { overall: {}, byDay: { d1: day(0.2, 0.5, 0.3, 0.6), d2: day(0.2, 0.5, 0.3, 0.6) } },
    candidate: { overall: {}, byDay: { d1: day(0.3, 0.6, 0.4, 0.7) } },
  });
  assert.equal(g.passed, false);
  assert.ok(g.checks.filter((c) => c.scope === 'd2').every((c) => !c.passed && c.note));
  const none = evaluateGate(DEFAULT_GATE_POLICY, { baseline: { overall: day(0, 0, 0, 0), byDay: {} }, candidate: { overall: day(1, 1, 1, 1), byDay: {} } });
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
  const { evaluateRanking } = await import('../ml/metrics/evaluate');
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
  const g = evaluateGate(DEFAULT_GATE_POLICY, input);
  // recall@10 and recall@50 are 1 for both on both days (3 candidates); map and gauc fail on day 2 only.
  assert.equal(g.checks.length, 8);
  assert.deepEqual(g.checks.filter((c) => !c.passed).map((c) => `${c.metric}/${c.scope}`), ['map/2022-05-03', 'gauc/2022-05-03']);
});
