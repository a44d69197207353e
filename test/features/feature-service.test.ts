// FeatureService over real gRPC, real Postgres and a real S3 server: generate (idempotent), build a dataset as
// a job and read its shards back, online features with present / not-found / stale statuses, IngestEvents
// refreshing them, bad input answered with INVALID_ARGUMENT or counted rejections, and one query per batch.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import type { Pool } from 'pg';
import { startTestPlatform, rpcError, call, clientOf, type TestPlatform } from '../helpers/platform';
import { loadDatasetMeta, loadItemDay, loadShard } from '../../ml/features/dataset';
import { layoutFor } from '../../ml/features/layout';
import { OnlineFeatures } from '../../services/feature/online-features';
import { loadLog } from '../../services/feature/source-log';
import { PgEventLogStore } from '../../registry/event-log';
import { FeatureEngine } from '../../ml/features/engine';
import { allocRows } from '../../ml/features/shard';
import { PgOnlineFeatureStore } from '../../registry/online-feature-store';
import { PgEventSourceStore } from '../../registry/event-source-store';

let tp: TestPlatform;
let op: Awaited<ReturnType<TestPlatform['target']>>;
const fs = () => clientOf('FeatureService', op);
const rpc = <T = any>(method: string, req: object) => call<object, T>(op, fs(), method, req);

before(async () => {
  tp = await startTestPlatform({ services: ['feature'] });
  op = await tp.target('operator');
});
after(async () => { await tp?.stop(); });

const GEN = { users: 60, items: 40, days: 7, seed: 3, dim: 4, views_per_day: 6, source: 'syn' };

test('GenerateEvents stores a seeded log; generating it again adds nothing', async () => {
  const a = await rpc('GenerateEvents', GEN);
  assert.equal(a.source, 'syn');
  assert.ok(Number(a.counts.views_generated) > 1000);
  assert.equal(a.counts.views_inserted, a.counts.views_generated);
  const b = await rpc('GenerateEvents', GEN);
  assert.equal(Number(b.counts.views_inserted), 0);
  assert.equal(b.counts.views_already_stored, a.counts.views_generated);
});

test('BuildDataset returns a building dataset at once; it becomes ready with shards that load and verify', async () => {
  const started = await rpc('BuildDataset', { window: '2024-01-01..2024-01-07', label: 'wtg', task: 'binary', buckets: 'equi-quantile:4', source: 'syn', min_item_views: 5 });
  assert.equal(started.dataset.state, 'DATASET_STATE_BUILDING');
  assert.match(started.dataset.id, /^ds-2024-01-01-wtg-[0-9a-f]{4}$/);
  let d = started.dataset;
  for (let i = 0; i < 200 && d.state === 'DATASET_STATE_BUILDING'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    d = (await rpc('GetDataset', { name: `datasets/${d.id}` })).dataset;
  }
  assert.equal(d.state, 'DATASET_STATE_READY', d.error);
  const meta = await loadDatasetMeta(tp.platform.ctx.artifacts, d.id, d.meta_sha256);
  assert.deepEqual(meta.layout, layoutFor(4));
  assert.equal(meta.shards.length, d.shard_count);
  const rows = meta.shards.reduce((s, x) => s + x.rows, 0);
  assert.equal(rows, Number(d.counts.rows_kept));
  // The default split: 60% train, 10% validation, 30% test, in that order.
  assert.equal(d.val_frac, 0.1);
  assert.equal(Number(d.counts.rows_train) + Number(d.counts.rows_validation) + Number(d.counts.rows_heldout), rows);
  assert.deepEqual([...new Set(meta.shards.map((x) => x.split))], ['train', 'validation', 'heldout']);
  assert.ok(meta.valSplitMs! < meta.testSplitMs!);
  // One item-day file per test day, one row per item of the dataset.
  assert.deepEqual(meta.itemDays!.map((x) => x.day), meta.days.map((_, i) => i));
  const items = await loadItemDay(tp.platform.ctx.artifacts, meta.itemDays![meta.itemDays!.length - 1]);
  assert.equal(items.n, meta.itemIds.length);
  assert.equal(items.itemDense.length, meta.itemIds.length * meta.layout.itemDenseDim);
  const first = await loadShard(tp.platform.ctx.artifacts, meta.shards[0]);
  assert.ok(first.facts.label.every((y) => y === 0 || y === 1));
  const summary = JSON.parse(d.summary_json);
  assert.ok(summary.filters.rows_kept > 0 && summary.per_day && summary.label_balance.train);
  const listed = await rpc('ListDatasets', {});
  assert.ok(listed.datasets.some((x: { id: string }) => x.id === d.id));
  assert.equal((await rpcError(rpc('GetDataset', { name: 'datasets/nope' }))).code, status.NOT_FOUND);
  assert.equal((await rpcError(rpc('BuildDataset', { window: 'last-week', source: 'syn' }))).code, status.INVALID_ARGUMENT);
  assert.equal((await rpcError(rpc('BuildDataset', { window: 'last-7d', label: 'ctr', source: 'syn' }))).code, status.INVALID_ARGUMENT);
  // 0.6 training + 0.5 validation leaves no test part.
  const noTest = await rpcError(rpc('BuildDataset', { window: 'last-7d', source: 'syn', val_frac: 0.5 }));
  assert.equal(noTest.code, status.INVALID_ARGUMENT);
  assert.match(noTest.details, /leave no test part/);
  // A reader may read datasets but not build them.
  const reader = await tp.target('reader');
  assert.equal((await rpcError(call(reader, clientOf('FeatureService', reader), 'BuildDataset', { source: 'syn' }))).code, status.PERMISSION_DENIED);
});

