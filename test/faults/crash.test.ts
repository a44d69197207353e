// A server SIGKILLed in the middle of a training job and of a dataset build (both at once, in one child
// `modelops serve` on the test's database and S3): when a server starts again on the same stores, the job is
// failed, the half-built dataset is failed, and the bucket holds none of its objects (nor any other object
// that no dataset or version owns).
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { call, clientOf, type TestPlatform } from '../helpers/platform';
import { BIN } from '../helpers/cli';
import { EmbeddedS3, freePort } from '../../services/common/embedded';
import { startPlatform } from '../../services/serve';
import { RegistryStore } from '../../registry/registry-store';
import { putSyntheticDataset } from '../training/synthetic-dataset';
import { FAULT_SUITE, LogWatch, startWatchedPlatform } from './harness';
import { untilOk } from './serving-fixture';
import pino from 'pino';

const watch = new LogWatch();
let tp: TestPlatform;
let child: ChildProcess | undefined;

before(async () => {
  if (!FAULT_SUITE) return;
  tp = await startWatchedPlatform(watch, { config: { services: ['registry'] } });
});
after(async () => {
  child?.kill('SIGKILL');
  await tp?.stop();
});

/** Starts `modelops serve` on the test platform's database and S3 and resolves with its address. */
async function serveChild(services: string): Promise<string> {
  const addr = `127.0.0.1:${await freePort()}`;
  const env = { ...process.env, DATABASE_URL: tp.databaseUrl, S3_ENDPOINT: tp.s3Endpoint, S3_ACCESS_KEY: EmbeddedS3.ACCESS_KEY,
    S3_SECRET_KEY: EmbeddedS3.SECRET_KEY, S3_BUCKET: 'modelops', MODELOPS_LOG_LEVEL: 'silent', MODELOPS_CONSOLE_ADDR: 'off' };
  const c = spawn(process.execPath, [BIN, 'serve', '--services', services, '--addr', addr, '--metrics-addr', 'off', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child = c;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    c.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('{"ready"')) resolve(); });
    c.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  return addr;
}

/** The object keys under `prefix` in the test's S3 folder (s3rver keeps one folder per object). */
async function objects(prefix: string): Promise<string[]> {
  return tp.platform.ctx.artifacts.list(prefix);
}

test('SIGKILL mid-training and mid-dataset-build: after a restart the job and the dataset are failed and no object is left', { skip: !FAULT_SUITE, timeout: 240_000 }, async () => {
  const registry = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
  await registry.createModel({ id: 'crash-m', createdBy: 'test' });
  await putSyntheticDataset(tp.platform.ctx.artifacts, 'ds-crash-train', { n: 3000, seed: 5, task: 'binary' });
  const addr = await serveChild('feature,training,registry');
  const target = { addr, token: tp.adminToken };
  const training = clientOf('TrainingService', target);
  const feature = clientOf('FeatureService', target);
  // Enough views that the build writes shards for a few seconds.
  await call(target, feature, 'GenerateEvents', { users: 2000, items: 300, days: 8, seed: 3, dim: 4, views_per_day: 5, source: 'crash' });
  const { job } = await call<object, { job: { id: string } }>(target, training, 'StartTrainingJob', {
    model: 'crash-m', version_name: 'doomed', dataset_id: 'ds-crash-train', arch: 'two-tower-base',
    hyperparameters: { epochs: 1000, patience: 0, batch_size: 256, learning_rate: 0.003, hidden: [16], vector_dim: 8, workers: 1 },
  });
  await untilOk(async () => {
    const j = await call<object, { job: { state: string } }>(target, training, 'GetTrainingJob', { name: job.id });
    if (j.job.state !== 'TRAINING_JOB_STATE_RUNNING') throw new Error(j.job.state);
  }, 60_000, 'the training job running');
  const { dataset } = await call<object, { dataset: { id: string } }>(target, feature, 'BuildDataset', { window: 'last-8d', train_frac: 0.6, source: 'crash' });
  const prefix = `datasets/${dataset.id}/`;
  await untilOk(async () => {
    if ((await objects(prefix)).length < 1) {
      const r = await tp.platform.ctx.db.pool.query<{ state: string; progress: object; error: string }>('SELECT state, progress, error FROM datasets WHERE id = $1', [dataset.id]);
      throw new Error(`no object yet; the dataset: ${JSON.stringify(r.rows[0])}`);
    }
  }, 120_000, 'the dataset build writing its first objects');
  const ds = await tp.platform.ctx.db.pool.query<{ state: string }>('SELECT state FROM datasets WHERE id = $1', [dataset.id]);
  assert.equal(ds.rows[0].state, 'building', 'the build ended before the kill; make the events bigger');
  const halfObjects = (await objects(prefix)).length;
  child!.kill('SIGKILL');
  await new Promise((r) => child!.once('exit', r));
  child = undefined;

  const t0 = Date.now();
  const again = await startPlatform({ ...tp.platform.ctx.config, services: ['feature', 'training', 'registry'], addr: '127.0.0.1:0', metricsAddr: '' },
    pino({ level: 'silent' }));
  try {
    const t2 = { addr: again.server.addr, token: tp.adminToken };
    const recovered = await untilOk(async () => {
      const j = await call<object, { job: { state: string; error: string } }>(t2, clientOf('TrainingService', t2), 'GetTrainingJob', { name: job.id });
      const d = await call<object, { dataset: { state: string; error: string } }>(t2, clientOf('FeatureService', t2), 'GetDataset', { name: dataset.id });
      if (j.job.state !== 'TRAINING_JOB_STATE_FAILED') throw new Error(`job ${j.job.state}`);
      if (d.dataset.state !== 'DATASET_STATE_FAILED') throw new Error(`dataset ${d.dataset.state}`);
      const left = await objects(prefix);
      if (left.length) throw new Error(`${left.length} objects of the half dataset left`);
    }, 20_000, 'the restart failing the job and the dataset and removing its objects');
    // Nothing else was left behind: the bucket holds the event log, the training dataset and nothing of the killed
    // job's model.
    assert.deepEqual(await objects('models/crash-m/'), []);
    const owned = (k: string) => k.startsWith('datasets/ds-crash-train/') || k.startsWith('events/views/source=crash/') || k.startsWith('events/items/source=crash/');
    const all = await objects('');
    assert.ok(all.every(owned), `objects nobody owns: ${all.filter((k) => !owned(k)).join(', ')}`);
    console.log(`crash: killed with ${halfObjects} objects of the dataset written; from the restart to job failed, dataset failed, objects removed: ${Date.now() - t0} ms (${recovered} ms after the server was up)`);
  } finally {
    await again.stop(2000);
  }
  assert.deepEqual(watch.leaks, []);
});
