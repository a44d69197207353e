// Retention through real gRPC, Postgres and the S3 protocol (s3rver): deleting a version, a dataset and an
// evaluation removes their rows and their objects in the bucket, refuses (FAILED_PRECONDITION, naming the user)
// while anything still uses them, needs an admin token, is audited, and a dry run changes nothing; the garbage
// collection deletes exactly the unreferenced objects older than its grace period; a rollback skips a deleted
// earlier production.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { startTestPlatform, rpcError, call, clientOf, type TestPlatform } from '../helpers/platform';
import { upload, type Target } from '../../cli/client';
import { cliJson, runCli } from '../helpers/cli';
import { RegistryStore } from '../../registry/registry-store';

let tp: TestPlatform;
let admin: Target;
let op: Target;
const M = 'retention';

before(async () => {
  tp = await startTestPlatform({ services: ['feature', 'registry', 'rollout', 'evaluation'] });
  admin = await tp.target('admin');
  op = await tp.target('operator');
});
after(async () => { await tp?.stop(); });

const rpc = <Res = any>(t: Target, service: string, method: string, req: object) => call<object, Res>(t, clientOf(service as 'RegistryService', t), method, req);
const reg = <Res = any>(method: string, req: object, t: Target = admin) => rpc<Res>(t, 'RegistryService', method, req);
const keysUnder = async (prefix: string) => (await tp.platform.ctx.artifacts.listObjects(prefix)).map((o) => o.key);

/** A two-tower version with three small files, trained (as its record says) on `dataset`. */
async function register(name: string, dataset = 'ds-none'): Promise<number> {
  const files = { 'user_tower.onnx': `u-${name}`, 'item_tower.onnx': `i-${name}`, 'model.json': '{"arch":"two-tower-base"}' };
  const r = await upload<object, any>(op, clientOf('RegistryService', op), 'CreateModelVersion', [
    { header: { model: M, version_name: name, arch: 'two-tower-base', task: 'binary', label: 'wtg', dataset_id: dataset } },
    ...Object.entries(files).map(([file_name, data]) => ({ chunk: { file_name, data: Buffer.from(data) } }))]);
  return r.version.number;
}

/** A finished evaluation of `candidate` with kept scores in the bucket, as the evaluation service leaves one. */
async function evaluationWithScores(id: string, candidate: number, state = 'succeeded'): Promise<string[]> {
  const key = `evaluations/${id}/scores/viewed/0.csv`;
  const put = await tp.platform.ctx.artifacts.put(key, Buffer.from('u1,1,v1,0.5\n'), 'text/csv');
  await new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts).saveEvaluation({
    id, model: M, candidate, baseline: null, datasetId: 'ds-none', target: 'wtg', state, report: {}, createdBy: 'test',
    params: { exports: { viewed: { rows: 1, bytes: put.size, parts: [{ key, sha256: put.sha256, bytes: put.size }] } } },
  });
  return [key];
}

