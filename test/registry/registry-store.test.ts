// The registry store against a real Postgres (a fresh database) and a real S3 server (s3rver).
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client as Minio } from 'minio';
import pino from 'pino';
import { createTestDatabase } from '../helpers/platform';
import { EmbeddedS3 } from '../../services/common/embedded';
import { DomainError } from '../../core/errors';
import { openDatabase, type Database } from '../../registry/data-source';
import { S3ArtifactStore, sha256Hex, type ArtifactStore } from '../../registry/artifact-store';
import { RegistryStore } from '../../registry/registry-store';
import type { RegisterVersionInput } from '../../registry/version-store';
import type { ChangeEvent } from '../../registry/alias-store';
import { listenChanges } from '../../registry/change-listener';

let db: Database;
let dropDb: () => Promise<void>;
let s3: EmbeddedS3;
let s3Dir: string;
let artifacts: S3ArtifactStore;
let store: RegistryStore;
let s3Cfg: { endpoint: string; accessKey: string; secretKey: string; bucket: string; region: string };

before(async () => {
  const t = await createTestDatabase('mo_reg');
  dropDb = t.drop;
  db = await openDatabase(t.url, { poolSize: 25 });
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-reg-s3-'));
  s3 = new EmbeddedS3(s3Dir, pino({ level: 'silent' }));
  const endpoint = await s3.start('modelops');
  s3Cfg = { endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' };
  artifacts = new S3ArtifactStore(s3Cfg);
  store = new RegistryStore(db, artifacts);
  await store.createModel({ id: 'feed-ranker-hi', description: 'Hindi feed', createdBy: 'test' });
});

after(async () => {
  await db?.close();
  await s3?.stop();
  await dropDb?.();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

function input(name: string, extra: Partial<RegisterVersionInput> = {}): RegisterVersionInput {
  return {
    model: 'feed-ranker-hi', name, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: 'equi-quantile:10',
    datasetId: 'ds-1', hyperparameters: { lr: 0.001 }, trainingMetrics: { auc: 0.71 }, parity: { maxAbsDiff: 1e-6 },
    backend: 'wasm', dataWindow: '2022-04-25..2022-05-01', createdBy: 'tester',
    files: [{ name: 'user_tower.onnx', data: Buffer.from('user tower bytes') }, { name: 'tfjs/model.json', data: Buffer.from('{"a":1}') }],
    ...extra,
  };
}

test('registerVersion stores every file and a manifest with sha256 per file; loads verify', async () => {
  const v = await store.registerVersion(input('prod-p90'));
  assert.equal(v.number, 1);
  assert.deepEqual(v.artifacts.map((a) => a.name), ['user_tower.onnx', 'tfjs/model.json', 'manifest.json']);
  assert.equal(v.artifacts[0].key, 'models/feed-ranker-hi/versions/1/user_tower.onnx');
  assert.deepEqual(v.hyperparameters, { lr: 0.001 });
  assert.equal((await store.loadArtifact(v, 'user_tower.onnx')).toString(), 'user tower bytes');
  const manifest = JSON.parse((await store.loadArtifact(v, 'manifest.json')).toString());
  assert.equal(manifest.files[0].sha256, sha256Hex(Buffer.from('user tower bytes')));
  assert.equal(manifest.files[1].name, 'tfjs/model.json');
  const again = await store.getVersion('feed-ranker-hi', 'prod-p90');
  assert.equal(again.number, 1);
  assert.equal((await store.getVersion('feed-ranker-hi', 1)).name, 'prod-p90');
  // A second version with the same name is ALREADY_EXISTS, and takes no row.
  await assert.rejects(store.registerVersion(input('prod-p90')), (e: DomainError) => e.code === 'ALREADY_EXISTS');
});

test('names and tags with quotes, ";", "../" and unicode are stored verbatim and keys use the number', async () => {
  const name = `it's "x"; DROP TABLE models; --/../../etc/पासवर्ड 🎉`;
  const tags = { "owner's;": '../../x', 'ключ': 'значение "q"' };
  const v = await store.registerVersion(input(name, { tags }));
  assert.equal(v.name, name);
  assert.deepEqual(v.tags, tags);
  for (const a of v.artifacts) assert.ok(a.key.startsWith(`models/feed-ranker-hi/versions/${v.number}/`), a.key);
  const back = await store.getVersion('feed-ranker-hi', name);
  assert.equal(back.name, name);
  assert.deepEqual(back.tags, tags);
  assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM models')).rows[0].n, 1);
  // A file name that escapes the prefix is refused before anything is reserved.
  await assert.rejects(store.registerVersion(input('escape', { files: [{ name: '../../x.onnx', data: Buffer.from('x') }] })),
    (e: DomainError) => e.code === 'INVALID_ARGUMENT');
});

test('an S3 failure during registration leaves no version row and no object', async () => {
  // The real store, failing on its second put (after one object is uploaded).
  let puts = 0;
  const flaky: ArtifactStore = Object.create(artifacts) as ArtifactStore;
  flaky.put = async (key, data, ct) => {
    if (++puts === 2) throw new Error('connect ECONNRESET (injected)');
    return artifacts.put(key, data, ct);
  };
  const s = new RegistryStore(db, flaky);
  const before = (await db.pool.query('SELECT count(*)::int AS n FROM model_versions')).rows[0].n;
  await assert.rejects(s.registerVersion(input('flaky')), (e: DomainError) => e.code === 'UNAVAILABLE' && !/orphan/.test(e.message));
  assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM model_versions')).rows[0].n, before);
  assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM model_versions WHERE name = 'flaky'`)).rows[0].n, 0);
  const n = (await db.pool.query(`SELECT next_version - 1 AS n FROM models WHERE id = 'feed-ranker-hi'`)).rows[0].n;
  assert.deepEqual(await artifacts.list(`models/feed-ranker-hi/versions/${n}/`), []);
  assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM artifact_reservations WHERE state = 'reserved'`)).rows[0].n, 0);

  // An S3 server that is down: the same, and the number is not reused by the next registration.
  const dead = new RegistryStore(db, new S3ArtifactStore({ ...s3Cfg, endpoint: 'http://127.0.0.1:1' }));
  await assert.rejects(dead.registerVersion(input('s3-down')), (e: DomainError) => e.code === 'UNAVAILABLE');
  assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM model_versions WHERE name = 's3-down'`)).rows[0].n, 0);
  const next = await store.registerVersion(input('after-failures'));
  assert.ok(next.number > n + 1);
});

test('a corrupted artifact is refused on load with DATA_LOSS', async () => {
  const v = await store.registerVersion(input('to-corrupt'));
  const key = v.artifacts.find((a) => a.name === 'user_tower.onnx')!.key;
  // Overwrite the object behind the registry's back, straight through the S3 protocol.
  const url = new URL(s3Cfg.endpoint);
  const raw = new Minio({ endPoint: url.hostname, port: Number(url.port), useSSL: false, accessKey: s3Cfg.accessKey, secretKey: s3Cfg.secretKey, pathStyle: true });
  await raw.putObject('modelops', key, Buffer.from('tampered bytes'));
  await assert.rejects(store.loadArtifact(v, 'user_tower.onnx'), (e: DomainError) => e.code === 'DATA_LOSS' && /corrupted/.test(e.message));
});

test('Postgres enforces: stored keys immutable, one production per model, append-only audit', async () => {
  const v = await store.getVersion('feed-ranker-hi', 'prod-p90');
  const key = v.artifacts[0].key;
  await assert.rejects(db.pool.query(`UPDATE artifact_reservations SET sha256 = 'x' WHERE key = $1`, [key]), /immutable/);
  await assert.rejects(db.pool.query('DELETE FROM artifact_reservations WHERE key = $1', [key]), /immutable/);
  await assert.rejects(db.pool.query(`INSERT INTO artifact_reservations (key, owner, state) VALUES ($1, 'x', 'reserved')`, [key]), /duplicate key/);
  await db.pool.query(`INSERT INTO model_aliases (model, alias, number, updated_by) VALUES ('feed-ranker-hi', 'production', 1, 't')`);
  await assert.rejects(db.pool.query(`INSERT INTO model_aliases (model, alias, number, updated_by) VALUES ('feed-ranker-hi', 'production', 2, 't')`), /duplicate key/);
  await db.pool.query(`DELETE FROM model_aliases WHERE alias = 'production'`);
  await assert.rejects(db.pool.query(`UPDATE audit_events SET actor = 'x'`), /append-only/);
  await assert.rejects(db.pool.query('DELETE FROM audit_events'), /append-only/);
});

test('evaluations: save, update, latest completed against a baseline', async () => {
  const base = { model: 'feed-ranker-hi', candidate: 2, baseline: 1, datasetId: 'ds-1', target: 'wtg', createdBy: 't' };
  await store.saveEvaluation({ ...base, id: 'ev-1', state: 'running', report: null });
  assert.equal(await store.latestCompletedEvaluation('feed-ranker-hi', 2, 1), undefined);
  await store.saveEvaluation({ ...base, id: 'ev-1', state: 'succeeded', report: { overall: { map: 0.3 } }, progress: 1 });
  await store.saveEvaluation({ ...base, id: 'ev-2', baseline: 3, state: 'succeeded', report: { overall: { map: 0.1 } } });
  const got = await store.latestCompletedEvaluation('feed-ranker-hi', 2, 1);
  assert.equal(got?.id, 'ev-1');
  assert.deepEqual(got?.report, { overall: { map: 0.3 } });
  assert.equal((await store.getEvaluation('ev-1')).state, 'succeeded');
  assert.equal((await store.listEvaluations('feed-ranker-hi', { candidate: 2 }, { limit: 10 })).length, 2);
  await assert.rejects(store.getEvaluation('nope'), (e: DomainError) => e.code === 'NOT_FOUND');
});

test('model lock, aliases and NOTIFY: a listener hears an alias change at commit', async () => {
  const heard: ChangeEvent[] = [];
  const l = listenChanges(db.url, (e) => heard.push(e));
  await l.ready;
  try {
    await store.withModelLock('feed-ranker-hi', async (t) => {
      await t.setAlias('baseline', 1, 'tester');
      await t.audit({ action: 'alias-set', actor: 'tester', alias: 'baseline', toVersion: 1 });
      await t.notify('alias');
    });
    for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(heard, [{ model: 'feed-ranker-hi', kind: 'alias' }]);
    assert.equal((await store.resolveAlias('feed-ranker-hi', 'baseline'))?.name, 'prod-p90');
    assert.deepEqual((await store.getVersion('feed-ranker-hi', 1)).aliases, ['baseline']);
    const audit = await store.listAudit('feed-ranker-hi', { limit: 5 });
    assert.equal(audit[0].action, 'alias-set');
    await assert.rejects(store.withModelLock('nope', async () => undefined), (e: DomainError) => e.code === 'NOT_FOUND');
  } finally {
    await l.close();
  }
});

test('orphans of a crashed registration are reported and cleaned up; stored keys are never touched', async () => {
  // A registration that died after reserving its keys and uploading one object.
  const key = 'models/feed-ranker-hi/versions/999/user_tower.onnx';
  await db.pool.query(`INSERT INTO artifact_reservations (key, owner, state, reserve_time) VALUES ($1, 'models/feed-ranker-hi/versions/999', 'reserved', now() - interval '2 hours')`, [key]);
  await artifacts.put(key, Buffer.from('half'));
  assert.deepEqual((await store.orphans()).map((o) => o.key), [key]);
  assert.deepEqual(await store.orphans(3 * 60 * 60 * 1000), []);
  const stored = (await db.pool.query(`SELECT count(*)::int AS n FROM artifact_reservations WHERE state = 'stored'`)).rows[0].n;
  assert.deepEqual(await store.cleanupOrphans(), [key]);
  assert.equal(await artifacts.exists(key), false);
  assert.deepEqual(await store.orphans(), []);
  assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM artifact_reservations WHERE state = 'stored'`)).rows[0].n, stored);
});

