// The registry through real gRPC, Postgres and the S3 protocol: register, promote through the gate, roll back, audit.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { status } from '@grpc/grpc-js';
import { Client as Minio } from 'minio';
import { startTestPlatform, rpcError, call, clientOf, type TestPlatform } from '../helpers/platform';
import { upload } from '../../cli/client';
import { authMetadata, type Target } from '../../cli/client';
import { RegistryStore } from '../../registry/registry-store';
import type { ChangeEvent } from '../../registry/alias-store';
import { listenChanges } from '../../registry/change-listener';
import { tinyOnnx } from './tiny-onnx';
import { evaluationReport } from '../../ml/metrics/report-fixtures';

let tp: TestPlatform;
let op: Target;
let store: RegistryStore;
const M = 'feed-ranker-hi';

before(async () => {
  tp = await startTestPlatform({ services: ['registry'] });
  op = await tp.target('operator');
  // The evaluation service writes evaluations through the registry store; the tests do the same.
  store = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
});
after(async () => { await tp?.stop(); });

const reg = (t: Target = op) => clientOf('RegistryService', t);
const rpc = <Res = any>(method: string, req: object, t: Target = op) => call<object, Res>(t, reg(t), method, req);

function register(model: string, name: string, files: Record<string, Buffer | string>, extra: object = {}, t: Target = op) {
  const msgs = [{ header: { model, version_name: name, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: 'equi-quantile:10',
    dataset_id: 'ds-1', hyperparameters_json: '{"lr":0.001}', training_metrics: { auc: 0.7 }, ...extra } },
  ...Object.entries(files).map(([file_name, data]) => ({ chunk: { file_name, data: Buffer.from(data) } }))];
  return upload<object, any>(t, reg(t), 'CreateModelVersion', msgs);
}

const days = ['2022-05-02', '2022-05-03', '2022-05-04'];
/** A report of both protocols with the same values in each (stored with params.protocol = both). */
function report(cand: (day: string) => number, base: number) {
  const m = (x: number) => ({ 'recall@10': x, 'recall@50': x + 0.2, map: x - 0.1, gauc: x + 0.4 });
  const section = { candidate: Object.fromEntries(days.map((d) => [d, m(cand(d))])), baseline: Object.fromEntries(days.map((d) => [d, m(base)])) };
  return evaluationReport({ viewed: section, catalog: section, target: 'wtg', datasetId: 'ds-1' });
}
const both = { protocol: 'both' };

async function productionOf(model: string): Promise<string | undefined> {
  const m = await rpc<any>('GetModel', { name: model });
  return m.model.aliases.find((a: any) => a.alias === 'production')?.version_name;
}

async function audit(model: string): Promise<string[]> {
  const r = await rpc<any>('ListAuditEvents', { model, actions: ['promote', 'rollback'], page_size: 100 });
  return r.events.reverse().map((e: any) => `${e.action}:${e.outcome}:${e.from_version}->${e.to_version}`);
}

test('no token is UNAUTHENTICATED and a reader is PERMISSION_DENIED, for models that do not exist too', async () => {
  const none = { addr: tp.addr };
  assert.equal((await rpcError(rpc('CreateModel', { model_id: 'x' }, none))).code, status.UNAUTHENTICATED);
  assert.equal((await rpcError(rpc('PromoteModelVersion', { model: 'no-such-model', version: 'v' }, none))).code, status.UNAUTHENTICATED);
  const reader = await tp.target('reader');
  assert.equal((await rpcError(rpc('PromoteModelVersion', { model: 'no-such-model', version: 'v' }, reader))).code, status.PERMISSION_DENIED);
  assert.equal((await rpcError(rpc('RollbackModel', { model: 'no-such-model' }, reader))).code, status.PERMISSION_DENIED);
  assert.equal((await rpcError(rpc('SetGatePolicy', { model: 'no-such-model', policy: { thresholds: [] } }, op))).code, status.PERMISSION_DENIED);
  // Reads are open by default, and an unknown model is NOT_FOUND there.
  assert.equal((await rpcError(rpc('GetModel', { name: 'no-such-model' }, none))).code, status.NOT_FOUND);
});