test('a version is deleted with its evaluations and objects only when no alias or active rollout uses it; a dry run changes nothing', async () => {
  await reg('CreateModel', { model_id: M });
  const v1 = await register('r1');
  const v2 = await register('r2');
  const v3 = await register('r3');
  await reg('PromoteModelVersion', { model: M, version: 'r1', force: true, reason: 'first' });
  await reg('SetAlias', { model: M, alias: 'baseline', version: 'r2' });
  await evaluationWithScores('ev-r3', v3);

  for (const [name, user] of [['r1', /alias "production"/], ['r2', /alias "baseline"/]] as const) {
    const e = await rpcError(reg('DeleteModelVersion', { model: M, version: name }));
    assert.equal(e.code, status.FAILED_PRECONDITION);
    assert.match(e.details, user);
  }
  // An arm of the active rollout is in use too, and free again once the rollout stops.
  await rpc(op, 'RolloutService', 'StartRollout', { model: M, arms: [{ version: 'r3', weight: 10 }], reason: 'test' });
  const inRollout = await rpcError(reg('DeleteModelVersion', { model: M, version: 'r3' }));
  assert.equal(inRollout.code, status.FAILED_PRECONDITION);
  assert.match(inRollout.details, /active rollout .* \(arm\)/);
  await rpc(op, 'RolloutService', 'StopRollout', { model: M, reason: 'done' });

  // An operator may not delete; the refusal comes before any lookup.
  assert.equal((await rpcError(reg('DeleteModelVersion', { model: M, version: 'r3' }, op))).code, status.PERMISSION_DENIED);

  const prefix = `models/${M}/versions/${v3}/`;
  const before = await keysUnder(prefix);
  assert.deepEqual(before.sort(), ['item_tower.onnx', 'manifest.json', 'model.json', 'user_tower.onnx'].map((f) => prefix + f));
  const env = await tp.env('admin');
  const dry = await cliJson(['versions', 'delete', M, 'r3', '--dry-run'], env);
  assert.equal(dry.dryRun, true);
  assert.deepEqual(dry.evaluationIds, ['ev-r3']);
  assert.deepEqual([...dry.objectKeys].sort(), [...before, 'evaluations/ev-r3/scores/viewed/0.csv'].sort());
  assert.deepEqual(await keysUnder(prefix), before, 'a dry run deletes no object');
  assert.equal((await reg('GetModelVersion', { model: M, version: 'r3' })).version.version_name, 'r3');

  const done = await cliJson(['versions', 'delete', M, 'r3', '--reason', 'superseded'], env);
  assert.equal(done.dryRun, false);
  assert.deepEqual(done.objectsLeft, []);
  assert.deepEqual(await keysUnder(prefix), []);
  assert.deepEqual(await keysUnder('evaluations/ev-r3/'), []);
  assert.equal((await rpcError(reg('GetModelVersion', { model: M, version: 'r3' }))).code, status.NOT_FOUND);
  assert.equal((await rpcError(rpc(admin, 'EvaluationService', 'GetEvaluation', { name: 'ev-r3' }))).code, status.NOT_FOUND);

  const audit = (await reg('ListAuditEvents', { model: M, actions: ['version-delete'] })).events;
  assert.deepEqual(audit.map((e: any) => [e.outcome, e.from_version]).reverse(),
    [['refused', v1], ['refused', v2], ['refused', v3], ['done', v3]]);
  assert.equal(audit[0].reason, 'superseded');
  // The number is never reused.
  assert.equal(await register('r4'), v3 + 1);
});

test('a rollback goes back past a deleted earlier production', async () => {
  // Production history r1 -> r2 -> r4; r1 is neither production nor previous, so it may go.
  await reg('PromoteModelVersion', { model: M, version: 'r2', force: true, reason: 'second' });
  await reg('SetAlias', { model: M, alias: 'baseline', version: 'r4' });
  await reg('PromoteModelVersion', { model: M, version: 'r4', force: true, reason: 'third' });
  await reg('DeleteModelVersion', { model: M, version: 'r1' });
  const back = await reg('RollbackModel', { model: M });
  assert.equal(back.version.version_name, 'r2');
  const aliases = (await reg('GetModel', { name: M })).model.aliases.map((a: any) => `${a.alias}=${a.version_name}`).sort();
  assert.deepEqual(aliases, ['baseline=r4', 'production=r2'], 'no previous: the one before r2 was deleted');
});

