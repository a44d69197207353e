// The bulk view load on real Postgres: the staging-table path is idempotent (within a batch and across loads),
// a bulk load that drops the secondary indexes puts them back (also when it fails half way), and the rows read
// back in time order are the rows written.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { openDatabase } from '../../registry/data-source';
import { createTestDatabase } from '../helpers/platform';
import type { ViewRecord } from '../../ml/data/events';
import { ensureSource, insertViews, loadLog, viewKey, ViewWriter } from '../../services/feature/event-store';

let db: Awaited<ReturnType<typeof openDatabase>>;
let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

before(async () => {
  tdb = await createTestDatabase('mo_evstore');
  db = await openDatabase(tdb.url);
  pool = db.pool;
  await ensureSource(pool, { source: 's', format: 'synthetic', timezone: 'UTC', language: 'en', dim: 2 });
});
after(async () => { await db?.close(); await tdb?.drop(); });

const view = (k: number): ViewRecord => ({
  user_id: `u${k % 7}`, item_id: `v${k % 11}`, creator_id: `c${k % 3}`, ts: 1_700_000_000_000 + k * 1000, language: 'en',
  video_length_s: k % 5 === 0 ? null : 10 + (k % 4), timespent_s: k % 9, liked: k % 2 === 0, shared: k % 3 === 0, downloaded: false, handset_maker: 'h\\x',
});
const indexes = async () => (await pool.query("SELECT indexname FROM pg_indexes WHERE tablename = 'view_events' ORDER BY 1")).rows.map((r) => r.indexname as string);
const ALL = ['view_events_item', 'view_events_pkey', 'view_events_row_key_key', 'view_events_source_ts', 'view_events_user'];

test('a bulk load drops the secondary indexes past its threshold, rebuilds them, and a reload adds nothing', async () => {
  const w = new ViewWriter(pool, 's', 100, { bulk: true, bulkMinRows: 200 });
  let dropped = false;
  for (let k = 0; k < 1000; k++) {
    await w.add({ view: view(k), key: viewKey('s', view(k)), affinity: k / 1000 });
    if ((await indexes()).length < ALL.length) dropped = true;
  }
  await w.flush();
  assert.equal(dropped, true, 'the secondary indexes were dropped during the load');
  assert.deepEqual(await indexes(), ALL);
  assert.deepEqual([w.inserted, w.duplicates], [1000, 0]);
  const again = new ViewWriter(pool, 's', 100, { bulk: true, bulkMinRows: 200 });
  for (let k = 0; k < 1000; k++) await again.add({ view: view(k), key: viewKey('s', view(k)) });
  await again.flush();
  assert.deepEqual([again.inserted, again.duplicates], [0, 1000]);
  // The same row twice in one batch is stored once; a new one is added.
  const r = await insertViews(pool, 's', [1000, 1000, 5].map((k) => ({ view: view(k), key: viewKey('s', view(k)) })));
  assert.deepEqual(r, { inserted: 1, duplicates: 2 });
  const log = await loadLog(pool, { source: 's', format: '', timezone: 'UTC', language: 'en', dim: 2 });
  assert.equal(log.n, 1001);
  // Row 0: u0, v0, length unknown (k % 5 == 0), 0 s watched, liked; the backslash in the handset survives COPY.
  assert.deepEqual([log.userIds[log.user[0]], log.itemIds[log.item[0]], log.ts[0], Number.isNaN(log.lengthS[0]), log.flags[0], log.handsets[log.handset[0]]],
    ['u0', 'v0', 1_700_000_000_000, true, 1 | 2, 'h\\x']);
  assert.ok(log.ts.every((t, k) => k === 0 || t >= log.ts[k - 1]));
});

test('a bulk load that fails after dropping the indexes restores them on close', async () => {
  const w = new ViewWriter(pool, 's', 100, { bulk: true, bulkMinRows: 100 });
  // About 1,000 views are stored already: past 500 new ones (half of them) the load drops the indexes.
  for (let k = 2000; k < 2800; k++) await w.add({ view: view(k), key: viewKey('s', view(k)) });
  assert.deepEqual(await indexes(), ['view_events_pkey', 'view_events_row_key_key'], 'dropped before the failure');
  // A row the table refuses (negative watch time breaks its CHECK) fails its batch.
  const bad = { ...view(9999), timespent_s: -1 };
  await assert.rejects(async () => {
    for (let k = 0; k < 100; k++) await w.add({ view: bad, key: viewKey('s', { ...bad, ts: bad.ts + k }) });
    await w.flush();
  }, /timespent_s_check|check constraint/);
  await w.close();
  assert.deepEqual(await indexes(), ALL);
});