test('register -> promote (first, no gate) -> promote (gate passes) -> worse refused with the table -> forced -> rollback -> rollback', async () => {
  await rpc('CreateModel', { model_id: M, description: 'Hindi feed' });
  assert.equal((await rpcError(rpc('CreateModel', { model_id: M }))).code, status.ALREADY_EXISTS);
  const v1 = (await register(M, 'prod-p90', { 'user_tower.onnx': 'u1', 'item_tower.onnx': 'i1' })).version;
  const v2 = (await register(M, 'prod-wtg-1', { 'user_tower.onnx': 'u2', 'item_tower.onnx': 'i2' })).version;
  const v3 = (await register(M, 'prod-wtg-bad', { 'user_tower.onnx': 'u3', 'item_tower.onnx': 'i3' })).version;
  assert.deepEqual([v1.number, v2.number, v3.number], [1, 2, 3]);
  assert.deepEqual(v1.artifacts.map((a: any) => a.name), ['user_tower.onnx', 'item_tower.onnx', 'manifest.json']);
  assert.equal((await rpcError(register(M, 'prod-p90', { 'x.onnx': 'x' }))).code, status.ALREADY_EXISTS);

  const p1 = await rpc<any>('PromoteModelVersion', { model: M, version: 'prod-p90' });
  assert.equal(p1.outcome, 'done');
  assert.equal(p1.gate, null);
  assert.match(p1.note, /first promotion/);
  assert.equal(await productionOf(M), 'prod-p90');

  // prod-wtg-1 beats prod-p90 on every day: 0.31 vs 0.30.
  await store.saveEvaluation({ id: 'ev-2v1', model: M, candidate: 2, baseline: 1, datasetId: 'ds-1', target: 'wtg', state: 'succeeded',
    report: report(() => 0.31, 0.30), params: both, createdBy: 'evaluation' });
  const p2 = await rpc<any>('PromoteModelVersion', { model: M, version: 'prod-wtg-1' });
  assert.equal(p2.outcome, 'done');
  assert.equal(p2.gate.passed, true);
  // The default policy: gauc, map, recall@50 on every day, and each beating random and popular.
  assert.equal(p2.gate.checks.length, 3 * days.length + 3 * 2);
  assert.equal(p2.baseline_version, 1);
  assert.equal(p2.evaluation_id, 'ev-2v1');
  assert.deepEqual([p2.target, p2.protocol, p2.dataset_id], ['wtg', 'catalog', 'ds-1']);
  assert.equal(await productionOf(M), 'prod-wtg-1');

  // prod-wtg-bad is better overall and on two days, but 0.29 < 0.31 - 0.005 on 2022-05-03: refused.
  await store.saveEvaluation({ id: 'ev-3v2', model: M, candidate: 3, baseline: 2, datasetId: 'ds-1', target: 'wtg', state: 'succeeded',
    report: report((d) => (d === '2022-05-03' ? 0.29 : 0.40), 0.31), params: both, createdBy: 'evaluation' });
  const dry = await rpc<any>('PromoteModelVersion', { model: M, version: 'prod-wtg-bad', validate_only: true });
  assert.equal(dry.outcome, 'checked');
  assert.equal(dry.gate.passed, false);
  const failed = dry.gate.checks.filter((c: any) => !c.passed);
  assert.deepEqual([...new Set(failed.map((c: any) => c.scope))], ['2022-05-03']);
  assert.equal(failed.length, 3);
  const refused = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'prod-wtg-bad' }));
  assert.equal(refused.code, status.FAILED_PRECONDITION);
  assert.match(refused.details, /3 of 15 counted checks failed against version 2 \(evaluation ev-3v2: dataset ds-1, target wtg, protocol catalog\)/);
  // map = x - 0.1: 0.19 < 0.21 - 0.005 = 0.205.
  assert.match(refused.details, /map\s+2022-05-03\s+0\.1900\s+0\.2100\s+>= 0\.2050\s+FAIL/);
  assert.equal(await productionOf(M), 'prod-wtg-1');

  assert.equal((await rpcError(rpc('PromoteModelVersion', { model: M, version: 'prod-wtg-bad', force: true }))).code, status.INVALID_ARGUMENT);
  const forced = await rpc<any>('PromoteModelVersion', { model: M, version: 'prod-wtg-bad', force: true, reason: 'day 3 had an outage' });
  assert.equal(forced.outcome, 'forced');
  assert.equal(await productionOf(M), 'prod-wtg-bad');

  const r1 = await rpc<any>('RollbackModel', { model: M, reason: 'bad readout' });
  assert.equal(r1.version.version_name, 'prod-wtg-1');
  assert.equal(r1.from_version, 3);
  assert.equal(await productionOf(M), 'prod-wtg-1');
  const r2 = await rpc<any>('RollbackModel', { model: M });
  assert.equal(r2.version.version_name, 'prod-p90');
  assert.equal(await productionOf(M), 'prod-p90');
  // Nothing before prod-p90: a third rollback is refused rather than looping back to prod-wtg-bad.
  assert.equal((await rpcError(rpc('RollbackModel', { model: M }))).code, status.FAILED_PRECONDITION);

  assert.deepEqual(await audit(M), [
    'promote:done:0->1', 'promote:done:1->2', 'promote:refused:2->3', 'promote:forced:2->3', 'rollback:done:3->2', 'rollback:done:2->1',
  ]);
  const all = await rpc<any>('ListAuditEvents', { model: M, actions: ['promote'], page_size: 100 });
  const forcedEvent = all.events.find((e: any) => e.outcome === 'forced');
  assert.equal(forcedEvent.reason, 'day 3 had an outage');
  assert.equal(forcedEvent.actor, 'test operator');
  const refusedEvent = all.events.find((e: any) => e.outcome === 'refused');
  const detail = JSON.parse(refusedEvent.detail_json);
  assert.equal(detail.gate.passed, false);
  assert.deepEqual([detail.evaluationId, detail.target, detail.protocol, detail.datasetId], ['ev-3v2', 'wtg', 'catalog', 'ds-1']);
});

