// Training reads the validation part, never the test part: through real gRPC, Postgres and S3, a job on a
// dataset with a validation part reports validation metrics computed on exactly the validation rows (the
// registered model's AUC on them equals the job's val_auc), and the test shards are deleted from the store
// before the job runs, so any read of them would fail the job. A dataset without a validation part trains
// without validation metrics and the job says so (no fallback to the test rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, clientOf, call } from '../helpers/platform';
import { RegistryStore } from '../../registry/registry-store';
import { loadShard } from '../../ml/features/dataset';
import { OnnxModel } from '../../ml/model/onnx-model';
import { globalAuc } from '../../ml/metrics/auc';
import { putSyntheticDataset } from './synthetic-dataset';
import type { Target } from '../../cli/client';
import type { TrainingJob__Output } from '../../proto/gen/modelops/v1/TrainingJob';

process.env.MODELOPS_TRAINING_POLL_MS = '500';

type JobRes = { job: TrainingJob__Output };
const SMALL = { epochs: 3, batch_size: 256, learning_rate: 0.003, hidden: [32, 16], vector_dim: 16, workers: 2 };

async function finished(target: Target, name: string): Promise<TrainingJob__Output> {
  const client = clientOf('TrainingService', target);
  const t0 = Date.now();
  for (;;) {
    const { job } = await call<object, JobRes>(target, client, 'GetTrainingJob', { name });
    if (!['TRAINING_JOB_STATE_QUEUED', 'TRAINING_JOB_STATE_RUNNING'].includes(job.state)) return job;
    if (Date.now() - t0 > 180_000) throw new Error(`job ${name} did not finish: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

test('training reports validation metrics on the validation rows and never reads the test rows', async () => {
  const tp = await startTestPlatform({ services: ['training', 'registry'] });
  try {
    const { artifacts } = tp.platform.ctx;
    const registry = new RegistryStore(tp.platform.ctx.db, artifacts);
    await registry.createModel({ id: 'm-val', createdBy: 'test' });
    // 3,000 rows: 1,350 train (45%), 450 validation (next 15%), 1,200 test (40%).
    const meta = await putSyntheticDataset(artifacts, 'ds-val', { n: 3000, seed: 3, task: 'binary' });
    const old = await putSyntheticDataset(artifacts, 'ds-old', { n: 3000, seed: 3, task: 'binary', validation: false });
    const parts = (m: typeof meta, split: string) => m.shards.filter((s) => s.split === split);
    assert.deepEqual([parts(meta, 'train'), parts(meta, 'validation'), parts(meta, 'heldout')].map((p) => p.reduce((a, s) => a + s.rows, 0)), [1350, 450, 1200]);
    const validation = await loadShard(artifacts, parts(meta, 'validation')[0]);
    // No test row can be read: their shards are gone.
    for (const m of [meta, old]) for (const s of parts(m, 'heldout')) await artifacts.remove(s.key);

    const target = await tp.target('operator');
    const client = clientOf('TrainingService', target);
    const start = async (version: string, dataset: string) => (await call<object, JobRes>(target, client, 'StartTrainingJob', {
      model: 'm-val', version_name: version, dataset_id: dataset, arch: 'two-tower-base', hyperparameters: SMALL, seed: 7,
    })).job.name;

    const job = await finished(target, await start('with-val', 'ds-val'));
    assert.equal(job.state, 'TRAINING_JOB_STATE_SUCCEEDED', job.error);
    assert.equal(job.metrics.train_rows, 1350);
    assert.equal(job.metrics.validation_rows, 450);
    assert.equal(job.progress!.validation_note, '');
    assert.ok(job.metrics.best_epoch >= 1 && job.metrics.best_epoch <= 3);
    // The registered model (the best epoch's) scores the validation rows to the job's val_auc (ONNX vs TF.js
    // scores agree to the parity tolerance, so the rank-based AUC agrees to far better than 0.005).
    const v = await registry.getVersion('m-val', 'with-val');
    const files: Record<string, Buffer> = {};
    for (const a of v.artifacts) if (a.name.endsWith('.onnx') || a.name === 'model.json') files[a.name] = await artifacts.get(a.key, a.sha256);
    const model = await OnnxModel.load(files);
    try {
      const auc = globalAuc(await model.scoreBatch(validation.batch), validation.facts.label);
      assert.ok(Math.abs(auc - job.metrics.val_auc) < 0.005, `ONNX AUC on the validation rows ${auc}, job val_auc ${job.metrics.val_auc}`);
    } finally {
      await model.release();
    }

    const noVal = await finished(target, await start('no-val', 'ds-old'));
    assert.equal(noVal.state, 'TRAINING_JOB_STATE_SUCCEEDED', noVal.error);
    assert.equal(noVal.metrics.val_auc, undefined);
    assert.equal(noVal.metrics.validation_rows, 0);
    assert.equal(noVal.metrics.train_rows, 1800);
    assert.match(noVal.progress!.validation_note, /has no validation part .*built before validation parts existed.*without validation metrics/);
    assert.ok(Number.isNaN(noVal.progress!.validation_metric));
  } finally {
    await tp.stop();
  }
});
