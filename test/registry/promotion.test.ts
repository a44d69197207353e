// Promote / rollback / aliases against a real Postgres and S3: the production alias and the audit log at each step.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { createTestDatabase } from '../helpers/platform';
import { EmbeddedS3 } from '../../services/common/embedded';
import type { DomainError } from '../../core/errors';
import { openDatabase, type Database } from '../../registry/data-source';
import { S3ArtifactStore } from '../../registry/artifact-store';
import { RegistryStore } from '../../registry/registry-store';
import { GateRefused, Promotions } from '../../services/registry/promotion';
import { evaluationReport, everyDay } from '../../ml/metrics/report-fixtures';

let db: Database;
let dropDb: () => Promise<void>;
let s3: EmbeddedS3;
let s3Dir: string;
let store: RegistryStore;
let promos: Promotions;
const M = 'feed-ranker-hi';

before(async () => {
  const t = await createTestDatabase('mo_promo');
  dropDb = t.drop;
  db = await openDatabase(t.url, { poolSize: 8 });
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-promo-s3-'));
  s3 = new EmbeddedS3(s3Dir, pino({ level: 'silent' }));
  const endpoint = await s3.start('modelops');
  store = new RegistryStore(db, new S3ArtifactStore({ endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' }));
  promos = new Promotions(store);
  await store.createModel({ id: M, createdBy: 'test' });
  for (const name of ['prod-p90', 'prod-wtg-1', 'prod-wtg-2', 'worse']) {
    await store.registerVersion({ model: M, name, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: 'equi-quantile:10',
      datasetId: 'ds', hyperparameters: {}, trainingMetrics: {}, parity: null, backend: 'cpu', dataWindow: '', createdBy: 'test',
      files: [{ name: 'user_tower.onnx', data: Buffer.from(name) }] });
  }
});

after(async () => {
  await db?.close();
  await s3?.stop();
  await dropDb?.();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

const days = ['2022-05-02', '2022-05-03'];
/** A report of both protocols with the same values in each, as `evaluate --protocol both` writes it. */
function report(cand: number, base: number) {
  const m = (x: number) => ({ 'recall@10': x, 'recall@50': x + 0.2, map: x, gauc: 0.5 + x });
  const section = { candidate: everyDay(days, m(cand)), baseline: everyDay(days, m(base)) };
  return evaluationReport({ viewed: section, catalog: section, target: 'wtg', datasetId: 'ds' });
}
const both = { protocol: 'both' };

async function production(): Promise<string | undefined> {
  return (await store.resolveAlias(M, 'production'))?.name;
}

test('promote (first: no gate) -> gated promote -> refused -> forced -> rollback -> rollback', async () => {
  const first = await promos.promote({ model: M, version: 'prod-p90', actor: 'alice' });
  assert.equal(first.outcome, 'done');
  assert.equal(first.gate, null);
  assert.match(first.note, /first promotion/);
  assert.equal(await production(), 'prod-p90');

  // No evaluation yet: refused (and audited).
  await assert.rejects(promos.promote({ model: M, version: 'prod-wtg-1', actor: 'alice' }),
    (e: DomainError) => e instanceof GateRefused && e.code === 'FAILED_PRECONDITION' && /no succeeded evaluation/.test(e.message)
      && e.message.includes('modelops evaluate feed-ranker-hi prod-wtg-1 --baseline prod-p90 --dataset ds --target wtg --protocol catalog'));

  await store.saveEvaluation({ id: 'e1', model: M, candidate: 2, baseline: 1, datasetId: 'ds', target: 'wtg', state: 'succeeded', report: report(0.30, 0.29),
    params: both, createdBy: 't' });
  const second = await promos.promote({ model: M, version: 'prod-wtg-1', actor: 'alice' });
  assert.equal(second.outcome, 'done');
  assert.equal(second.gate?.passed, true);
  // The default policy: 3 metrics x 2 days, and 3 metrics x 2 sanity baselines beaten.
  assert.equal(second.gate?.checks.length, 12);
  assert.equal(second.evaluationId, 'e1');
  assert.deepEqual(second.scope, { target: 'wtg', protocol: 'catalog', datasetId: 'ds' });
  assert.equal(await production(), 'prod-wtg-1');
  assert.equal((await store.resolveAlias(M, 'previous'))?.name, 'prod-p90');

  // A worse one: 0.28 < 0.30 - 0.005 on both days; refused with the table.
  await store.saveEvaluation({ id: 'e2', model: M, candidate: 4, baseline: 2, datasetId: 'ds', target: 'wtg', state: 'succeeded', report: report(0.28, 0.30),
    params: both, createdBy: 't' });
  const refused = await promos.promote({ model: M, version: 'worse', actor: 'bob' }).then(() => undefined, (e: GateRefused) => e);
  assert.ok(refused instanceof GateRefused);
  assert.equal(refused.gate?.checks.filter((c) => !c.passed).length, 6);
  assert.match(refused.message, /map\s+2022-05-02\s+0\.2800\s+0\.3000\s+>= 0\.2950\s+FAIL/);
  assert.match(refused.message, /evaluation e2: dataset ds, target wtg, protocol catalog/);
  assert.equal(await production(), 'prod-wtg-1');

  await assert.rejects(promos.promote({ model: M, version: 'worse', actor: 'bob', force: true }), /needs a reason/);
  const forced = await promos.promote({ model: M, version: 'worse', actor: 'bob', force: true, reason: 'incident 42: hotfix' });
  assert.equal(forced.outcome, 'forced');
  assert.equal(await production(), 'worse');

  const rb1 = await promos.rollback({ model: M, actor: 'carol' });
  assert.equal(rb1.version.name, 'prod-wtg-1');
  assert.equal((await store.resolveAlias(M, 'previous'))?.name, 'prod-p90');
  const rb2 = await promos.rollback({ model: M, actor: 'carol' });
  assert.equal(rb2.version.name, 'prod-p90');
  assert.equal(await store.resolveAlias(M, 'previous'), undefined);
  await assert.rejects(promos.rollback({ model: M, actor: 'carol' }), (e: DomainError) => e.code === 'FAILED_PRECONDITION');
  const to = await promos.rollback({ model: M, actor: 'carol', to: 'prod-wtg-2' });
  assert.equal(to.version.name, 'prod-wtg-2');

  const audit = (await store.listAudit(M, { limit: 50, actions: ['promote', 'rollback'] })).reverse();
  assert.deepEqual(audit.map((a) => `${a.action}:${a.outcome}:${a.fromVersion ?? '-'}->${a.toVersion}`), [
    'promote:done:-->1', 'promote:refused:1->2', 'promote:done:1->2', 'promote:refused:2->4', 'promote:forced:2->4',
    'rollback:done:4->2', 'rollback:done:2->1', 'rollback:done:1->3',
  ]);
  assert.equal(audit[4].reason, 'incident 42: hotfix');
  assert.equal(audit[4].actor, 'bob');
});

test('20 concurrent promotes: exactly one production and 20 audit entries that explain it', async () => {
  await store.createModel({ id: 'race', createdBy: 'test' });
  for (let i = 1; i <= 5; i++) {
    await store.registerVersion({ model: 'race', name: `v${i}`, arch: '', task: '', label: '', buckets: '', datasetId: '', hyperparameters: {},
      trainingMetrics: {}, parity: null, backend: '', dataWindow: '', createdBy: 't', files: [{ name: 'm.onnx', data: Buffer.from(`v${i}`) }] });
  }
  const calls = Array.from({ length: 20 }, (_, i) => promos.promote({ model: 'race', version: `v${(i % 5) + 1}`, actor: `user${i}`, force: true, reason: `race ${i}` }));
  const results = await Promise.allSettled(calls);
  assert.equal(results.filter((r) => r.status === 'rejected').length, 0);
  const prod = await db.pool.query(`SELECT number FROM model_aliases WHERE model = 'race' AND alias = 'production'`);
  assert.equal(prod.rowCount, 1);
  const audit = (await store.listAudit('race', { limit: 100, actions: ['promote'] })).reverse();
  assert.equal(audit.length, 20);
  // Replaying the log gives the production alias: each event starts where the one before it ended.
  let cur: number | null = null;
  for (const a of audit) {
    assert.equal(a.fromVersion, cur);
    cur = a.toVersion;
  }
  assert.equal(cur, prod.rows[0].number);
});

test('aliases: set/delete free ones; production and previous are refused', async () => {
  const v = await promos.setAlias({ model: M, alias: 'baseline', version: 'prod-p90', actor: 'dan' });
  assert.ok(v.aliases.includes('baseline'));
  await assert.rejects(promos.setAlias({ model: M, alias: 'production', version: 'prod-p90', actor: 'dan' }), (e: DomainError) => e.code === 'INVALID_ARGUMENT');
  await assert.rejects(promos.setAlias({ model: M, alias: 'Bad Alias', version: 'prod-p90', actor: 'dan' }), (e: DomainError) => e.code === 'INVALID_ARGUMENT');
  await promos.deleteAlias({ model: M, alias: 'baseline', actor: 'dan' });
  await assert.rejects(promos.deleteAlias({ model: M, alias: 'baseline', actor: 'dan' }), (e: DomainError) => e.code === 'NOT_FOUND');
});
