// The event log on real Postgres and a real S3 server (s3rver): a batch becomes one Hive-partitioned Parquet file
// per market day, visible once its manifest row commits; a batch stored twice adds nothing; staged files merge
// into one per day without changing what a reader sees (time order, arrival order among equal times); an object
// without a manifest row is invisible and the garbage collection removes it. The compactor's triggers: after a
// batch once a source has STAGED_FILES_MAX staged files, and the timed sweep of sources with old staged files.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { openDatabase, type Database } from '../../registry/data-source';
import { S3ArtifactStore } from '../../registry/artifact-store';
import { EmbeddedS3 } from '../../services/common/embedded';
import { createTestDatabase } from '../helpers/platform';
import { EventLogBuilder, type EventLog, type ViewRecord } from '../../ml/data/events';
import { ViewRunBuilder } from '../../ml/data/view-run';
import { encodeViewFile } from '../../ml/data/log-file';
import { PgEventLogStore, viewDayPrefix } from '../../registry/event-log';
import { collectGarbage } from '../../registry/garbage';
import { LogWriter } from '../../services/feature/log-writer';
import { Compactor, STAGED_FILES_MAX } from '../../services/feature/compactor';

let db: Database;
let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let s3: EmbeddedS3;
let s3Dir: string;
let artifacts: S3ArtifactStore;
let store: PgEventLogStore;