test('20 concurrent PromoteModelVersion calls: exactly one production and 20 audit entries', async () => {
  await rpc('CreateModel', { model_id: 'race' });
  for (let i = 1; i <= 4; i++) await register('race', `r${i}`, { 'm.onnx': `r${i}` });
  const calls = Array.from({ length: 20 }, (_, i) =>
    rpc<any>('PromoteModelVersion', { model: 'race', version: `r${(i % 4) + 1}`, force: true, reason: `load test ${i}` }));
  const results = await Promise.allSettled(calls);
  assert.deepEqual(results.filter((r) => r.status === 'rejected'), []);
  const m = await rpc<any>('GetModel', { name: 'race' });
  assert.equal(m.model.aliases.filter((a: any) => a.alias === 'production').length, 1);
  const events = (await rpc<any>('ListAuditEvents', { model: 'race', actions: ['promote'], page_size: 100 })).events.reverse();
  assert.equal(events.length, 20);
  let cur = 0;
  for (const e of events) {
    assert.equal(e.from_version, cur, 'each promotion starts where the one before it ended');
    cur = e.to_version;
  }
  assert.equal(m.model.aliases.find((a: any) => a.alias === 'production').version_number, cur);
});

test('an S3 failure during registration leaves no version row and no object', async () => {
  await rpc('CreateModel', { model_id: 's3-fail' });
  await register('s3-fail', 'ok-1', { 'a.onnx': 'a' });
  // Make the S3 server fail on the second file of version 2: a folder stands where s3rver writes that object.
  const blocked = path.join(tp.s3Dir, 'modelops', 'models', 's3-fail', 'versions', '2', 'b.onnx._S3rver_object');
  fs.mkdirSync(blocked, { recursive: true });
  const e = await rpcError(register('s3-fail', 'doomed', { 'a.onnx': 'a', 'b.onnx': 'b' }));
  assert.equal(e.code, status.UNAVAILABLE, e.details);
  fs.rmSync(blocked, { recursive: true });
  const listed = await rpc<any>('ListModelVersions', { model: 's3-fail' });
  assert.deepEqual(listed.versions.map((v: any) => v.version_name), ['ok-1']);
  assert.equal((await rpcError(rpc('GetModelVersion', { model: 's3-fail', version: 'doomed' }))).code, status.NOT_FOUND);
  assert.deepEqual(await tp.platform.ctx.artifacts.list('models/s3-fail/versions/2/'), []);
  const rows = await tp.platform.ctx.db.pool.query(`SELECT count(*)::int AS n FROM model_versions WHERE model = 's3-fail'`);
  assert.equal(rows.rows[0].n, 1);
  // The next registration works, under a new number.
  const next = await register('s3-fail', 'doomed', { 'a.onnx': 'a', 'b.onnx': 'b' });
  assert.equal(next.version.number, 3);
});

