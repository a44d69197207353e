// EvaluationService end to end over real gRPC, Postgres and S3: a dataset in the stored format (the Datasets seam), a
// baseline version registered through the registry store with ONNX files from the training exporter (untrained
// weights) and a candidate trained by the TrainingService; `modelops evaluate` reads back the per-day table,
// deltas and intervals; the registry's promotion gate reads the stored evaluation; compare and list work; bad
// requests fail with the right codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, clientOf, call, rpcError, grpc } from '../helpers/platform';
import { cliJson, runCli } from '../helpers/cli';
import { RegistryStore } from '../../registry/registry-store';
import { Promotions } from '../../services/registry/promotion';
import { DEFAULT_GATE_POLICY } from '../../services/registry/promotion-gate';
import { putSyntheticDataset } from '../training/synthetic-dataset';
import { Params } from '../../ml/model/params';
import { makeSpec } from '../../ml/model/spec';
import { exportOnnx } from '../../ml/onnx/export';
import { modelMeta } from '../../ml/model/model-meta';
import { layoutFor } from '../../ml/features/layout';
import type { TrainingJob__Output } from '../../proto/gen/modelops/v1/TrainingJob';
import type { Evaluation__Output } from '../../proto/gen/modelops/v1/Evaluation';
import { checkProtocols } from './protocol-checks';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

process.env.MODELOPS_TRAINING_POLL_MS = '500';
const MODEL = 'feed-ranker-hi';
const SMALL = { epochs: 3, batch_size: 256, learning_rate: 0.003, hidden: [32, 16], vector_dim: 16, workers: 2 };