test('GetUserFeatures / GetItemFeatures: present, stale and not found, with the feature time', async () => {
  const u = await rpc('GetUserFeatures', { user_ids: ['u1', 'nobody'], source: 'syn', hod: 20, dow: 5 });
  assert.equal(u.users.length, 2);
  // The synthetic log ends in January 2024: against the wall clock its values are stale (default max age 1 day).
  assert.equal(u.users[0].status, 'FEATURE_STATUS_STALE');
  const asOf = Number(u.users[0].feature_time.seconds) * 1000;
  assert.ok(asOf > Date.parse('2024-01-01') && asOf < Date.parse('2024-01-09'));
  assert.deepEqual(u.users[0].categorical.slice(0, 2), [20, 5]);
  assert.equal(u.users[0].dense.length, 2 * 4 + 11);
  assert.equal(u.users[1].status, 'FEATURE_STATUS_NOT_FOUND');
  assert.equal(u.users[1].feature_time, null);
  // The online values are the build's engine run to just after the source's newest view (same code, latest values).
  const log = await loadLog(new PgEventSourceStore(tp.platform.ctx.db.pool), new PgEventLogStore(tp.platform.ctx.db.pool, tp.platform.ctx.artifacts), { source: 'syn', format: '', timezone: 'Asia/Kolkata', language: '', dim: 4 });
  const eng = new FeatureEngine(log, layoutFor(4));
  eng.advanceTo(log.ts[log.n - 1] + 1);
  const one = allocRows(1, layoutFor(4));
  eng.writeUser(log.userIds.indexOf('u1'), 0, 0, 0, one.batch, 0);
  assert.deepEqual(u.users[0].dense, Array.from(one.batch.userDense));
  assert.equal(asOf, log.ts[log.n - 1] + 1 - ((log.ts[log.n - 1] + 1) % 1000)); // feature_time has second precision
  // Asked as of just after the log, the same values are present.
  const p = await rpc('GetUserFeatures', { user_ids: ['u1'], source: 'syn', now_ms: asOf + 60_000 });
  assert.equal(p.users[0].status, 'FEATURE_STATUS_PRESENT');
  const it = await rpc('GetItemFeatures', { item_ids: ['v0', 'no-such-item'], source: 'syn', now_ms: asOf + 60_000 });
  assert.equal(it.items[0].status, 'FEATURE_STATUS_PRESENT');
  assert.equal(it.items[0].dense.length, 4 + 20);
  assert.equal(it.items[1].status, 'FEATURE_STATUS_NOT_FOUND');
  assert.equal(it.dense_names[4], 'item_ctr');
  const many = Array.from({ length: 1001 }, (_, k) => `v${k}`);
  const e = await rpcError(rpc('GetItemFeatures', { item_ids: many, source: 'syn' }));
  assert.equal(e.code, status.INVALID_ARGUMENT);
  assert.match(e.details, /1001 ids given, at most 1000/);
  assert.equal((await rpcError(rpc('GetUserFeatures', { user_ids: [], source: 'syn' }))).code, status.INVALID_ARGUMENT);
  assert.equal((await rpcError(rpc('GetUserFeatures', { user_ids: ['u1'], source: 'syn', hod: 24 }))).code, status.INVALID_ARGUMENT);
});

