// TrainingService end to end through real gRPC, Postgres and S3: a job trains, exports, passes parity and
// registers its version; a running job cancels within seconds; a job whose server is killed is marked failed
// when a training service starts again on the same database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import pino from 'pino';
import { startTestPlatform, clientOf, call, rpcError, grpc } from '../helpers/platform';
import { BIN } from '../helpers/cli';
import { freePort } from '../../services/common/embedded';
import { startPlatform } from '../../services/serve';
import { RegistryStore } from '../../registry/registry-store';
import { EmbeddedS3 } from '../../services/common/embedded';
import { putSyntheticDataset } from './synthetic-dataset';
import type { Target } from '../../cli/client';
import type { TrainingJob__Output } from '../../proto/gen/modelops/v1/TrainingJob';

process.env.MODELOPS_TRAINING_POLL_MS = '500';

type JobRes = { job: TrainingJob__Output };
const SMALL = { epochs: 3, batch_size: 256, learning_rate: 0.003, hidden: [32, 16], vector_dim: 16, workers: 2 };

async function waitFor(target: Target, id: string, pred: (j: TrainingJob__Output) => boolean, timeoutMs = 120_000): Promise<TrainingJob__Output> {
  const client = clientOf('TrainingService', target);
  const t0 = Date.now();
  for (;;) {
    const { job } = await call<object, JobRes>(target, client, 'GetTrainingJob', { name: id });
    if (pred(job)) return job;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} did not reach the expected state: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a training job trains, passes ONNX parity and registers its version; watch streams progress', async () => {
  const tp = await startTestPlatform({ services: ['training', 'registry'] });
  try {
    const registry = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
    await registry.createModel({ id: 'feed-ranker-hi', createdBy: 'test' });
    await putSyntheticDataset(tp.platform.ctx.artifacts, 'ds-syn-bin', { n: 3000, seed: 3, task: 'binary' });
    const target = await tp.target('operator');
    const client = clientOf('TrainingService', target);

    const bad = await rpcError(call(target, client, 'StartTrainingJob', { model: 'feed-ranker-hi', version_name: 'x1', dataset_id: 'ds-syn-bin', arch: 'three-tower' }));
    assert.equal(bad.code, grpc.status.INVALID_ARGUMENT);
    const noModel = await rpcError(call(target, client, 'StartTrainingJob', { model: 'nope', version_name: 'x1', dataset_id: 'ds-syn-bin', arch: 'two-tower-base' }));
    assert.equal(noModel.code, grpc.status.NOT_FOUND);
    const noData = await rpcError(call(target, client, 'StartTrainingJob', { model: 'feed-ranker-hi', version_name: 'x1', dataset_id: 'ds-missing', arch: 'two-tower-base' }));
    assert.equal(noData.code, grpc.status.NOT_FOUND);
    const wrongTask = await rpcError(call(target, client, 'StartTrainingJob', { model: 'feed-ranker-hi', version_name: 'x1', dataset_id: 'ds-syn-bin', arch: 'two-tower-base', task: 'regression' }));
    assert.equal(wrongTask.code, grpc.status.INVALID_ARGUMENT);
    const reader = await rpcError(call(await tp.target('reader'), clientOf('TrainingService', await tp.target('reader')), 'StartTrainingJob', { model: 'feed-ranker-hi' }));
    assert.equal(reader.code, grpc.status.PERMISSION_DENIED);

    const tooMany = await rpcError(call(target, client, 'StartTrainingJob', { model: 'feed-ranker-hi', version_name: 'x1', dataset_id: 'ds-syn-bin', arch: 'two-tower-base',
      hyperparameters: { ...SMALL, negatives: 101 } }));
    assert.equal(tooMany.code, grpc.status.INVALID_ARGUMENT);
    assert.match(tooMany.details, /hyperparameters\.negatives: 101/);

    // With sampled negatives (1 per row): the option reaches the trainer and is recorded on the job and the version.
    const { job } = await call<object, JobRes>(target, client, 'StartTrainingJob', {
      model: 'feed-ranker-hi', version_name: 'prod-wtg-2', dataset_id: 'datasets/ds-syn-bin', arch: 'modified-two-tower', hyperparameters: { ...SMALL, negatives: 1 }, seed: 7,
    });
    assert.equal(job.hyperparameters?.negatives, 1);
    assert.ok(['TRAINING_JOB_STATE_QUEUED', 'TRAINING_JOB_STATE_RUNNING'].includes(job.state));
    assert.equal(job.task, 'binary'); // from the dataset
    const dup = await rpcError(call(target, client, 'StartTrainingJob', { model: 'feed-ranker-hi', version_name: 'prod-wtg-2', dataset_id: 'ds-syn-bin', arch: 'two-tower-base' }));
    assert.equal(dup.code, grpc.status.ALREADY_EXISTS);

    // Watch until the end: progress messages carry epoch, loss, examples/s.
    const updates: TrainingJob__Output[] = [];
    await new Promise<void>((resolve, reject) => {
      const meta = new grpc.Metadata();
      meta.set('authorization', `Bearer ${target.token}`);
      const stream = (client as any).WatchTrainingJob({ name: job.name }, meta);
      stream.on('data', (m: JobRes) => updates.push(m.job));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    const last = updates[updates.length - 1];
    assert.equal(last.state, 'TRAINING_JOB_STATE_SUCCEEDED', last.error);
    assert.ok(updates.some((u) => u.progress && u.progress.epoch >= 1 && u.progress.loss > 0 && u.progress.examples_per_second > 0), 'a training progress update');
    assert.ok(last.version_number >= 1);
    assert.ok(['onnxruntime', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'].includes(last.backend));
    assert.ok(last.metrics.val_auc > 0.55, `held-out AUC ${last.metrics.val_auc}`);

    const v = await registry.getVersion('feed-ranker-hi', 'prod-wtg-2');
    assert.equal(v.arch, 'modified-two-tower');
    assert.equal((v.hyperparameters as { negatives?: number }).negatives, 1);
    assert.equal(v.backend, last.backend);
    assert.equal(v.dataWindow, '2024-01-01..2024-01-05');
    assert.equal((v.parity as { passed: boolean }).passed, true);
    assert.ok(((v.parity as { rows: number }).rows) >= 1000);
    const names = v.artifacts.map((a) => a.name).sort();
    for (const f of ['head.onnx', 'item_tower.onnx', 'item_vectors.bin', 'model.json', 'tfjs/weights.bin', 'user_tower.onnx']) assert.ok(names.includes(f), f);

    const list = await call<object, { jobs: TrainingJob__Output[] }>(target, client, 'ListTrainingJobs', { model: 'feed-ranker-hi' });
    assert.deepEqual(list.jobs.map((j) => j.id), [job.id]);
  } finally {
    await tp.stop();
  }
});

test('jobs beyond the concurrency bound queue; cancelling a running job stops it within seconds', async () => {
  const tp = await startTestPlatform({ services: ['training', 'registry'] });
  try {
    const registry = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
    await registry.createModel({ id: 'm1', createdBy: 'test' });
    await putSyntheticDataset(tp.platform.ctx.artifacts, 'ds-c', { n: 3000, seed: 4, task: 'binary' });
    const target = await tp.target('operator');
    const client = clientOf('TrainingService', target);
    const { job } = await call<object, JobRes>(target, client, 'StartTrainingJob', {
      model: 'm1', version_name: 'long', dataset_id: 'ds-c', arch: 'two-tower-base', hyperparameters: { ...SMALL, epochs: 1000, patience: 0 },
    });
    const running = await waitFor(target, job.id, (j) => j.progress?.phase === 'training' && j.progress.step > 0);
    assert.ok(['onnxruntime', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'].includes(running.backend), `backend while training: "${running.backend}"`);
    // One job at a time (MODELOPS_TRAINING_CONCURRENCY defaults to 1): a second one waits, and cancels at once.
    const second = await call<object, JobRes>(target, client, 'StartTrainingJob', { model: 'm1', version_name: 'next', dataset_id: 'ds-c', arch: 'two-tower-base', hyperparameters: SMALL });
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal((await call<object, JobRes>(target, client, 'GetTrainingJob', { name: second.job.id })).job.state, 'TRAINING_JOB_STATE_QUEUED');
    assert.equal((await call<object, JobRes>(target, client, 'CancelTrainingJob', { name: second.job.id })).job.state, 'TRAINING_JOB_STATE_CANCELLED');
    const t0 = Date.now();
    const res = await call<object, JobRes>(target, client, 'CancelTrainingJob', { name: job.id });
    const done = res.job.state === 'TRAINING_JOB_STATE_CANCELLED' ? res.job : await waitFor(target, job.id, (j) => j.state !== 'TRAINING_JOB_STATE_RUNNING', 10_000);
    assert.equal(done.state, 'TRAINING_JOB_STATE_CANCELLED');
    assert.ok(Date.now() - t0 < 5000, `cancelled after ${Date.now() - t0} ms`);
    const again = await rpcError(call(target, client, 'CancelTrainingJob', { name: job.id }));
    assert.equal(again.code, grpc.status.FAILED_PRECONDITION);
    await assert.rejects(registry.getVersion('m1', 'long'));
  } finally {
    await tp.stop();
  }
});

test('a job whose server is killed is marked failed when a training service starts again', async () => {
  const tp = await startTestPlatform({ services: ['registry'] });
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const registry = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
    await registry.createModel({ id: 'm2', createdBy: 'test' });
    await putSyntheticDataset(tp.platform.ctx.artifacts, 'ds-k', { n: 3000, seed: 5, task: 'binary' });
    const addr = `127.0.0.1:${await freePort()}`;
    const env = { ...process.env, DATABASE_URL: tp.databaseUrl, S3_ENDPOINT: tp.s3Endpoint, S3_ACCESS_KEY: EmbeddedS3.ACCESS_KEY,
      S3_SECRET_KEY: EmbeddedS3.SECRET_KEY, S3_BUCKET: 'modelops', MODELOPS_LOG_LEVEL: 'silent' };
    child = spawn(process.execPath, [BIN, 'serve', '--services', 'training', '--addr', addr, '--metrics-addr', 'off', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('{"ready"')) resolve(); });
      child!.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const target = { addr, token: tp.adminToken };
    const client = clientOf('TrainingService', target);
    const { job } = await call<object, JobRes>(target, client, 'StartTrainingJob', {
      model: 'm2', version_name: 'doomed', dataset_id: 'ds-k', arch: 'two-tower-base', hyperparameters: { ...SMALL, epochs: 1000, patience: 0 },
    });
    await waitFor(target, job.id, (j) => j.state === 'TRAINING_JOB_STATE_RUNNING');
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;

    // A training service starting on the same database finds the job's lock free and fails the job.
    const again = await startPlatform({ ...tp.platform.ctx.config, services: ['training'], addr: '127.0.0.1:0', metricsAddr: '' }, pino({ level: 'silent' }));
    try {
      const t2 = { addr: again.server.addr, token: tp.adminToken };
      const failed = await waitFor(t2, job.id, (j) => j.state !== 'TRAINING_JOB_STATE_RUNNING', 10_000);
      assert.equal(failed.state, 'TRAINING_JOB_STATE_FAILED');
      assert.match(failed.error, /stopped before it finished/);
    } finally {
      await again.stop(1000);
    }
  } finally {
    child?.kill('SIGKILL');
    await tp.stop();
  }
});