test('evaluate a trained version against an untrained production version: per-day table, deltas, intervals, gate', async () => {
  const tp = await startTestPlatform({ services: ['registry', 'training', 'evaluation'] });
  try {
    const ctx = tp.platform.ctx;
    const registry = new RegistryStore(ctx.db, ctx.artifacts);
    await registry.createModel({ id: MODEL, createdBy: 'test' });
    const meta = await putSyntheticDataset(ctx.artifacts, 'ds-eval', { n: 4000, seed: 11, task: 'binary', itemDays: true });

    // Baseline: the exporter's files for freshly initialised weights (no signal), promoted to production.
    const p = Params.init(makeSpec('two-tower-base', 'binary', meta.layout, { hidden: [16], dim: 8 }), 5);
    const files = { ...exportOnnx(p), 'model.json': Buffer.from(JSON.stringify(modelMeta(p, {}, 'init'))) };
    await registry.registerVersion({
      model: MODEL, name: 'prod-p90', arch: 'two-tower-base', task: 'binary', label: 'p90', buckets: 'equi-quantile:4', datasetId: 'ds-eval',
      hyperparameters: {}, trainingMetrics: {}, parity: null, backend: 'init', dataWindow: meta.spec.window,
      files: Object.entries(files).map(([name, data]) => ({ name, data })), createdBy: 'test',
    });
    await new Promotions(registry).promote({ model: MODEL, version: 'prod-p90', actor: 'test' });

    // Candidate: trained by the TrainingService on the dataset's training rows.
    const op = await tp.target('operator');
    const training = clientOf('TrainingService', op);
    const { job } = await call<object, { job: TrainingJob__Output }>(op, training, 'StartTrainingJob', {
      model: MODEL, version_name: 'prod-wtg-1', dataset_id: 'ds-eval', arch: 'two-tower-base', hyperparameters: SMALL, seed: 7,
    });
    for (const t0 = Date.now(); ;) {
      const { job: j } = await call<object, { job: TrainingJob__Output }>(op, training, 'GetTrainingJob', { name: job.name });
      if (j.state === 'TRAINING_JOB_STATE_SUCCEEDED') break;
      assert.ok(!['TRAINING_JOB_STATE_FAILED', 'TRAINING_JOB_STATE_CANCELLED'].includes(j.state), j.error);
      assert.ok(Date.now() - t0 < 240_000, 'training took too long');
      await new Promise((r) => setTimeout(r, 300));
    }

    // The CLI: baseline defaults to production; the report has the per-day table, deltas and intervals.
    const env = await tp.env('operator');
    const scoresFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mo-eval-')), 'scores.csv');
    const r = await cliJson(['evaluate', MODEL, 'prod-wtg-1', '--k', '5,10', '--resamples', '300', '--export-scores', scoresFile, '--export-protocol', 'both'], env);
    assert.equal(r.evaluation.state, 'succeeded', r.evaluation.error);
    checkProtocols(r, scoresFile);
    // `metrics compute` on the export prints the same report (same lists, same tie order, same sanity scores).
    const mc = await cliJson(['metrics', 'compute', '--input', scoresFile, '--k', r.ks.join(','), '--resamples', '50'], env);
    for (const p of ['viewed', 'catalog']) {
      for (const m of r.protocols[p].metrics as string[]) {
        const a = r.protocols[p].overall[m], b = mc.protocols[p].overall[m];
        assert.ok(a === b || Math.abs(a - b) <= 1e-12, `metrics compute ${p} ${m}: ${a} vs ${b}`);
        assert.equal(mc.protocols[p].informative[m].informative, r.protocols[p].informative[m].informative, `${p} ${m}`);
      }
    }
    assert.equal(r.evaluation.baseline_version, 'prod-p90');
    assert.equal(r.evaluation.dataset_id, 'ds-eval');
    assert.equal(r.evaluation.target, 'wtg');
    assert.deepEqual(Object.keys(r.by_day).sort(), ['2024-01-04', '2024-01-05']);
    assert.deepEqual(Object.keys(r.delta.by_day).sort(), ['2024-01-04', '2024-01-05']);
    for (const key of ['overall', 'by_day', 'by_group', 'delta', 'users', 'definitions']) assert.ok(key in r, key);
    // K = 50 was not asked for, but the default gate policy reads recall@50: the service adds it.
    assert.deepEqual(r.evaluation.ks, [5, 10, 50]);
    for (const m of ['recall@5', 'recall_capped@10', 'map', 'map@10', 'mrr', 'auc', 'gauc', 'hit_rate@5', 'ndcg@10', 'wtg_gain@5', 'wtg_dcg@5', 'watch_time@5', 'pcc98_rate@5']) {
      assert.ok(m in r.overall, m);
      const d = r.delta.overall[m];
      assert.ok(typeof d.delta === 'number', m);
    }
    // Every per-day delta carries its interval, and the interval holds its delta.
    for (const day of Object.keys(r.delta.by_day)) {
      const e = r.delta.by_day[day].gauc;
      assert.ok(Array.isArray(e.ci95) && e.ci95[0] <= e.delta + 1e-12 && e.delta <= e.ci95[1] + 1e-12, `${day}: ${JSON.stringify(e)}`);
    }
    // The fixture's label is learnable: the trained candidate beats random weights on GAUC, significantly.
    const g = r.delta.overall.gauc;
    assert.ok(g.delta > 0 && g.ci95[0] > 0, `gauc delta ${JSON.stringify(g)}`);
    assert.ok(typeof r.delta.consistent_across_days.gauc === 'boolean');
    assert.ok(r.users.evaluated > 10 && r.users.evaluated <= r.users.lists);
    assert.equal(r.bootstrap.resamples, 300);

    // The human table has the metrics x days layout with baseline and delta lines.
    const human = await runCli(['evaluations', 'show', r.evaluation.id, '--metrics', 'gauc,recall@5'], env);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /METRIC\s+OVERALL\s+2024-01-04\s+2024-01-05\s+CONSISTENT/);
    const groupHeader = human.stdout.split("\n").filter((l) => l.startsWith("METRIC"))[1];
    const lows = groupHeader.split(/\s+/).slice(2).map(parseFloat);
    assert.deepEqual(lows, [...lows].sort((a, b) => a - b), `groups in length order: ${groupHeader}`);
    assert.match(human.stdout, /\n\s+baseline\s/);
    assert.match(human.stdout, /\n\s+delta\s+[+-]\d\.\d{4} \([+-][\d.]+%\) \[[+-]\d\.\d{4}, [+-]\d\.\d{4}\]/);

    // Stored for the registry: the gate finds it and reads its per-day values.
    const cand = await registry.getVersion(MODEL, 'prod-wtg-1');
    const base = await registry.getVersion(MODEL, 'prod-p90');
    const stored = await registry.latestCompletedEvaluation(MODEL, cand.number, base.number);
    assert.equal(stored?.id, r.evaluation.id);
    // The gate reads only an evaluation of its protocol: a viewed gate without sanity baselines reads this one
    // (made with both protocols, or before protocols existed); rows of days it may not gate are skipped.
    await new Promotions(registry).setPolicy(MODEL, { ...DEFAULT_GATE_POLICY, protocol: 'viewed', mustBeat: [] }, 'test');
    const checked = await new Promotions(registry).promote({ model: MODEL, version: 'prod-wtg-1', actor: 'test', validateOnly: true });
    assert.equal(checked.evaluationId, r.evaluation.id);
    assert.deepEqual(checked.scope, { target: 'wtg', protocol: 'viewed', datasetId: 'ds-eval' });
    // It gates the days the report lets it (all of them in a report made before protocols).
    const marked = (r as { protocols?: { viewed?: { days?: Record<string, { gated: boolean }> } } }).protocols?.viewed?.days;
    assert.deepEqual(checked.gate!.days.slice().sort(), ['2024-01-04', '2024-01-05'].filter((d) => !marked || marked[d].gated));
    for (const c of checked.gate!.checks.filter((x) => !x.skipped && x.metric !== '*')) {
      assert.ok(typeof c.candidate === 'number' && typeof c.baseline === 'number', JSON.stringify(c));
    }

    // Reads over gRPC: list, get, compare (prod-p90 appears as the baseline of that evaluation).
    const reader = await tp.target('reader');
    const ev = clientOf('EvaluationService', reader);
    const list = await call<object, { evaluations: Evaluation__Output[] }>(reader, ev, 'ListEvaluations', { model: MODEL });
    assert.deepEqual(list.evaluations.map((e) => e.id), [r.evaluation.id]);
    assert.equal(list.evaluations[0].state, 'EVALUATION_STATE_SUCCEEDED');
    assert.equal(list.evaluations[0].report_json, '');
    const cmp = await cliJson(['compare', MODEL, 'prod-wtg-1', 'prod-p90'], env);
    assert.deepEqual(cmp.versions.map((v: { version: string; as_candidate: boolean }) => [v.version, v.as_candidate]), [['prod-wtg-1', true], ['prod-p90', false]]);
    assert.ok(Math.abs(cmp.versions[0].overall.gauc - cmp.versions[1].overall.gauc - g.delta) < 1e-9);
    assert.ok(Math.abs(cmp.versions[1].by_day['2024-01-04'].mrr - r.baseline.by_day['2024-01-04'].mrr) < 1e-12);
    // --metrics picks the table's rows, in the order given, as it does for evaluate; a name the report lacks is
    // left out and named on stderr.
    const shown = await runCli(['compare', MODEL, 'prod-wtg-1', 'prod-p90', '--metrics', 'map,recal@10,gauc'], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stderr, /--metrics: not in this report: recal@10 \(it has .*recall@10/);
    const lines = shown.stdout.trim().split('\n');
    assert.match(lines[1], /^METRIC\s+PROD-WTG-1\s+PROD-P90\s+Δ PROD-WTG-1\s+RANDOM\s+POPULAR\s+ITEM_PRIOR\s+SHORTEST\s+LONGEST$/);
    assert.deepEqual(lines.slice(2, -1).map((l) => l.split(/\s+/)[0]), ['map', 'gauc']);
    assert.match(lines[lines.length - 1], /^\* uninformative/);
    assert.ok(Math.abs(Number(lines[3].split(/\s+/)[1]) - cmp.versions[0].overall.gauc) < 1e-4, lines[3]);

    // A version trained on another feature layout fails the evaluation (not the server): state failed, the
    // reason says what to do, and the CLI exits 1.
    const other = Params.init(makeSpec('two-tower-base', 'binary', layoutFor(4), { hidden: [8], dim: 4 }), 9);
    await registry.registerVersion({
      model: MODEL, name: 'odd-layout', arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: 'equi-quantile:4', datasetId: 'ds-eval',
      hyperparameters: {}, trainingMetrics: {}, parity: null, backend: 'init', dataWindow: meta.spec.window, createdBy: 'test',
      files: Object.entries({ ...exportOnnx(other), 'model.json': Buffer.from(JSON.stringify(modelMeta(other, {}, 'init'))) }).map(([name, data]) => ({ name, data })),
    });
    // A gate on a cut-off outside the defaults: an evaluation without --k computes it too, so it can gate.
    await new Promotions(registry).setPolicy(MODEL, { thresholds: [{ metric: 'recall@20', minAbsoluteChange: -0.005 }] }, 'test');
    const failed = await runCli(['evaluate', MODEL, 'odd-layout', '--json'], env);
    assert.equal(failed.code, 1, failed.stderr);
    const fj = JSON.parse(failed.stdout);
    assert.deepEqual(fj.evaluation.ks, [5, 10, 20, 50, 100]);
    assert.equal(fj.evaluation.state, 'failed');
    assert.match(fj.evaluation.error, /another feature layout/);

    // Errors: unknown version, bad target, too few versions to compare, a reader may not create.
    const opEv = clientOf('EvaluationService', op);
    assert.equal((await rpcError(call(op, opEv, 'CreateEvaluation', { model: MODEL, version: 'nope' }))).code, grpc.status.NOT_FOUND);
    assert.equal((await rpcError(call(op, opEv, 'CreateEvaluation', { model: MODEL, version: 'prod-wtg-1', target: 'clicks' }))).code, grpc.status.INVALID_ARGUMENT);
    assert.equal((await rpcError(call(op, opEv, 'CreateEvaluation', { model: MODEL, version: 'prod-wtg-1', dataset_id: 'ds-missing' }))).code, grpc.status.NOT_FOUND);
    assert.equal((await rpcError(call(reader, ev, 'CompareVersions', { model: MODEL, versions: ['prod-p90'] }))).code, grpc.status.INVALID_ARGUMENT);
    assert.equal((await rpcError(call(reader, ev, 'CreateEvaluation', { model: MODEL, version: 'prod-wtg-1' }))).code, grpc.status.PERMISSION_DENIED);
    assert.equal((await rpcError(call(reader, ev, 'GetEvaluation', { name: 'ev-none' }))).code, grpc.status.NOT_FOUND);
  } finally {
    await tp.stop();
  }
});