test('IngestEvents appends views, refreshes online features, and rejects bad rows with the reason', async () => {
  const before = await rpc('GetUserFeatures', { user_ids: ['u1'], source: 'syn' });
  const now = Date.now();
  const r = await rpc('IngestEvents', {
    source: 'syn',
    items: [
      { item_id: 'fresh', creator_id: 'c9', created_at: now - 3_600_000, video_length_s: 30, embedding: [1, 0, 0, 0] },
      { item_id: 'wrongdim', creator_id: 'c9', embedding: [1, 0] },
    ],
    views: [
      { user_id: 'u1', item_id: 'fresh', ts: now, timespent_s: 30, liked: true },
      { user_id: '', item_id: 'v1', ts: now, timespent_s: 3 },
      { user_id: 'u2', item_id: 'v1', ts: -5, timespent_s: 3 },
    ],
  });
  assert.equal(Number(r.views_inserted), 1);
  assert.equal(Number(r.items_upserted), 1);
  assert.deepEqual(r.rejections.map((x: { file: string; line: string }) => `${x.file}:${x.line}`), ['request.items:1', 'request.views:1', 'request.views:2']);
  assert.match(r.rejections[0].reason, /embedding has 2 values; source "syn" uses dimension 4/);
  assert.match(r.rejections[2].reason, /ts -5 is not a positive epoch-ms time/);
  assert.equal(Number(r.users_refreshed), 1);
  const after = await rpc('GetUserFeatures', { user_ids: ['u1'], source: 'syn' });
  assert.equal(after.users[0].status, 'FEATURE_STATUS_PRESENT');
  assert.notDeepEqual(after.users[0].dense, before.users[0].dense);
  const item = await rpc('GetItemFeatures', { item_ids: ['fresh'], source: 'syn' });
  assert.equal(item.items[0].status, 'FEATURE_STATUS_PRESENT');
  assert.deepEqual(item.items[0].dense.slice(0, 4), [1, 0, 0, 0]);
  // A view of an item the catalogue lacks makes the item known (zero content vector, rates from its views).
  await rpc('IngestEvents', { source: 'syn', views: [{ user_id: 'u3', item_id: 'uncatalogued', ts: now, timespent_s: 4, video_length_s: 8 }] });
  const unc = await rpc('GetItemFeatures', { item_ids: ['uncatalogued'], source: 'syn' });
  assert.equal(unc.items[0].status, 'FEATURE_STATUS_PRESENT');
  assert.deepEqual(unc.items[0].dense.slice(0, 4), [0, 0, 0, 0]);
  // Ingesting the same view again stores nothing new.
  const again = await rpc('IngestEvents', { source: 'syn', views: [{ user_id: 'u1', item_id: 'fresh', ts: now, timespent_s: 30, liked: true }] });
  assert.equal(Number(again.views_already_stored), 1);
  const tooMany = Array.from({ length: 10_001 }, () => ({ user_id: 'u', item_id: 'i', ts: now, timespent_s: 1 }));
  assert.equal((await rpcError(rpc('IngestEvents', { source: 'syn', views: tooMany }))).code, status.INVALID_ARGUMENT);
});

test('OnlineFeatures answers a batch of 1,000 items with one query', async () => {
  const pool = tp.platform.ctx.db.pool;
  let queries = 0;
  const counting = { query: (...a: unknown[]) => { queries++; return (pool.query as (...x: unknown[]) => unknown)(...a); } } as unknown as Pool;
  const of = new OnlineFeatures({ online: new PgOnlineFeatureStore(counting), sources: new PgEventSourceStore(counting) }, layoutFor(4), { source: 'syn' });
  const ids = Array.from({ length: 1000 }, (_, k) => `v${k}`);
  const { batch, found } = await of.itemRows(ids, Date.now());
  assert.equal(queries, 1);
  assert.equal(batch.n, 1000);
  assert.equal(found.filter(Boolean).length, 40); // the catalogue holds v0..v39
  const users = await of.userRows(['u1', 'u2', 'ghost'], { hod: 1, dow: 2 });
  assert.equal(queries, 2);
  assert.deepEqual(users.found, [true, true, false]);
});

test('a build that cannot succeed ends FAILED with the reason on the dataset', async () => {
  const started = await rpc('BuildDataset', { window: '2030-01-01..2030-01-07', label: 'p90', source: 'syn' });
  let d = started.dataset;
  for (let i = 0; i < 100 && d.state === 'DATASET_STATE_BUILDING'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    d = (await rpc('GetDataset', { name: d.id })).dataset;
  }
  assert.equal(d.state, 'DATASET_STATE_FAILED');
  assert.match(d.error, /window 2030-01-01\.\.2030-01-07 \(Asia\/Kolkata\) holds no views; the store covers 2024-01-01\.\./);
});
