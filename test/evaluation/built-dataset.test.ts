// Evaluation on a dataset built by the FeatureService (GenerateEvents + BuildDataset, real group statistics):
// two versions registered through the registry store with the training exporter's ONNX files are evaluated with
// the completion target p90 and the group-statistics target wtg (wtg:pcc is refused: a wtg dataset lacks its statistics); the relevant-row counts of the report are
// checked against labels computed independently from the shards, and the report's days are the dataset's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, clientOf, call, rpcError, grpc } from '../helpers/platform';
import { cliJson } from '../helpers/cli';
import { RegistryStore } from '../../registry/registry-store';
import { loadDatasetMeta, loadShard, type DatasetMeta } from '../../ml/features/dataset';
import { Params } from '../../ml/model/params';
import { makeSpec } from '../../ml/model/spec';
import { exportOnnx } from '../../ml/onnx/export';
import { modelMeta } from '../../ml/model/model-meta';

const MODEL = 'feed-ranker-hi';

async function register(registry: RegistryStore, meta: DatasetMeta, name: string, seed: number): Promise<void> {
  const p = Params.init(makeSpec('two-tower-base', 'binary', meta.layout, { hidden: [16], dim: 8 }), seed);
  const files = { ...exportOnnx(p), 'model.json': Buffer.from(JSON.stringify(modelMeta(p, {}, 'init'))) };
  await registry.registerVersion({
    model: MODEL, name, arch: 'two-tower-base', task: 'binary', label: meta.spec.label, buckets: meta.spec.buckets, datasetId: meta.id,
    hyperparameters: { seed }, trainingMetrics: {}, parity: null, backend: 'init', dataWindow: meta.spec.window,
    files: Object.entries(files).map(([n, data]) => ({ name: n, data })), createdBy: 'test',
  });
}

test('evaluations on a built dataset: targets from its group statistics, its held-out days', async () => {
  const tp = await startTestPlatform({ services: ['feature', 'registry', 'evaluation'] });
  try {
    const ctx = tp.platform.ctx;
    const op = await tp.target('operator');
    const features = clientOf('FeatureService', op);
    await call(op, features, 'GenerateEvents', { users: 80, items: 40, days: 7, seed: 9, dim: 4, views_per_day: 8, source: 'syn' });
    let { dataset: d } = await call<object, any>(op, features, 'BuildDataset', {
      window: '2024-01-01..2024-01-07', label: 'wtg', task: 'binary', buckets: 'equi-quantile:4', source: 'syn', min_item_views: 5,
    });
    for (let i = 0; i < 600 && d.state === 'DATASET_STATE_BUILDING'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      d = (await call<object, any>(op, features, 'GetDataset', { name: `datasets/${d.id}` })).dataset;
    }
    assert.equal(d.state, 'DATASET_STATE_READY', d.error);
    const meta = await loadDatasetMeta(ctx.artifacts, d.id);

    const registry = new RegistryStore(ctx.db, ctx.artifacts);
    await registry.createModel({ id: MODEL, createdBy: 'test' });
    await register(registry, meta, 'prod-p90', 1);
    await register(registry, meta, 'prod-wtg-1', 2);

    // Relevant rows counted independently from the shards: completion >= 0.9 for p90; for wtg, the WTG of watch
    // time within the row's duration group, (timespent - mean_g) / std_g > 0, with the dataset's statistics.
    let p90 = 0, wtg = 0, heldOut = 0;
    for (const ref of meta.shards.filter((s) => s.split === 'heldout')) {
      const { facts } = await loadShard(ctx.artifacts, ref);
      for (let i = 0; i < facts.day.length; i++) {
        if (facts.day[i] < 0 || !(facts.lengthS[i] > 0)) continue;
        heldOut++;
        const pcc = facts.timespentS[i] / facts.lengthS[i];
        if (pcc >= 0.9) p90++;
        const s = meta.groups.stats[facts.group[i]];
        if ((facts.timespentS[i] - s.mean) / s.std > 0) wtg++;
      }
    }
    assert.ok(heldOut > 100, `held-out rows: ${heldOut}`);

    const env = await tp.env('operator');
    const a = await cliJson(['evaluate', MODEL, 'prod-wtg-1', '--baseline', 'prod-p90', '--target', 'p90', '--resamples', '200'], env);
    assert.equal(a.evaluation.state, 'succeeded', a.evaluation.error);
    assert.equal(a.evaluation.dataset_id, meta.id);
    assert.equal(a.users.rows, heldOut);
    assert.equal(a.users.relevant, p90);
    assert.deepEqual(Object.keys(a.by_day).sort(), [...meta.days].filter((day) => a.users.by_day[day]).sort());
    assert.ok(Object.keys(a.by_day).length >= 2, `held-out days: ${Object.keys(a.by_day)}`);
    assert.ok(Object.keys(a.by_group).length >= 2, `duration groups: ${Object.keys(a.by_group)}`);

    const b = await cliJson(['evaluate', MODEL, 'prod-wtg-1', '--baseline', 'prod-p90', '--target', 'wtg', '--resamples', '200'], env);
    assert.equal(b.evaluation.state, 'succeeded', b.evaluation.error);
    assert.equal(b.users.relevant, wtg);
    assert.notEqual(p90, wtg);
    // Same rows and scores, different targets: identical lists, different relevance.
    assert.equal(b.users.lists, a.users.lists);

    // A target whose statistics the dataset does not carry is refused up front, saying what to do.
    const refused = await rpcError(call(op, clientOf('EvaluationService', op), 'CreateEvaluation', { model: MODEL, version: 'prod-wtg-1', target: 'wtg:pcc' }));
    assert.equal(refused.code, grpc.status.FAILED_PRECONDITION);
    assert.match(refused.details, /--label wtg:pcc/);

    const cmp = await cliJson(['compare', MODEL, 'prod-wtg-1', 'prod-p90', '--target', 'p90'], env);
    assert.equal(cmp.target, 'p90');
    assert.equal(cmp.versions[0].evaluation_id, a.evaluation.id);
  } finally {
    await tp.stop();
  }
});