test('an evaluation is deleted with its kept scores once finished; a running one is refused', async () => {
  const v = (await reg('GetModelVersion', { model: M, version: 'r4' })).version.number;
  const keys = await evaluationWithScores('ev-done', v);
  await evaluationWithScores('ev-running', v, 'running');
  const running = await rpcError(rpc(admin, 'EvaluationService', 'DeleteEvaluation', { name: 'ev-running' }));
  assert.equal(running.code, status.FAILED_PRECONDITION);
  assert.match(running.details, /still running; cancel it first/);
  // A version an unfinished evaluation scores is in use as well.
  const busy = await rpcError(reg('DeleteModelVersion', { model: M, version: 'r4' }));
  assert.match(busy.details, /evaluation ev-running \(running\)/);

  const r = await runCli(['evaluations', 'delete', 'ev-done'], await tp.env('admin'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /deleted evaluation ev-done and 1 objects/);
  assert.deepEqual(await keysUnder('evaluations/ev-done/'), []);
  assert.ok(!(await tp.platform.ctx.artifacts.exists(keys[0])));
  const audit = (await reg('ListAuditEvents', { model: M, actions: ['evaluation-delete'] })).events;
  assert.deepEqual(audit.map((e: any) => [e.outcome, e.detail_json ? JSON.parse(e.detail_json).evaluation : undefined]),
    [['done', 'ev-done'], ['refused', 'ev-running']]);
});

test('a dataset is deleted with its objects once no version is trained on it; the refusal names the version', async () => {
  const feat = <Res = any>(method: string, req: object, t: Target = admin) => rpc<Res>(t, 'FeatureService', method, req);
  await feat('GenerateEvents', { users: 30, items: 30, days: 4, seed: 5, dim: 4, views_per_day: 5, source: 'syn' }, op);
  let d = (await feat('BuildDataset', { window: '2024-01-01..2024-01-04', label: 'wtg', buckets: 'equi-quantile:4', source: 'syn' }, op)).dataset;
  for (let i = 0; i < 300 && d.state === 'DATASET_STATE_BUILDING'; i++) {
    await new Promise((res) => setTimeout(res, 100));
    d = (await feat('GetDataset', { name: d.id })).dataset;
  }
  assert.equal(d.state, 'DATASET_STATE_READY', d.error);
  const prefix = `datasets/${d.id}/`;
  const objects = await keysUnder(prefix);
  assert.ok(objects.includes(`${prefix}meta.json`) && objects.length >= 2, objects.join(','));
  await register('on-ds', d.id);

  const used = await rpcError(feat('DeleteDataset', { name: d.id }));
  assert.equal(used.code, status.FAILED_PRECONDITION);
  assert.match(used.details, new RegExp(`dataset "${d.id}" is still used by version "on-ds" of model "${M}"`));
  await reg('DeleteModelVersion', { model: M, version: 'on-ds' });

  const env = await tp.env('admin');
  const dry = await cliJson(['data', 'delete', d.id, '--dry-run'], env);
  assert.deepEqual([...dry.objectKeys].sort(), objects.sort());
  assert.equal((await feat('GetDataset', { name: d.id })).dataset.id, d.id);
  const done = await cliJson(['data', 'delete', d.id], env);
  assert.equal(done.objectKeys.length, objects.length);
  assert.deepEqual(await keysUnder(prefix), []);
  assert.equal((await rpcError(feat('GetDataset', { name: d.id }))).code, status.NOT_FOUND);
  // Platform-wide events (a dataset belongs to no model) are listed under the empty model id.
  const events = (await reg('ListAuditEvents', { model: '', actions: ['dataset-delete'] })).events;
  assert.deepEqual(events.map((e: any) => [e.outcome, JSON.parse(e.detail_json).dataset]), [['done', d.id], ['refused', d.id]]);
});

test('gc deletes exactly the unreferenced objects older than the grace period, under the platform\'s prefixes only', async () => {
  const art = tp.platform.ctx.artifacts;
  const live = (await keysUnder(`models/${M}/versions/`))[0];
  assert.ok(live, 'a registered version has objects');
  const orphans = ['datasets/ds-ghost/shards/0.bin', `models/${M}/versions/999/user_tower.onnx`, 'evaluations/ev-ghost/scores/viewed/0.csv'];
  const foreign = 'backups/not-ours.bin';
  // A registration still uploading: its keys are reserved (longer ago than the grace below), its row not yet written.
  const inFlight = `models/${M}/versions/998/user_tower.onnx`;
  await tp.platform.ctx.db.pool.query(`INSERT INTO artifact_reservations (key, owner, state, reserve_time)
    VALUES ($1, $2, 'reserved', now() - interval '10 seconds')`, [inFlight, `models/${M}/versions/998`]);
  for (const k of [...orphans, foreign, inFlight]) await art.put(k, Buffer.from(`x-${k}`));
  const env = await tp.env('admin');

  // Everything is younger than the default hour: nothing is garbage yet.
  const fresh = await cliJson(['gc', '--dry-run'], env);
  assert.equal(fresh.count, 0);
  assert.ok(fresh.young >= orphans.length);
  await new Promise((res) => setTimeout(res, 2100));

  const dry = await cliJson(['gc', '--grace', '1s', '--dry-run'], env);
  assert.deepEqual(dry.objects.map((o: any) => o.key).sort(), [...orphans].sort());
  assert.deepEqual(dry.objects.map((o: any) => o.kind).sort(), ['dataset', 'evaluation', 'version']);
  for (const k of orphans) assert.ok(await art.exists(k), `${k} survives a dry run`);

  assert.equal((await rpcError(reg('CollectGarbage', { grace_seconds: 1 }, op))).code, status.PERMISSION_DENIED);
  const r = await runCli(['gc', '--grace', '1s'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /deleted 3 unreferenced objects/);
  for (const k of orphans) assert.ok(!(await art.exists(k)), `${k} deleted`);
  assert.ok(await art.exists(live), 'a referenced object stays');
  assert.ok(await art.exists(foreign), 'a key outside the platform\'s prefixes is never touched');
  assert.ok(await art.exists(inFlight), 'a registration in flight keeps its objects, however short the grace');
  const events = (await reg('ListAuditEvents', { model: '', actions: ['gc'] })).events;
  assert.equal(JSON.parse(events[0].detail_json).objects, 3);
  const bad = await runCli(['gc', '--grace', 'soon'], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--grace: duration "soon"/);
});