test('the change listener reconnects after its connection is killed and says so with model "*"', async () => {
  const heard: ChangeEvent[] = [];
  const l = listenChanges(db.url, (e) => heard.push(e), { retryMs: 20 });
  await l.ready;
  try {
    await db.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN modelops_changes%' AND datname = current_database()`);
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 250 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(pred(), JSON.stringify(heard));
    };
    await until(() => heard.some((e) => e.model === '*'));
    await db.pool.query(`SELECT pg_notify('modelops_changes', '{"model":"feed-ranker-hi","kind":"rollout"}')`);
    await until(() => heard.some((e) => e.kind === 'rollout'));
  } finally {
    await l.close();
  }
});

test('evaluation pages do not skip rows created within one millisecond (keys carry ms, Postgres keeps µs)', async () => {
  const base = { model: 'feed-ranker-hi', candidate: 7, baseline: 1, datasetId: 'ds-1', target: 'wtg', createdBy: 't', state: 'succeeded', report: null };
  for (const id of ['ev-ms-a', 'ev-ms-b', 'ev-ms-c']) await store.saveEvaluation({ ...base, id });
  // Three rows in one millisecond; newest first they are a (.123456), c (.123300), b (.123100).
  await db.pool.query(`UPDATE evaluations SET create_time = '2026-01-01T00:00:00.123456Z' WHERE id = 'ev-ms-a'`);
  await db.pool.query(`UPDATE evaluations SET create_time = '2026-01-01T00:00:00.123100Z' WHERE id = 'ev-ms-b'`);
  await db.pool.query(`UPDATE evaluations SET create_time = '2026-01-01T00:00:00.123300Z' WHERE id = 'ev-ms-c'`);
  const seen: string[] = [];
  let after: [string, string] | undefined;
  for (let i = 0; i < 5; i++) {
    const page = await store.listEvaluations('feed-ranker-hi', { candidate: 7 }, { after, limit: 1 });
    if (page.length === 0) break;
    seen.push(page[0].id);
    // What the RPC puts in its page token: the row's create time (a JS Date: ms) and id.
    after = [page[0].createTime!.toISOString(), page[0].id];
  }
  assert.deepEqual(seen, ['ev-ms-a', 'ev-ms-c', 'ev-ms-b']);
});
