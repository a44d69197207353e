// Recovery: `modelops backup --out DIR` of a serving platform (Postgres and the S3 protocol, s3rver), then
// `modelops restore DIR` into a fresh MODELOPS_HOME (the embedded default), then `modelops serve` there serves
// the same production: Score returns the same version and the same scores for the same requests, and the
// tokens, aliases and audit log came along. A restore refuses a home in use and a database that is not empty;
// a backup of a home in use reads its stores from the running server's lock.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestPlatform, call, clientOf, type TestPlatform } from '../helpers/platform';
import { BIN, cliJson, runCli } from '../helpers/cli';
import { FAULT_SUITE } from './harness';
import { freePort, EmbeddedS3 } from '../../services/common/embedded';
import { layoutFor } from '../../ml/features/layout';
import { makeSpec } from '../../ml/model/spec';
import { Params } from '../../ml/model/params';
import { exportOnnx } from '../../ml/onnx/export';
import { modelMeta } from '../../ml/model/model-meta';
import { RegistryStore } from '../../registry/registry-store';
import { Promotions } from '../../services/registry/promotion';

const skip = FAULT_SUITE ? false : 'the fault suite runs with `npm run test:faults`';
const DIM = 4;
const M = 'feed-ranker-hi';
let tp: TestPlatform;
let users: string[];
let items: string[];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-backup-'));

