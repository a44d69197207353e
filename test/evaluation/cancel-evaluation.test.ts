// CancelEvaluation and the catalog protocol's precondition over real gRPC, Postgres and S3: a dataset built
// before item inputs per day existed is refused for the catalog protocol (FAILED_PRECONDITION naming the fix),
// still evaluates with --protocol viewed, and a running evaluation stops within a few seconds once cancelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, clientOf, call, rpcError, grpc } from '../helpers/platform';
import { cliJson, runCli } from '../helpers/cli';
import { RegistryStore } from '../../registry/registry-store';
import { putSyntheticDataset } from '../training/synthetic-dataset';
import { Params } from '../../ml/model/params';
import { makeSpec } from '../../ml/model/spec';
import { exportOnnx } from '../../ml/onnx/export';
import { modelMeta } from '../../ml/model/model-meta';
import type { Evaluation__Output } from '../../proto/gen/modelops/v1/Evaluation';

const MODEL = 'feed-ranker-hi';

test('catalog needs item inputs per day; a running evaluation is cancelled within seconds', async () => {
  const tp = await startTestPlatform({ services: ['registry', 'evaluation'] });
  try {
    const ctx = tp.platform.ctx;
    const registry = new RegistryStore(ctx.db, ctx.artifacts);
    await registry.createModel({ id: MODEL, createdBy: 'test' });
    const old = await putSyntheticDataset(ctx.artifacts, 'ds-old', { n: 2000, seed: 3, task: 'binary' });
    await putSyntheticDataset(ctx.artifacts, 'ds-big', { n: 30000, seed: 4, task: 'binary', itemDays: true });
    for (const [name, seed] of [['v-a', 1], ['v-b', 2]] as const) {
      const p = Params.init(makeSpec('two-tower-base', 'binary', old.layout, { hidden: [16], dim: 8 }), seed);
      await registry.registerVersion({
        model: MODEL, name, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: 'equi-quantile:4', datasetId: 'ds-old',
        hyperparameters: {}, trainingMetrics: {}, parity: null, backend: 'init', dataWindow: old.spec.window, createdBy: 'test',
        files: Object.entries({ ...exportOnnx(p), 'model.json': Buffer.from(JSON.stringify(modelMeta(p, {}, 'init'))) }).map(([n, data]) => ({ name: n, data })),
      });
    }
    const op = await tp.target('operator');
    const ev = clientOf('EvaluationService', op);

    // The default protocol (both) and catalog on an old dataset: FAILED_PRECONDITION saying to rebuild.
    for (const protocol of ['EVALUATION_PROTOCOL_UNSPECIFIED', 'EVALUATION_PROTOCOL_CATALOG']) {
      const err = await rpcError(call(op, ev, 'CreateEvaluation', { model: MODEL, version: 'v-a', baseline: 'v-b', protocol }));
      assert.equal(err.code, grpc.status.FAILED_PRECONDITION, protocol);
      assert.match(err.details, /no item inputs per test day.*rebuild it with `modelops data build`.*--protocol viewed/);
    }
    // Catalog scores cannot be kept from a viewed-only evaluation.
    assert.equal((await rpcError(call(op, ev, 'CreateEvaluation', { model: MODEL, version: 'v-a', baseline: 'v-b', protocol: 'EVALUATION_PROTOCOL_VIEWED',
      keep_scores: 'EVALUATION_PROTOCOL_CATALOG' }))).code, grpc.status.INVALID_ARGUMENT);
    const env = await tp.env('operator');
    const viewed = await cliJson(['evaluate', MODEL, 'v-a', '--baseline', 'v-b', '--protocol', 'viewed', '--resamples', '50'], env);
    assert.equal(viewed.evaluation.state, 'succeeded', viewed.evaluation.error);
    assert.deepEqual(Object.keys(viewed.protocols), ['viewed']);
    assert.equal(viewed.protocol, 'viewed');
    // Catalog scores were not kept: the export names the evaluate command that keeps them.
    const exp = await runCli(['evaluations', 'export', viewed.evaluation.id, '--protocol', 'catalog', '--out', '/dev/null'], env);
    assert.notEqual(exp.code, 0);
    assert.match(exp.stderr, /FAILED_PRECONDITION.*--export-protocol catalog/);
    // The viewed scores are always kept: one row per test view.
    const kept = await cliJson(['evaluations', 'export', viewed.evaluation.id, '--out', '/dev/null'], env);
    assert.equal(kept.export.rows, viewed.users.rows);

    // A long evaluation (both protocols, 10,000 resamples), cancelled once it runs.
    const { evaluation } = await call<object, { evaluation: Evaluation__Output }>(op, ev, 'CreateEvaluation', {
      model: MODEL, version: 'v-a', baseline: 'v-b', dataset_id: 'ds-big', bootstrap_resamples: 10000,
    });
    for (const t0 = Date.now(); ;) {
      const { evaluation: e } = await call<object, { evaluation: Evaluation__Output }>(op, ev, 'GetEvaluation', { name: evaluation.id });
      if (e.state === 'EVALUATION_STATE_RUNNING' && e.progress > 0.05) { console.log(`cancelling in phase "${e.phase}" at ${e.progress}`); break; }
      assert.equal(e.state !== 'EVALUATION_STATE_SUCCEEDED' && e.state !== 'EVALUATION_STATE_FAILED', true, `ended before it could be cancelled: ${e.state} ${e.error}`);
      assert.ok(Date.now() - t0 < 60_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    const t0 = Date.now();
    const { evaluation: cancelled } = await call<object, { evaluation: Evaluation__Output }>(op, ev, 'CancelEvaluation', { name: evaluation.id });
    const took = Date.now() - t0;
    assert.equal(cancelled.state, 'EVALUATION_STATE_CANCELLED');
    assert.ok(took < 5000, `cancel took ${took} ms (phase ${cancelled.phase})`);
    assert.match(cancelled.error, /cancelled by/);
    // The CLI shows the state; cancelling again returns it as it is.
    assert.equal((await cliJson(['evaluations', 'cancel', evaluation.id], env)).evaluation.state, 'cancelled');
    const shown = await runCli(['evaluations', 'show', evaluation.id], env);
    assert.equal(shown.code, 1);
    assert.match(shown.stdout, /: cancelled/);
    // Cancelling an ended evaluation returns it as it is; a reader may not cancel.
    assert.equal((await cliJson(['evaluations', 'cancel', viewed.evaluation.id], env)).evaluation.state, 'succeeded');
    const reader = await tp.target('reader');
    assert.equal((await rpcError(call(reader, clientOf('EvaluationService', reader), 'CancelEvaluation', { name: evaluation.id }))).code, grpc.status.PERMISSION_DENIED);
  } finally {
    await tp.stop();
  }
});
