// The experiment file: the committed ones parse and plan as documented; mistakes name their field; claims get
// their verdicts from the evaluation numbers (the report's rules, worked out by hand below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSpec, parseSpec, SpecError } from './spec';
import { planOf } from './plan';
import { buildReport, type Measured } from './report';

const root = path.resolve(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(f, 'utf8');

test('the seed table: ten rows with every setting written out, eight datasets, each row evaluated on its own target', () => {
  const spec = loadSpec(path.join(root, 'experiments/seed-table.yaml'), read);
  assert.deepEqual(spec.rows.map((r) => r.name), ['prod-p90', 'wtg-fixed-1s', 'wtg-fixed-5s', 'wtg-equi', 'wtg-equi-grl', 'prod-wtg-1', 'wtg-mod', 'wtg-pcc', 'prod-wtg-2', 'wtg-quantile']);
  assert.equal(spec.data.window, '2022-04-25..2022-05-01');
  const plan = planOf(spec);
  assert.equal(plan.datasets.length, 8);
  for (const r of spec.rows) assert.ok(plan.evaluations.some((e) => e.row === r.name && e.purpose === 'own'), `${r.name} own`);
  // Rows whose label and buckets are the reference's are evaluated once, on the reference rows (reference_for: needed).
  for (const r of ['wtg-equi', 'wtg-equi-grl', 'prod-wtg-1', 'wtg-mod']) assert.equal(plan.evalOn[r], 'wtg|binary|equi-quantile:10');
  assert.equal(plan.evalOn['wtg-fixed-1s'], 'wtg|binary|fixed-1s');
  assert.equal(plan.evaluations.length, 14);
  // Claims against another row and on another target add their own evaluations.
  assert.ok(plan.evaluations.some((e) => e.row === 'wtg-equi' && e.against === 'wtg-fixed-1s'));
  assert.ok(plan.evaluations.some((e) => e.row === 'prod-wtg-2' && e.target === 'pcc98'));
  assert.ok(loadSpec(path.join(root, 'experiments/synthetic-small.yaml'), read).data.generate);
});

test('a mistake names its field and what to give', () => {
  const base = { name: 'x', data: { source: 's' }, rows: [{ name: 'a', label: 'p90' }, { name: 'b', label: 'wtg' }] };
  assert.throws(() => parseSpec({ ...base, rows: [{ name: 'a', label: 'p90', arch: 'x' }] }), /rows\[0\]\.arch: "x" is not one of two-tower-base/);
  assert.throws(() => parseSpec({ ...base, rows: [{ name: 'a', label: 'nope' }] }), SpecError);
  assert.throws(() => parseSpec({ ...base, seeds: 0 }), /spec\.seeds: 0 is not a whole number from 1 to 20/);
  assert.throws(() => parseSpec({ ...base, bogus: 1 }), /spec\.bogus: unknown field/);
  assert.throws(() => parseSpec({ ...base, rows: [{ name: 'a', label: 'p90' }, { name: 'a', label: 'wtg' }] }), /"a" is named twice/);
  assert.throws(() => parseSpec({ ...base, rows: [base.rows[0], { name: 'b', label: 'wtg', claims: [{ text: 't', expect: 'higher', metric: 'gauc', against: 'zzz' }] }] }), /against: "zzz" is not a row/);
  const ok = parseSpec(base);
  assert.equal(ok.baseline, 'a');
  assert.deepEqual([ok.seeds, ok.rows[1].epochs, ok.rows[1].hidden], [3, 5, [256, 128]]);
});

test('claims: reproduced, not reproduced and not testable follow the interval, with the numbers', () => {
  const spec = parseSpec({
    name: 'x', seeds: 2, data: { source: 's' },
    rows: [{ name: 'base', label: 'p90' }, {
      name: 'cand', label: 'wtg', claims: [
        { text: 'higher gauc', expect: 'higher', metric: 'gauc' },
        { text: 'higher map', expect: 'higher', metric: 'map' },
        { text: 'equal recall', expect: 'equal', metric: 'recall@5', margin: 0.01 },
        { text: 'saturated', expect: 'higher', metric: 'recall@100' },
        { text: 'consistent', expect: 'consistent', metric: 'gauc' },
        { text: 'serving', expect: 'not-testable', why: 'latency' },
      ],
    }],
  });
  const plan = planOf(spec);
  // gauc: delta 0.02, pooled [0.005, 0.035] above 0 -> reproduced. map: pooled [-0.01, 0.03] includes 0 -> not.
  // recall@5: pooled [-0.004, 0.006] inside ±0.01 -> reproduced (equal). recall@100 is saturated -> not testable.
  const g = (d: number, lo: number, hi: number) => ({ candidate_mean: 0.6 + d, baseline_mean: 0.6, delta: d, ci95_user: [lo / 2, hi / 2], ci95_pooled: [lo, hi], seeds: 2 });
  const report = {
    protocols: { viewed: { metrics: ['gauc', 'map', 'recall@5', 'recall@100'], overall: {}, by_day: { '2022-05-01': {}, '2022-05-02': {} }, by_group: {}, sanity: {},
      informative: { gauc: { informative: true, reason: null }, 'recall@100': { informative: false, reason: 'K = 100 >= the median evaluated list length 2' } },
      days: { '2022-05-01': { lists: 300, gated: true }, '2022-05-02': { lists: 300, gated: true } } } },
    group: { seeds: 2, members: [{ evaluation_id: 'ev-1' }, { evaluation_id: 'ev-2' }], protocols: { viewed: {
      overall: { gauc: g(0.02, 0.005, 0.035), map: g(0.01, -0.01, 0.03), 'recall@5': g(0.001, -0.004, 0.006), 'recall@100': g(0, -0.001, 0.001) },
      by_day: { '2022-05-01': { gauc: g(0.03, 0, 0.06) }, '2022-05-02': { gauc: g(-0.01, -0.04, 0.02) } }, sanity: {} } } },
  };
  const key = plan.evaluations.find((e) => e.row === 'cand')!;
  const measured: Measured = {
    evaluations: Object.fromEntries(plan.evaluations.map((e) => [e.key, { need: e, id: e === key ? 'ev-0' : 'ev-b', report: e === key ? report : {} }])),
    datasets: {}, rows: {}, correlations: {},
  };
  const r = buildReport(spec, plan, measured, { experimentId: 'exp-1', codeVersion: 'test', command: 'c', wallSeconds: 1, counts: {}, addr: 'a' });
  const v = Object.fromEntries(r.claims.map((c) => [c.text, c]));
  assert.equal(v['higher gauc'].verdict, 'reproduced');
  assert.match(v['higher gauc'].detail, /gauc 0\.6200 vs base 0\.6000, \+0\.0200 \[\+0\.0050, \+0\.0350\]: higher/);
  assert.equal(v['higher map'].verdict, 'not reproduced');
  assert.match(v['higher map'].detail, /includes 0/);
  assert.equal(v['equal recall'].verdict, 'reproduced');
  assert.equal(v.saturated.verdict, 'not testable');
  assert.match(v.saturated.detail, /cannot tell models apart here \(K = 100/);
  assert.equal(v.consistent.verdict, 'not reproduced', 'the sign changes from +0.03 to -0.01');
  assert.equal(v.serving.verdict, 'not testable');
  assert.deepEqual(r.rows[1].own!.member_evaluations, ['ev-1', 'ev-2']);
});
