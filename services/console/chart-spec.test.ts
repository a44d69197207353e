import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluationDeltaCharts, rolloutEffectCharts } from './chart-spec';

type Ds = { label: string; data: (number | null)[] };
const datasets = (c: { config: Record<string, unknown> }) => (c.config.data as { datasets: Ds[] }).datasets;
const labels = (c: { config: Record<string, unknown> }) => (c.config.data as { labels: string[] }).labels;

test('evaluation charts: one per protocol and metric, days sorted, band from ci95, gaps where a day lacks the metric', () => {
  const report = {
    protocols: {
      viewed: { delta: { by_day: {
        '2022-05-08': { auc: { delta: 0.03, ci95: [0.01, 0.05] as [number, number] } },
        '2022-05-07': { auc: { delta: -0.01, ci95: [-0.02, 0.0] as [number, number] }, 'ndcg@10': { delta: 0.2, ci95: [0.1, 0.3] as [number, number] } },
      } } },
      catalog: { delta: null },
    },
  };
  const charts = evaluationDeltaCharts(report);
  assert.deepEqual(charts.map((c) => c.id), ['viewed:auc', 'viewed:ndcg@10']);
  const auc = charts[0];
  assert.deepEqual(labels(auc), ['2022-05-07', '2022-05-08']);
  // Datasets: interval low, interval high (filled to the low one), the delta, the zero line.
  const [lo, hi, delta, zero] = datasets(auc);
  assert.deepEqual(lo.data, [-0.02, 0.01]);
  assert.deepEqual(hi.data, [0.0, 0.05]);
  assert.deepEqual(delta.data, [-0.01, 0.03]);
  assert.deepEqual(zero.data, [0, 0]);
  assert.equal((datasets(auc)[1] as unknown as { fill: string }).fill, '-1');
  // ndcg@10 has no value on 2022-05-08: a gap, not a zero.
  assert.deepEqual(datasets(charts[1])[2].data, [0.2, null]);
  // The configuration is plain JSON (the console sends it as is).
  assert.deepEqual(JSON.parse(JSON.stringify(auc.config)), auc.config);
});

test('evaluation charts: a report without a baseline (no deltas) or no report gives none', () => {
  assert.deepEqual(evaluationDeltaCharts(null), []);
  assert.deepEqual(evaluationDeltaCharts({ protocols: { viewed: { delta: null } } }), []);
});

test('rollout charts: one per arm, by exposure day, from the RPC estimates', () => {
  const charts = rolloutEffectCharts([
    { arm: 'b', day: '2026-01-02', absolute: { value: 2, ci_low: 1, ci_high: 3 } },
    { arm: 'b', day: '2026-01-01', absolute: { value: 1, ci_low: -1, ci_high: 3 } },
  ]);
  assert.deepEqual(charts.map((c) => c.id), ['rollout:b']);
  assert.deepEqual(labels(charts[0]), ['2026-01-01', '2026-01-02']);
  assert.deepEqual(datasets(charts[0]).slice(0, 3).map((d) => d.data), [[-1, 1], [3, 3], [1, 2]]);
});