before(async () => {
  tdb = await createTestDatabase('mo_evlog');
  db = await openDatabase(tdb.url);
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-evlog-'));
  s3 = new EmbeddedS3(s3Dir, pino({ level: 'silent' }));
  const endpoint = await s3.start('modelops');
  artifacts = new S3ArtifactStore({ endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' });
  store = new PgEventLogStore(db.pool, artifacts);
});
after(async () => {
  await db?.close();
  await tdb?.drop();
  await s3?.stop();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

// 2024-01-01T00:00:00Z is 05:30 on Jan 1 in Kolkata; 20 hours later it is 01:30 on Jan 2 there.
const T0 = Date.parse('2024-01-01T00:00:00Z');
const HOUR = 3_600_000;
const view = (k: number, over: Partial<ViewRecord> = {}): ViewRecord => ({
  user_id: `u${k % 7}`, item_id: `v${k % 11}`, creator_id: `c${k % 3}`, ts: T0 + k * HOUR, language: 'hi',
  video_length_s: k % 5 === 0 ? null : 10 + (k % 4), timespent_s: k % 9, liked: k % 2 === 0, shared: k % 3 === 0, downloaded: false, handset_maker: 'h\\x', ...over,
});
const runOf = (views: ViewRecord[]) => {
  const b = new ViewRunBuilder();
  for (const v of views) b.add(v);
  return b.take();
};
const read = async (source: string, beforeTs?: number): Promise<EventLog> => {
  const b = new EventLogBuilder(2);
  await store.read(source, b, beforeTs);
  return b.finish();
};
const users = (log: EventLog) => Array.from(log.user.subarray(0, log.n), (u) => log.userIds[u]);

test('a batch is one file per market day under the Hive layout; it is read back in time order; the same batch again adds nothing', async () => {
  // Given out of order: the store sorts. Hours 0..19 are Jan 1 in Kolkata, 20..29 Jan 2.
  const views = Array.from({ length: 30 }, (_, k) => view(29 - k));
  const r = await store.append('s1', 'Asia/Kolkata', runOf(views), 'batch-a');
  assert.deepEqual(r, { added: 30, alreadyStored: 0, files: 2 });
  const keys = await artifacts.list('events/views/source=s1/');
  assert.equal(keys.length, 2);
  assert.ok(keys[0].startsWith(viewDayPrefix('s1', '2024-01-01')) && keys[1].startsWith(viewDayPrefix('s1', '2024-01-02')), keys.join());
  assert.ok(keys.every((k) => /\/day=\d{4}-\d{2}-\d{2}\/[0-9a-z]+-[0-9a-f]{12}\.parquet$/.test(k)));
  const log = await read('s1');
  assert.equal(log.n, 30);
  assert.deepEqual(Array.from(log.ts), Array.from({ length: 30 }, (_, k) => T0 + k * HOUR));
  // Row 0: u0, v0, length unknown (k % 5 == 0), 0 s watched, liked and shared; the backslash in the handset survives.
  assert.deepEqual([log.userIds[log.user[0]], log.itemIds[log.item[0]], Number.isNaN(log.lengthS[0]), log.flags[0], log.handsets[log.handset[0]]],
    ['u0', 'v0', true, 1 | 2, 'h\\x']);
  assert.deepEqual(await store.append('s1', 'Asia/Kolkata', runOf(views), 'batch-a'), { added: 0, alreadyStored: 30, files: 0 });
  assert.equal((await artifacts.list('events/views/source=s1/')).length, 2, 'nothing written for a stored batch');
  assert.equal((await read('s1', T0 + 10 * HOUR)).n, 10, 'ts < beforeTs only');
  assert.equal(await store.newestTs('s1'), T0 + 29 * HOUR);
  assert.deepEqual(await store.stats('s1'), { files: 2, stagedFiles: 2, rows: 30, bytes: (await store.stats('s1')).bytes });
});

test('staged batches merge into one file per day; readers see the same views in the same order before and after', async () => {
  // Three batches of one day whose times interleave, with equal times across batches: arrival order breaks ties.
  const batches = [0, 1, 2].map((b) => Array.from({ length: 5 }, (_, k) => view(k, { user_id: `b${b}-${k}`, ts: T0 + (2 * k + (b === 1 ? 1 : 0)) * 60_000 })));
  for (const [b, vs] of batches.entries()) await store.append('s2', 'UTC', runOf(vs), `b${b}`, { staged: true });
  const before = await read('s2');
  // t=0: b0-0, b2-0 (b0 first), t=1min: b1-0, t=2min: b0-1, b2-1, ...
  assert.deepEqual(users(before).slice(0, 6), ['b0-0', 'b2-0', 'b1-0', 'b0-1', 'b2-1', 'b1-1']);
  // read merges a day's files straight into the builder; scan hands out the merged run: the same order, and the
  // same views when both cut at a time inside the day.
  const scanned: string[] = [];
  await store.scan('s2', (_day, run) => { for (let k = 0; k < run.n; k++) scanned.push(run.userIds[run.user[k]]); });
  assert.deepEqual(scanned, users(before));
  assert.deepEqual(users(await read('s2', T0 + 4 * 60_000)), users(before).slice(0, 6), 'ts < beforeTs: the six views of t = 0..3 min');
  const old = await artifacts.list('events/views/source=s2/');
  assert.equal(old.length, 3);
  assert.deepEqual(await store.compact('s2'), { merged: 3, written: 1 });
  const now = await artifacts.list('events/views/source=s2/');
  assert.equal(now.length, 1, 'the replaced files are removed');
  assert.ok(!old.includes(now[0]));
  assert.deepEqual(users(await read('s2')), users(before));
  assert.deepEqual(await store.compact('s2'), { merged: 0, written: 0 }, 'nothing left to merge');
});

test('compactions racing with appends and with each other (two stores, as two processes) lose no view', async () => {
  // Each round stages a batch and starts a compaction on either store without waiting: compactions overlap each
  // other and later appends. Whatever interleaving happens, every staged view stays in the log exactly once.
  const other = new PgEventLogStore(db.pool, artifacts);
  const compactions: Promise<unknown>[] = [];
  for (let b = 0; b < 12; b++) {
    await store.append('s5', 'UTC', runOf(Array.from({ length: 4 }, (_, k) => view(k, { user_id: `r${b}-${k}`, ts: T0 + (b * 4 + k) * 60_000 }))), `r${b}`, { staged: true });
    compactions.push((b % 2 ? other : store).compact('s5'));
  }
  await Promise.all(compactions);
  await store.compact('s5');
  const log = await read('s5');
  assert.equal(log.n, 48);
  assert.equal(new Set(users(log)).size, 48);
  assert.deepEqual(await store.stats('s5'), { files: 1, stagedFiles: 0, rows: 48, bytes: (await store.stats('s5')).bytes });
  assert.equal((await artifacts.list('events/views/source=s5/')).length, 1, 'no object of a lost swap is left behind');
});

test('an append after another puts its files at once and commits after it; when the one before fails, it commits nothing and leaves no file', async () => {
  const views = (b: string) => Array.from({ length: 4 }, (_, k) => view(k, { user_id: `${b}-${k}` }));
  let release!: () => void;
  const earlier = new Promise<void>((r) => { release = r; });
  const later = store.append('after', 'UTC', runOf(views('late')), 'late', { after: earlier });
  // Its object is put while the batch before it is not committed; its manifest row waits.
  for (let k = 0; k < 200 && (await artifacts.list('events/views/source=after/')).length === 0; k++) await new Promise((r) => setTimeout(r, 20));
  assert.equal((await artifacts.list('events/views/source=after/')).length, 1, 'the file is put before the batch before it commits');
  assert.equal((await store.stats('after')).rows, 0, 'nothing committed yet');
  await store.append('after', 'UTC', runOf(views('early')), 'early');
  release();
  assert.deepEqual(await later, { added: 4, alreadyStored: 0, files: 1 });
  const seqs = await db.pool.query<{ rows: number; seq: string }>("SELECT rows, seq FROM event_log_files WHERE source = 'after' ORDER BY seq");
  assert.equal(seqs.rows.length, 2);
  assert.deepEqual(users(await read('after')).slice(0, 2), ['early-0', 'late-0'], 'equal times: the earlier commit first');

  const failed = store.append('after', 'UTC', runOf(views('never')), 'never', { after: Promise.reject(new Error('the batch before failed')) });
  await assert.rejects(failed, /the batch before failed/);
  assert.equal((await store.stats('after')).rows, 8);
  assert.equal((await artifacts.list('events/views/source=after/')).length, 2, 'its file is removed');
  assert.equal(await store.hasBatch('after', 'never'), false);
});

test('an object without a manifest row is invisible, and the garbage collection removes it after the grace period', async () => {
  const orphan = `${viewDayPrefix('s3', '2024-01-01')}orphan.parquet`;
  await artifacts.put(orphan, Buffer.from(await encodeViewFile(runOf([view(1)]))));
  await store.append('s3', 'UTC', runOf([view(2)]), 'kept');
  assert.equal((await read('s3')).n, 1);
  await new Promise((r) => setTimeout(r, 2100));
  const report = await collectGarbage(db, artifacts, { graceSeconds: 1, actor: 'test' });
  assert.deepEqual(report.garbage.filter((g) => g.kind === 'event-log').map((g) => g.key), [orphan]);
  assert.equal(await artifacts.exists(orphan), false);
  assert.equal((await read('s3')).n, 1, 'the referenced file stays');
  assert.equal(await store.deleteSource('s3'), 1);
  assert.equal((await read('s3')).n, 0);
});

test('a bulk writer stores a batch per market day, keyed by content: loading the same views again adds nothing', async () => {
  const load = async () => {
    const w = new LogWriter(store, 's4', 'UTC', 300);
    for (let k = 0; k < 1000; k++) await w.add(view(k), k / 1000);
    await w.flush();
    return [w.added, w.alreadyStored];
  };
  assert.deepEqual(await load(), [1000, 0]);
  assert.deepEqual(await load(), [0, 1000]);
  const b = new ViewRunBuilder();
  await store.scan('s4', (_d, run) => { for (let k = 0; k < run.n; k++) b.addFrom(run, k); });
  const all = b.take();
  assert.equal(all.n, 1000);
  assert.ok(Math.abs(all.affinity[999] - 0.999) < 1e-6, 'the affinity is kept');
});

test('a bulk writer goes on while three batches are being stored and waits at the fourth; the batches commit in the order sent', async () => {
  let open!: () => void;
  const gate = new Promise<void>((r) => { open = r; });
  const gated: PgEventLogStore = Object.create(store);
  gated.append = async (...a) => { await gate; return store.append(...a); };
  const w = new LogWriter(gated, 's-ahead', 'UTC', 10);
  // Views of one day in time order, 10 a batch: a batch is sent at every tenth view.
  const waits: boolean[] = [];
  for (let k = 0; k < 40; k++) {
    const v = view(k, { user_id: `a${k}`, ts: T0 + k * 60_000 });
    const wait = w.addIds(w.users.add(v.user_id), w.items.add(v.item_id), w.creators.add(v.creator_id), w.languages.add(v.language),
      w.handsets.add(v.handset_maker), v.ts, 10, 1, 0, Number.NaN);
    if (k % 10 === 9) waits.push(wait !== undefined && (await Promise.race([wait.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))])) === true);
  }
  assert.deepEqual(waits, [true, true, true, false], 'the first three sends go on at once; the fourth waits for the first batch');
  open();
  await w.flush();
  assert.equal(w.added, 40);
  const files = await db.pool.query<{ min_ts: string }>("SELECT min_ts FROM event_log_files WHERE source = 's-ahead' ORDER BY seq");
  assert.deepEqual(files.rows.map((r) => Number(r.min_ts)), [0, 10, 20, 30].map((k) => T0 + k * 60_000));
});

/** Stores one staged batch of one view (view k of a source, all on the same market day). */
const appendOne = async (source: string, k: number) => {
  const b = new ViewRunBuilder();
  b.add({ user_id: `u${k % 3}`, item_id: `v${k}`, creator_id: 'c', ts: T0 + k * 1000, language: 'hi', video_length_s: 10, timespent_s: k,
    liked: false, shared: false, downloaded: false, handset_maker: 'h' });
  await store.append(source, 'Asia/Kolkata', b.take(), `${source}-${k}`, { staged: true });
};

test('a batch compacts its source only once the source has STAGED_FILES_MAX staged files', async () => {
  const compactor = new Compactor(store, pino({ level: 'silent' }));
  for (let k = 0; k < STAGED_FILES_MAX - 1; k++) await appendOne('few', k);
  compactor.afterAppend('few');
  await compactor.stop();
  assert.equal((await store.stats('few')).stagedFiles, STAGED_FILES_MAX - 1);

  await appendOne('few', STAGED_FILES_MAX - 1);
  const before = await read('few');
  compactor.afterAppend('few');
  await compactor.stop();
  const s = await store.stats('few');
  assert.deepEqual({ staged: s.stagedFiles, files: s.files, rows: s.rows }, { staged: 0, files: 1, rows: STAGED_FILES_MAX });
  assert.deepEqual(await read('few'), before);
});

test('the sweep merges the sources whose staged files are older than its age, and no other', async () => {
  const compactor = new Compactor(store, pino({ level: 'silent' }));
  await appendOne('aged', 0);
  await appendOne('aged', 1);
  await appendOne('merged', 0);
  await store.compact('merged');
  assert.deepEqual(await store.sourcesStagedBefore(3600), [], 'nothing is an hour old');
  assert.deepEqual(await compactor.sweep(3600), []);
  assert.equal((await store.stats('aged')).stagedFiles, 2);

  await new Promise((r) => setTimeout(r, 20));
  // 'merged' has no staged file left, and 'few' (the test above) neither (other tests' sources may have some).
  const ours = (sources: string[]) => sources.filter((s) => ['aged', 'merged', 'few'].includes(s));
  assert.deepEqual(ours(await store.sourcesStagedBefore(0)), ['aged']);
  const before = await read('aged');
  assert.deepEqual(ours(await compactor.sweep(0)), ['aged']);
  assert.equal((await store.stats('aged')).stagedFiles, 0);
  assert.deepEqual(await read('aged'), before);
  await compactor.stop();
});
