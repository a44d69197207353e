// GenerateEvents draws its views in a worker thread (ml/data/synthetic-worker.ts): the view files, the catalogue and
// the online rows it stores must be those of the generator run on the main thread, view by view into the writer;
// the generator's errors still answer INVALID_ARGUMENT with their messages.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { startTestPlatform, rpcError, call, clientOf, type TestPlatform } from '../helpers/platform';
import { creatorId, HANDSETS, itemId, syntheticUsers, userId, type SyntheticParams } from '../../ml/data/synthetic';
import type { ItemRecord } from '../../ml/data/events';
import { PgEventLogStore } from '../../registry/event-log';
import { PgEventSourceStore } from '../../registry/event-source-store';
import { PgOnlineFeatureStore } from '../../registry/online-feature-store';
import { finishLoad, generate, keepWhenEmpty, type FeatureStores } from '../../services/feature/ingest';
import { LogWriter } from '../../services/feature/log-writer';
import { OnlineLogs } from '../../services/feature/online-log';

let tp: TestPlatform;

before(async () => {
  tp = await startTestPlatform({ services: ['feature'] });
});
after(async () => { await tp?.stop(); });

function storesOf(): FeatureStores {
  const pool = tp.platform.ctx.db.pool;
  const sources = new PgEventSourceStore(pool);
  const events = new PgEventLogStore(pool, tp.platform.ctx.artifacts);
  return { sources, events, onlineRows: new PgOnlineFeatureStore(pool), online: new OnlineLogs(sources, events) };
}

/** What generate did with the generator on the main thread: its users one by one into the writer. */
async function generateOnMain(stores: FeatureStores, p: SyntheticParams & { source: string; dim: number; timezone: string; language: string }) {
  const src = await stores.sources.ensure({ source: p.source, format: 'synthetic', timezone: p.timezone, language: p.language, dim: p.dim });
  const writer = new LogWriter(stores.events, src.source, src.timezone);
  await keepWhenEmpty(stores, src, writer);
  const items: ItemRecord[] = [];
  const itemIds = new Map<number, number>();
  const creatorIds = new Map<number, number>();
  const handsets = HANDSETS.map(([h]) => writer.handsets.add(h));
  const language = writer.languages.add(p.language);
  let first = true;
  for (const u of syntheticUsers(p, (it) => items.push(it))) {
    if (first) for (let k = 0; k < items.length; k += 5000) await stores.sources.upsertItems(src.source, items.slice(k, k + 5000));
    first = false;
    const user = writer.users.add(userId(u.user));
    for (let k = 0; k < u.n; k++) {
      const i = u.item[k];
      const c = u.creator[k];
      if (!itemIds.has(i)) itemIds.set(i, writer.items.add(itemId(i)));
      if (!creatorIds.has(c)) creatorIds.set(c, writer.creators.add(creatorId(c)));
      const wait = writer.addIds(user, itemIds.get(i)!, creatorIds.get(c)!, language, handsets[u.handset], u.ts[k], u.lengthS[k], u.timespentS[k], u.flags[k], u.affinity[k]);
      if (wait) await wait;
    }
  }
  const online = await finishLoad(stores, src, writer);
  return { views_inserted: writer.added, online_users: online.users, online_items: online.items };
}

async function stored(source: string) {
  const pool = tp.platform.ctx.db.pool;
  const files = await pool.query('SELECT day::text AS day, rows, sha256 FROM event_log_files WHERE source = $1 ORDER BY day, seq, id', [source]);
  const items = await storesOf().sources.listItems(source);
  const users = await pool.query('SELECT user_id, handset_maker, dense, as_of FROM online_user_features WHERE source = $1 ORDER BY user_id', [source]);
  const itemRows = await pool.query('SELECT item_id, rates, as_of FROM online_item_features WHERE source = $1 ORDER BY item_id', [source]);
  return { files: files.rows, items, users: users.rows, itemRows: itemRows.rows };
}

test('a generate stores the view files, catalogue and online rows of the generator run on the main thread', async () => {
  const stores = storesOf();
  // Several worker batches (32,768 views) and a time zone with a DST change inside the window.
  const p = { users: 1500, items: 700, days: 9, seed: 21, dim: 8, timezone: 'America/New_York', start: '2024-03-05', language: 'en', viewsPerDay: 6 };
  const got = await generate(stores, { ...p, source: 'in-worker' });
  const want = await generateOnMain(stores, { ...p, source: 'on-main' });
  assert.ok(want.views_inserted > 70_000, `${want.views_inserted} views`);
  assert.equal(got.counts.views_inserted, want.views_inserted);
  assert.equal(got.counts.views_generated, want.views_inserted);
  assert.equal(got.counts.online_users, want.online_users);
  assert.equal(got.counts.online_items, want.online_items);
  const a = await stored('in-worker');
  const b = await stored('on-main');
  assert.ok(b.files.length >= 9 && b.users.length > 1000 && b.itemRows.length > 500);
  assert.deepEqual(a, b);
});

test('GenerateEvents answers a date the generator cannot read with INVALID_ARGUMENT and the generator\'s message, and an unknown time zone before recording the source', async () => {
  const op = await tp.target('operator');
  const p = { users: 5, items: 5, days: 2, seed: 1, start: '2024-13-01' };
  let message = '';
  assert.throws(() => { for (const _ of syntheticUsers(p, () => undefined)) void _; }, (e: Error) => { message = e.message; return true; });
  const e = await rpcError(call(op, clientOf('FeatureService', op), 'GenerateEvents', { ...p, start_date: p.start, source: 'bad-date' }));
  assert.equal(e.code, status.INVALID_ARGUMENT);
  assert.equal(e.details, message);
  // A zone the clock does not know is refused before the source is recorded with it.
  const z = await rpcError(call(op, clientOf('FeatureService', op), 'GenerateEvents', { ...p, start_date: '', timezone: 'Mars/Olympus', source: 'bad-zone' }));
  assert.equal(z.code, status.INVALID_ARGUMENT);
  assert.match(z.details, /timezone: "Mars\/Olympus" is not an IANA time zone/);
  assert.equal((await tp.platform.ctx.db.pool.query("SELECT 1 FROM event_sources WHERE source = 'bad-zone'")).rowCount, 0);
});