test('a corrupted artifact is refused on load (DATA_LOSS), and downloads verify', async () => {
  await rpc('CreateModel', { model_id: 'corrupt' });
  const v = (await register('corrupt', 'c1', { 'user_tower.onnx': 'original bytes' })).version;
  const chunks: any[] = [];
  const s = reg().DownloadModelVersion({ model: 'corrupt', version: 'c1' }, authMetadata(op));
  for await (const c of s) chunks.push(c);
  assert.equal(Buffer.concat(chunks.filter((c) => c.file_name === 'user_tower.onnx').map((c) => c.data)).toString(), 'original bytes');
  const key = v.artifacts.find((a: any) => a.name === 'user_tower.onnx').key;
  const url = new URL(tp.s3Endpoint);
  const raw = new Minio({ endPoint: url.hostname, port: Number(url.port), useSSL: false, accessKey: 'S3RVER', secretKey: 'S3RVER', pathStyle: true });
  await raw.putObject('modelops', key, Buffer.from('tampered bytes'));
  const s2 = reg().DownloadModelVersion({ model: 'corrupt', version: 'c1', files: ['user_tower.onnx'] });
  const err = await (async () => { try { for await (const _ of s2) { /* drain */ } } catch (e) { return e as any; } return undefined; })();
  assert.equal(err?.code, status.DATA_LOSS);
  assert.match(err.details, /corrupted/);
});

test('names and tags with quotes, ";", "../" and unicode are stored verbatim; keys never leave the prefix', async () => {
  await rpc('CreateModel', { model_id: 'names' });
  const name = `a'b"c; DROP TABLE model_versions; -- ../../../etc/passwd ✓ 名前 🎉`;
  const tags = { 'q"uote;': `../../x'y`, 'ключ': 'значение ✓' };
  const v = (await register('names', name, { 'user_tower.onnx': 'x' }, { tags })).version;
  assert.equal(v.version_name, name);
  assert.deepEqual(v.tags, tags);
  for (const a of v.artifacts) assert.ok(a.key.startsWith(`models/names/versions/${v.number}/`), a.key);
  const got = (await rpc<any>('GetModelVersion', { model: 'names', version: name })).version;
  assert.equal(got.version_name, name);
  assert.deepEqual(got.tags, tags);
  const keys = await tp.platform.ctx.artifacts.list('');
  assert.ok(keys.filter((k) => k.startsWith('models/names/')).every((k) => k.startsWith(`models/names/versions/${v.number}/`)));
  assert.ok(keys.every((k) => !k.includes('..')), keys.join('\n'));
  // A model id or a file name that would leave the prefix is refused.
  assert.equal((await rpcError(rpc('CreateModel', { model_id: '../evil' }))).code, status.INVALID_ARGUMENT);
  assert.equal((await rpcError(register('names', 'escape', { '../../escape.onnx': 'x' }))).code, status.INVALID_ARGUMENT);
  assert.equal((await rpcError(register('../names', 'escape', { 'a.onnx': 'x' }))).code, status.INVALID_ARGUMENT);
  // Aliases through the API point at the version by its verbatim name.
  const set = await rpc<any>('SetAlias', { model: 'names', alias: 'baseline', version: name });
  assert.deepEqual(set.version.aliases, ['baseline']);
  assert.equal((await rpcError(rpc('SetAlias', { model: 'names', alias: 'production', version: name }))).code, status.INVALID_ARGUMENT);
});

