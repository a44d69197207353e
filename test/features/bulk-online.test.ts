// A bulk load into an empty source computes its online rows from the runs it stored, not from the files read
// back: those rows must equal the ones computed from the files (as every other load does), to the byte, even when
// a day is stored as many batches (merged in arrival order) and views share a time across batches.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { layoutFor } from '../../ml/features/layout';
import { syntheticViews } from '../../ml/data/synthetic';
import type { ItemRecord } from '../../ml/data/events';
import { PgEventLogStore } from '../../registry/event-log';
import { PgEventSourceStore } from '../../registry/event-source-store';
import { PgOnlineFeatureStore } from '../../registry/online-feature-store';
import { loadLog } from '../../services/feature/source-log';
import { finishLoad, keepWhenEmpty } from '../../services/feature/ingest';
import { LogWriter } from '../../services/feature/log-writer';
import { OnlineLogs } from '../../services/feature/online-log';
import { onlineRows } from '../../services/feature/online-features';

let tp: TestPlatform;

before(async () => {
  tp = await startTestPlatform({ services: ['feature'] });
});
after(async () => { await tp?.stop(); });

const rowsOf = async (source: string) => {
  const pool = tp.platform.ctx.db.pool;
  const users = await pool.query('SELECT user_id, handset_maker, dense, as_of FROM online_user_features WHERE source = $1 ORDER BY user_id', [source]);
  const items = await pool.query('SELECT item_id, rates, as_of FROM online_item_features WHERE source = $1 ORDER BY item_id', [source]);
  return { users: users.rows, items: items.rows };
};

test('a bulk load into an empty source writes the online rows a refresh from its files gives', async () => {
  const pool = tp.platform.ctx.db.pool;
  const events = new PgEventLogStore(pool, tp.platform.ctx.artifacts);
  const sources = new PgEventSourceStore(pool);
  const stores = { sources, events, onlineRows: new PgOnlineFeatureStore(pool), online: new OnlineLogs(sources, events) };
  const src = await sources.ensure({ source: 'bulk', format: 'synthetic', timezone: 'Asia/Kolkata', language: 'hi', dim: 4 });
  const items: ItemRecord[] = [];
  const views = [...syntheticViews({ users: 60, items: 40, days: 3, seed: 9, dim: 4 }, (it) => items.push(it))];
  await sources.upsertItems(src.source, items);
  // Batches of 100 views: each day is stored as several files.
  let appends = 0;
  const counted: PgEventLogStore = Object.create(events);
  counted.append = (...a) => { appends++; return events.append(...a); };
  const writer = new LogWriter(counted, src.source, src.timezone, 100);
  assert.equal(await keepWhenEmpty(stores, src, writer), true);
  // Each user's newest view again at the end, on another handset: it lands in a later batch at the same time as
  // the first, so the user's online handset is the later batch's only when equal times keep arrival order.
  const newest = new Map(views.map((v) => [v.user_id, v]));
  const load = async (w: LogWriter) => {
    for (const v of views) await w.add(v, v.affinity);
    for (const v of newest.values()) await w.add({ ...v, handset_maker: 'later' }, null);
  };
  await load(writer);
  const online = await finishLoad(stores, src, writer);
  assert.ok(writer.added > views.length);
  assert.ok(appends > 8, `${appends} batches for 3 days: a day was stored as several files`);

  const expected = onlineRows(await loadLog(sources, events, src), layoutFor(4));
  await stores.onlineRows.write('expected', expected);
  const got = await rowsOf(src.source);
  const want = await rowsOf('expected');
  assert.equal(got.users.length, online.users);
  assert.equal(got.items.length, online.items);
  assert.ok(got.users.length === 60 && got.items.length > 10);
  assert.ok(got.users.every((u) => u.handset_maker === 'later'));
  assert.deepEqual(got, want);

  // Loading the same views again stores nothing; the rows are refreshed from the files, and stay the same.
  const again = new LogWriter(events, src.source, src.timezone, 100);
  assert.equal(await keepWhenEmpty(stores, src, again), false);
  await load(again);
  await finishLoad(stores, src, again);
  assert.equal(again.added, 0);
  assert.deepEqual(await rowsOf(src.source), want);
});

test('online rows are stored as given, through the first write of a source (COPY into the tables) and through the upsert after it', async () => {
  const pool = tp.platform.ctx.db.pool;
  const store = new PgOnlineFeatureStore(pool);
  // Ids COPY text would have to escape, a multi-byte one; floats whose bytes a value comparison would not check.
  const userIds = ['u\tab', 'u\\slash', 'u\nnew', 'ユーザー', 'plain'];
  const itemIds = ['i\r1', 'i2'];
  const dense = Float32Array.from([-0, Number.NaN, 1e-45, -3.4e38, 0.1, 1 / 3, 7, -1, 2, 3], (x) => x);
  const rows = (scale: number, asOf: number) => ({
    userIds, handsetMakers: userIds.map((_, k) => (k % 2 ? 'vivo' : 'oppo\tx')), userDense: Float32Array.from({ length: 10 }, (_, k) => dense[k] * scale), userDenseDim: 2,
    itemIds, itemRates: Float32Array.from([0.5, -0, Number.NaN, 1e30].map((x) => x * scale)), itemRatesDim: 2, asOf,
  });
  const bytesOf = (a: Float32Array, k: number, d: number) => Buffer.from(a.buffer, a.byteOffset + k * d * 4, d * 4);
  const check = async (want: ReturnType<typeof rows>) => {
    const u = await pool.query('SELECT user_id, handset_maker, dense, as_of FROM online_user_features WHERE source = $1', ['stored']);
    const byUser = new Map(u.rows.map((r) => [r.user_id, r]));
    assert.equal(byUser.size, userIds.length);
    want.userIds.forEach((id, k) => {
      const r = byUser.get(id)!;
      assert.equal(r.handset_maker, want.handsetMakers[k]);
      assert.ok(Buffer.compare(r.dense, bytesOf(want.userDense, k, 2)) === 0, `user ${JSON.stringify(id)}`);
      assert.equal(Number(r.as_of), want.asOf);
    });
    const i = await pool.query('SELECT item_id, rates, as_of FROM online_item_features WHERE source = $1', ['stored']);
    const byItem = new Map(i.rows.map((r) => [r.item_id, r]));
    assert.equal(byItem.size, itemIds.length);
    want.itemIds.forEach((id, k) => {
      assert.ok(Buffer.compare(byItem.get(id)!.rates, bytesOf(want.itemRates, k, 2)) === 0, `item ${JSON.stringify(id)}`);
      assert.equal(Number(byItem.get(id)!.as_of), want.asOf);
    });
    const read = await store.users('stored', userIds);
    assert.ok(Buffer.from(read.get('ユーザー')!.dense.buffer).equals(bytesOf(want.userDense, 3, 2)));
  };
  const first = rows(1, 1_700_000_000_123);
  assert.deepEqual(await store.write('stored', first), { users: 5, items: 2, asOf: first.asOf });
  await check(first);
  const second = rows(-2, 1_700_000_999_000);
  await store.write('stored', second);
  await check(second);
  // A write of some rows leaves the others as they were.
  await store.write('stored', { ...rows(4, 1_800_000_000_000), userIds: ['plain'], handsetMakers: ['later'], userDense: new Float32Array(2), itemIds: [], itemRates: new Float32Array(0) });
  const kept = await store.users('stored', ['u\tab', 'plain']);
  assert.equal(kept.get('u\tab')!.asOf, second.asOf);
  assert.equal(kept.get('plain')!.handsetMaker, 'later');
});