before(async () => {
  if (skip) return;
  tp = await startTestPlatform({ services: ['feature', 'registry', 'rollout', 'scoring'] });
  const op = await tp.target('operator');
  await call(op, clientOf('FeatureService', op), 'GenerateEvents', { users: 20, items: 30, days: 3, seed: 11, dim: DIM, views_per_day: 5, source: 'syn' });
  const pool = tp.platform.ctx.db.pool;
  users = (await pool.query<{ user_id: string }>("SELECT user_id FROM online_user_features WHERE source = 'syn' ORDER BY user_id LIMIT 4")).rows.map((r) => r.user_id);
  items = (await pool.query<{ item_id: string }>("SELECT item_id FROM items WHERE source = 'syn' ORDER BY item_id LIMIT 12")).rows.map((r) => r.item_id);
  const store = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
  await store.createModel({ id: M, createdBy: 'test' });
  for (const [name, seed] of [['prod-a', 1], ['prod-b', 2]] as const) {
    const p = Params.init(makeSpec('two-tower-base', 'binary', layoutFor(DIM), { hidden: [8], dim: 8, catDim: 4 }), seed);
    const files = exportOnnx(p);
    files['model.json'] = Buffer.from(JSON.stringify(modelMeta(p, {}, 'test', { id: 'ds-none', window: '', label: 'wtg', buckets: '', timezone: 'UTC' })));
    await store.registerVersion({ model: M, name, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: '', datasetId: 'ds-none',
      hyperparameters: {}, trainingMetrics: {}, parity: null, backend: 'test', dataWindow: '', files: Object.entries(files).map(([n, data]) => ({ name: n, data })), createdBy: 'test' });
  }
  const promos = new Promotions(store);
  await promos.promote({ model: M, version: 'prod-a', actor: 'test', force: true, reason: 'first' });
  await promos.promote({ model: M, version: 'prod-b', actor: 'test', force: true, reason: 'second' });
});
after(async () => {
  await tp?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

interface Answer { user: string; version: string; arm: string; ids: string[]; scores: number[] }

/** Score's answers for the fixed requests. */
async function scores(addr: string, token: string): Promise<Answer[]> {
  const t = { addr, token };
  const out: Answer[] = [];
  for (const user of users) {
    const r = await call<object, any>(t, clientOf('ScoringService', t), 'Score', { model: M, user_id: user, item_ids: items, context: { hod: 9, dow: 2 } });
    out.push({ user, version: r.version_name, arm: r.arm, ids: r.item_ids, scores: r.scores });
  }
  return out;
}

/** Same versions and rankings; scores equal up to the drift of item age between the two calls (as in test/scoring/platform.test.ts). */
function assertSameAnswers(got: Answer[], want: Answer[]): void {
  assert.deepEqual(got.map(({ scores: _s, ...rest }) => rest), want.map(({ scores: _s, ...rest }) => rest));
  got.forEach((g, u) => g.scores.forEach((s, i) => assert.ok(Math.abs(s - want[u].scores[i]) < 1e-3, `${g.user} ${g.ids[i]}: ${s} vs ${want[u].scores[i]}`)));
}

/** An environment for the embedded default on `home` (no external stores). */
function embeddedEnv(home: string): NodeJS.ProcessEnv {
  fs.chmodSync(home, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, MODELOPS_HOME: home, MODELOPS_CONSOLE_ADDR: 'off', MODELOPS_LOG_LEVEL: 'warn' };
  for (const k of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_BUCKET', 'MODELOPS_TOKEN', 'MODELOPS_ADMIN_TOKEN']) delete env[k];
  return env;
}

async function serve(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; addr: string }> {
  const addr = `127.0.0.1:${await freePort()}`;
  const child = spawn(process.execPath, [BIN, 'serve', '--addr', addr, '--metrics-addr', 'off', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('{"ready"')) { clearTimeout(timer); resolve(); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${stderr}`)); });
  });
  return { child, addr };
}

test('a backup restored into a fresh MODELOPS_HOME serves the same production with the same scores', { skip }, async () => {
  // Scoring swaps to a promoted version when the registry's change notice arrives: wait for prod-b.
  let before = await scores(tp.addr, tp.adminToken);
  for (let i = 0; i < 100 && before.some((a) => a.version !== 'prod-b'); i++) {
    await new Promise((res) => setTimeout(res, 100));
    before = await scores(tp.addr, tp.adminToken);
  }
  assert.deepEqual(before.map((a) => `${a.version}/${a.arm}/${a.ids.length}`), users.map(() => `prod-b/production/${items.length}`));

  const external = { ...process.env, DATABASE_URL: tp.databaseUrl, S3_ENDPOINT: tp.s3Endpoint, S3_ACCESS_KEY: EmbeddedS3.ACCESS_KEY,
    S3_SECRET_KEY: EmbeddedS3.SECRET_KEY, MODELOPS_LOG_LEVEL: 'warn' };
  const dir = path.join(work, 'b1');
  const b = await cliJson(['backup', '--out', dir], external);
  // Two versions of three files and a manifest each, plus the event log's files (views per market day, items).
  assert.ok(b.objects > 8 && b.rows > 100, JSON.stringify(b));
  const again = await runCli(['backup', '--out', dir], external);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /is not empty; give a new or empty folder/);
  // Restoring over the live platform's own database is refused before anything is written.
  const over = await runCli(['restore', dir], external);
  assert.equal(over.code, 1);
  assert.match(over.stderr, /FAILED_PRECONDITION: the database is not empty/);

  const home = fs.mkdtempSync(path.join(work, 'home-'));
  const env = embeddedEnv(home);
  const r = await cliJson(['restore', dir], env);
  assert.equal(r.objects, b.objects);
  assert.equal(r.rows, b.rows);

  const s = await serve(env);
  try {
    assertSameAnswers(await scores(s.addr, tp.adminToken), before);
    const t = { addr: s.addr, token: tp.adminToken };
    const model = (await call<object, any>(t, clientOf('RegistryService', t), 'GetModel', { name: M })).model;
    assert.deepEqual(model.aliases.map((a: any) => `${a.alias}=${a.version_name}`).sort(), ['previous=prod-a', 'production=prod-b']);
    const audit = (await call<object, any>(t, clientOf('RegistryService', t), 'ListAuditEvents', { model: M, actions: ['promote'] })).events;
    assert.equal(audit.length, 2);

    // A restore into a home in use is refused; a backup of it reads the running server's stores from its lock.
    const busy = await runCli(['restore', dir], env);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /is in use by modelops pid \d+; a restore goes into a fresh home/);
    const live = await cliJson(['backup', '--out', path.join(work, 'b2')], env);
    assert.equal(live.objects, b.objects);
    assert.equal(live.rows, b.rows);
  } finally {
    await new Promise<void>((resolve) => { s.child.once('exit', () => resolve()); s.child.kill('SIGTERM'); });
  }
});