test('an external ONNX model registers with a matching signature and is refused with a different one', async () => {
  await rpc('CreateModel', { model_id: 'ext' });
  const onnx = tinyOnnx([{ name: 'user_dense', dtype: 'float32', shape: ['N', 16] }, { name: 'user_cat', dtype: 'int32', shape: ['N', 3] }]);
  const header = (sig: object[]) => ({ header: { model: 'ext', version_name: 'from-sklearn', task: 'binary', label: 'wtg', input_signature: sig,
    tags: { tool: 'sklearn-onnx' }, origin: 'team-x notebook' } });
  const good = [{ name: 'user_dense', dtype: 'float32', shape: [-1, 16] }, { name: 'user_cat', dtype: 'int32', shape: [-1, 3] }];
  const bad = [{ name: 'user_dense', dtype: 'float32', shape: [-1, 8] }, { name: 'user_cat', dtype: 'int64', shape: [-1, 3] }];
  const e = await rpcError(upload(op, reg(), 'RegisterExternalModel', [header(bad), { onnx_chunk: onnx }]));
  assert.equal(e.code, status.INVALID_ARGUMENT);
  assert.match(e.details, /dimension 1: declared 8, the file has 16/);
  assert.match(e.details, /declared int64, the file has int32/);
  const junk = await rpcError(upload(op, reg(), 'RegisterExternalModel', [header(good), { onnx_chunk: Buffer.from('not onnx') }]));
  assert.equal(junk.code, status.INVALID_ARGUMENT);
  const ok = await upload<object, any>(op, reg(), 'RegisterExternalModel', [header(good), { onnx_chunk: onnx.subarray(0, 10) }, { onnx_chunk: onnx.subarray(10) }]);
  assert.equal(ok.version.source, 'external');
  assert.deepEqual(ok.version.input_signature.map((s: any) => `${s.name}:${s.dtype}:${s.shape.join(',')}`), ['user_dense:float32:-1,16', 'user_cat:int32:-1,3']);
  assert.deepEqual(ok.version.artifacts.map((a: any) => a.name), ['model.onnx', 'manifest.json']);
  assert.deepEqual(JSON.parse(ok.version.hyperparameters_json).outputs, ['user_dense_out', 'user_cat_out']);
});

test('gate policies: default (read by a reader), set (admin only), and used by the next promotion', async () => {
  const admin = await tp.target('admin');
  const reader = await tp.target('reader');
  // Setting a policy is an admin's, checked before the model or the policy is looked at.
  assert.equal((await rpcError(rpc('SetGatePolicy', { model: M, policy: { thresholds: [] } }))).code, status.PERMISSION_DENIED);
  assert.equal((await rpcError(rpc('SetGatePolicy', { model: 'no-such-model', policy: { thresholds: [] } }, reader))).code, status.PERMISSION_DENIED);
  // Reading is open like every read (README "Access"): thresholds are printed by every refusal anyway.
  const def = await rpc<any>('GetGatePolicy', { model: M }, reader);
  assert.equal(def.is_default, true);
  assert.equal((await rpcError(rpc('GetGatePolicy', { model: 'no-such-model' }, reader))).code, status.NOT_FOUND);
  assert.deepEqual(def.policy.thresholds.map((t: any) => `${t.metric}:${t.min_absolute_change}`), ['gauc:-0.005', 'map:-0.005', 'recall@50:-0.005']);
  assert.deepEqual([def.policy.target, def.policy.protocol, def.policy.dataset_id, def.policy.must_beat.names], ['', 'catalog', '', ['random', 'popular']]);
  assert.equal((await rpcError(rpc('SetGatePolicy', { model: M, policy: { thresholds: [] } }, admin))).code, status.INVALID_ARGUMENT);
  await rpc('SetGatePolicy', { model: M, policy: { thresholds: [{ metric: 'map', min_relative_change: -0.5 }] } }, admin);
  const got = await rpc<any>('GetGatePolicy', { model: M });
  assert.equal(got.is_default, false);
  assert.equal(got.policy.thresholds[0].min_relative_change, -0.5);
  // Production is prod-p90 (1) after the rollbacks; prod-wtg-bad (3) vs 1: map 0.19 on 2022-05-03 >= 0.5 * 0.2 = 0.1.
  await store.saveEvaluation({ id: 'ev-3v1', model: M, candidate: 3, baseline: 1, datasetId: 'ds-1', target: 'wtg', state: 'succeeded',
    report: report((d) => (d === '2022-05-03' ? 0.29 : 0.40), 0.30), params: both, createdBy: 'evaluation' });
  const p = await rpc<any>('PromoteModelVersion', { model: M, version: 'prod-wtg-bad' });
  assert.equal(p.outcome, 'done');
  // map on every day, and map beating random and popular (the default must-beat of a policy that names none).
  assert.equal(p.gate.checks.length, days.length + 2);
});

test('lists page with opaque tokens: models by id, versions newest first, audit newest first', async () => {
  const ids: string[] = [];
  let token = '';
  do {
    const r = await rpc<any>('ListModels', { page_size: 2, page_token: token });
    ids.push(...r.models.map((m: any) => m.id));
    assert.ok(r.models.length <= 2);
    token = r.next_page_token;
  } while (token);
  assert.deepEqual(ids, [...ids].sort());
  assert.ok(ids.includes(M) && ids.includes('race'));
  const race = (await rpc<any>('ListModels', {})).models.find((m: any) => m.id === 'race');
  assert.ok(race.aliases.some((a: any) => a.alias === 'production'));
  const p1 = await rpc<any>('ListModelVersions', { model: 'race', page_size: 3 });
  const p2 = await rpc<any>('ListModelVersions', { model: 'race', page_size: 3, page_token: p1.next_page_token });
  assert.deepEqual([...p1.versions, ...p2.versions].map((v: any) => v.number), [4, 3, 2, 1]);
  assert.equal(p2.next_page_token, '');
  // A token of one listing is refused by another.
  assert.equal((await rpcError(rpc('ListModelVersions', { model: M, page_token: p1.next_page_token }))).code, status.INVALID_ARGUMENT);
  assert.equal((await rpcError(rpc('ListModelVersions', { model: 'race', page_size: 501 }))).code, status.INVALID_ARGUMENT);
  const a1 = await rpc<any>('ListAuditEvents', { model: 'race', page_size: 15 });
  const a2 = await rpc<any>('ListAuditEvents', { model: 'race', page_size: 15, page_token: a1.next_page_token });
  // 20 promotes + 4 registrations + the creation.
  assert.equal(a1.events.length + a2.events.length, 25);
  assert.equal(a2.events[a2.events.length - 1].action, 'model-create');
  // A misspelt action filter is refused (it would list nothing), naming the actions there are.
  const typo = await rpcError(rpc('ListAuditEvents', { model: 'race', actions: ['promte'] }));
  assert.equal(typo.code, status.INVALID_ARGUMENT);
  assert.match(typo.details, /"promte" is not an audit action; use one of .*rollout-guardrail-stop/);
});

test('every production and alias change made through the API is announced at commit; a refused promotion is not', async () => {
  const N = 'notify-m';
  await rpc('CreateModel', { model_id: N });
  await register(N, 'a', { 'm.onnx': 'a' });
  await register(N, 'b', { 'm.onnx': 'b' });
  const heard: ChangeEvent[] = [];
  const l = listenChanges(tp.databaseUrl, (e) => { if (e.model === N) heard.push(e); });
  await l.ready;
  try {
    await rpc('PromoteModelVersion', { model: N, version: 'a' }); // first: no gate
    // b has no evaluation against a: refused, nothing changes, nothing is announced.
    assert.equal((await rpcError(rpc('PromoteModelVersion', { model: N, version: 'b' }))).code, status.FAILED_PRECONDITION);
    await rpc('PromoteModelVersion', { model: N, version: 'b', force: true, reason: 'notify test' });
    await rpc('RollbackModel', { model: N });
    await rpc('SetAlias', { model: N, alias: 'baseline', version: 'b' });
    await rpc('DeleteAlias', { model: N, alias: 'baseline' });
    // Five changes (promote, forced promote, rollback, alias set, alias delete): five announcements.
    for (let i = 0; i < 100 && heard.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(heard, Array.from({ length: 5 }, () => ({ model: N, kind: 'alias' })));
  } finally {
    await l.close();
  }
});

test('an upload for an unknown model or with a bad name fails as soon as its header arrives, before any file', async () => {
  // The stream stays open (no file, no end): only an answer to the header itself can settle the call.
  const open = (method: string, header: object) => new Promise<{ code: number; details: string }>((resolve, reject) => {
    const client = reg() as any;
    const timer = setTimeout(() => { stream.cancel(); reject(new Error(`${method}: no answer before the stream ended`)); }, 10_000);
    const stream = client[method](authMetadata(op), (err: any) => {
      clearTimeout(timer);
      stream.end();
      if (err) resolve({ code: err.code, details: err.details });
      else reject(new Error(`${method}: succeeded`));
    });
    stream.write({ header });
  });
  const unknown = await open('CreateModelVersion', { model: 'no-such-model', version_name: 'v1' });
  assert.equal(unknown.code, status.NOT_FOUND);
  assert.match(unknown.details, /models create no-such-model/);
  assert.equal((await open('CreateModelVersion', { model: M, version_name: '' })).code, status.INVALID_ARGUMENT);
  assert.equal((await open('RegisterExternalModel', { model: 'no-such-model', version_name: 'x', input_signature: [] })).code, status.NOT_FOUND);
});
