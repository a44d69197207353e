import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { decodeItemFile, decodeViewFile, encodeItemFile, encodeViewFile, readViewFileInto, VIEW_FILE_COLUMNS } from './log-file';
import { readViewFile } from './view-file-reader';
import { ViewRunBuilder, type ViewRun } from './view-run';
import { EventLogBuilder, type ItemRecord, type ViewRecord } from './events';
import { Rng } from './rng';

const view = (k: number, over: Partial<ViewRecord> = {}): ViewRecord => ({
  user_id: `u${k % 3}`, item_id: `v${k % 5}`, creator_id: `c${k % 2}`, ts: 1_700_000_000_000 + 1000 * Math.floor(k / 2), language: 'hi',
  video_length_s: k % 4 === 0 ? null : 10 + k, timespent_s: k / 3, liked: k % 2 === 0, shared: k % 3 === 0, downloaded: k % 5 === 0, handset_maker: 'vivo', ...over,
});

test('a run of views round-trips through a view file, value for value (nulls, flags, non-ASCII ids, float32 times spent)', async () => {
  const b = new ViewRunBuilder();
  const views = Array.from({ length: 40 }, (_, k) => view(k, k === 7 ? { user_id: 'ユーザー,"7"', handset_maker: 'tab\there' } : {}));
  views.forEach((v, k) => b.add(v, k % 2 ? k / 7 : null));
  const run = b.take();
  const back = await decodeViewFile(await encodeViewFile(run));
  assert.equal(back.n, 40);
  for (let k = 0; k < 40; k++) {
    const v = views[k];
    assert.equal(back.userIds[back.user[k]], v.user_id);
    assert.equal(back.itemIds[back.item[k]], v.item_id);
    assert.equal(back.creatorIds[back.creator[k]], v.creator_id);
    assert.equal(back.languages[back.language[k]], 'hi');
    assert.equal(back.handsets[back.handset[k]], v.handset_maker);
    assert.equal(back.ts[k], v.ts);
    assert.ok(Object.is(back.lengthS[k], v.video_length_s === null ? Number.NaN : Math.fround(v.video_length_s)), `length of row ${k}`);
    assert.equal(back.timespentS[k], Math.fround(v.timespent_s));
    assert.equal(back.flags[k], (v.liked ? 1 : 0) | (v.shared ? 2 : 0) | (v.downloaded ? 4 : 0));
    assert.ok(Object.is(back.affinity[k], k % 2 ? Math.fround(k / 7) : Number.NaN), `affinity of row ${k}`);
  }
});

test('the builder sorts by time and keeps arrival order among equal times; an unsorted run is refused by the encoder', async () => {
  const b = new ViewRunBuilder();
  // Arrival order: ts 3 (a), 1 (b), 3 (c), 1 (d): sorted stably that is b, d, a, c.
  [['a', 3], ['b', 1], ['c', 3], ['d', 1]].forEach(([u, t]) => b.add(view(0, { user_id: u as string, ts: t as number })));
  const run = b.take();
  assert.deepEqual(Array.from(run.user, (i) => run.userIds[i]), ['b', 'd', 'a', 'c']);
  assert.equal(b.size, 0, 'take starts a new run');
  const log = new EventLogBuilder(2);
  assert.equal(await readViewFileInto(await encodeViewFile(run), log, 3), 2, 'only ts < beforeTs');
  assert.deepEqual(log.finish().userIds, ['b', 'd']);
  const unsorted = { ...run, ts: Float64Array.from([2, 1, 3, 3]) };
  await assert.rejects(encodeViewFile(unsorted), /row 1 .*sort the run by ts/);
});

test('a view file declares the open layout: its columns in order, ts as a UTC millisecond timestamp, compressed pages', async () => {
  const b = new ViewRunBuilder();
  for (let k = 0; k < 10; k++) b.add(view(k));
  const bytes = await encodeViewFile(b.take());
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  assert.deepEqual(meta.schema.slice(1).map((s) => s.name), [...VIEW_FILE_COLUMNS]);
  const tsEl = meta.schema.find((s) => s.name === 'ts')!;
  assert.deepEqual(tsEl.logical_type, { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
  assert.equal(Number(meta.num_rows), 10);
  assert.ok(meta.row_groups[0].columns.every((c) => c.meta_data?.codec === 'GZIP'), 'a small file is compressed whole');
});

/**
 * A seeded run shaped like a real log: ids drawn from pools (so dictionaries differ between row groups), a
 * handset per user, lengths per item with some unknown, times with gaps from 0 ms to years (deltas wider than
 * 32 bits), and affinity on some views only.
 */
function randomRun(n: number, seed: number, pools = { users: 300, items: 80 }): ViewRun {
  const rng = new Rng(seed);
  const b = new ViewRunBuilder();
  const makers = ['xiaomi', 'samsung', 'vivo', 'Ünïcode ✓'];
  let ts = -86_400_000 * 400 + rng.int(1000);
  for (let k = 0; k < n; k++) {
    const gap = rng.next();
    ts += gap < 0.2 ? 0 : gap < 0.9 ? rng.int(5000) : gap < 0.98 ? rng.int(2 ** 26) : Math.floor(rng.next() * 2 ** 40);
    const u = rng.int(pools.users);
    const i = rng.int(pools.items);
    b.add({
      user_id: `user-${u}-${'x'.repeat(u % 7)}`, item_id: `v${i}`, creator_id: `c${i % 9}`, ts, language: i % 5 === 0 ? 'ta' : 'hi',
      video_length_s: i % 11 === 0 ? null : 3 + (i % 37) * 1.5, timespent_s: rng.next() * 300, liked: rng.next() < 0.1, shared: rng.next() < 0.02,
      downloaded: rng.next() < 0.01, handset_maker: makers[u % makers.length],
    }, rng.next() < 0.5 ? rng.normal() : null);
  }
  return b.take();
}

/** Asserts that two runs hold the same views row for row (ids through their dictionaries, floats bit for bit). */
function assertSameRun(got: ViewRun, want: ViewRun): void {
  assert.equal(got.n, want.n);
  const columns: [string, (r: ViewRun, k: number) => unknown][] = [
    ['user_id', (r, k) => r.userIds[r.user[k]]], ['item_id', (r, k) => r.itemIds[r.item[k]]], ['creator_id', (r, k) => r.creatorIds[r.creator[k]]],
    ['language', (r, k) => r.languages[r.language[k]]], ['handset_maker', (r, k) => r.handsets[r.handset[k]]], ['ts', (r, k) => r.ts[k]],
    ['video_length_s', (r, k) => r.lengthS[k]], ['timespent_s', (r, k) => r.timespentS[k]], ['flags', (r, k) => r.flags[k]], ['affinity', (r, k) => r.affinity[k]],
  ];
  for (const [name, at] of columns) {
    for (let k = 0; k < want.n; k++) if (!Object.is(at(got, k), at(want, k))) assert.fail(`${name} of row ${k}: ${String(at(got, k))}, ${String(at(want, k))} expected`);
  }
}

test('runs of 0, 1, 300 and 5,000 views round-trip, with row groups of 1 to 4,999 rows and timestamp gaps of years', async () => {
  for (const [n, groups] of [[0, [7]], [1, [1, 7]], [300, [7]], [5000, [1024, 4999]]] as const) {
    const run = randomRun(n, n + 1);
    for (const rowGroup of groups) {
      const bytes = await encodeViewFile(run, { rowGroup });
      const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      assert.equal(meta.row_groups.length, Math.ceil(n / rowGroup), `${n} views in groups of ${rowGroup}`);
      assertSameRun(await decodeViewFile(bytes), run);
    }
  }
});

test('an independent reader (hyparquet) reads the codec\'s files value for value, over several row groups with nulls', async () => {
  const run = randomRun(3000, 5);
  const bytes = await encodeViewFile(run, { rowGroup: 1000 });
  const rows = await parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)) },
  });
  assert.equal(rows.length, run.n);
  rows.forEach((r, k) => {
    const f32 = (x: number) => (Number.isNaN(x) ? null : x);
    assert.deepEqual(
      [r.user_id, r.item_id, r.creator_id, Number((r.ts as Date).getTime()), r.language, r.video_length_s, r.timespent_s, r.liked, r.shared, r.downloaded, r.handset_maker, r.affinity],
      [run.userIds[run.user[k]], run.itemIds[run.item[k]], run.creatorIds[run.creator[k]], run.ts[k], run.languages[run.language[k]], f32(run.lengthS[k]),
        run.timespentS[k], (run.flags[k] & 1) > 0, (run.flags[k] & 2) > 0, (run.flags[k] & 4) > 0, run.handsets[run.handset[k]], f32(run.affinity[k])],
      `row ${k}`);
  });
});

test('a chunk is compressed only where GZIP saves: packed time deltas stay raw, floats, flags and a large id dictionary are compressed', async () => {
  const rng = new Rng(4);
  let t = 1_700_000_000_000;
  // Views arriving at random, ~500 ms apart, as in a busy market: their time deltas are near random bits.
  const run = { ...randomRun(60_000, 9, { users: 20_000, items: 5000 }), ts: Float64Array.from({ length: 60_000 }, () => (t += Math.floor(-Math.log(1 - rng.next()) * 500))) };
  const bytes = await encodeViewFile(run);
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const codec = new Map(meta.row_groups[0].columns.map((c) => [c.meta_data!.path_in_schema[0], c.meta_data!.codec]));
  assert.equal(codec.get('ts'), 'UNCOMPRESSED');
  for (const name of ['user_id', 'timespent_s', 'liked', 'language', 'affinity']) assert.equal(codec.get(name), 'GZIP', name);
  assertSameRun(await decodeViewFile(bytes), run);
});

test('files from another writer (hyparquet-writer: version-2 pages, PLAIN strings) are read by the fast reader, SNAPPY ones through the general reader', async () => {
  const run = randomRun(700, 3);
  const ids = (idx: Int32Array, dict: string[]) => Array.from(idx, (i) => dict[i]);
  const opt = (a: Float32Array) => Array.from(a, (x) => (Number.isNaN(x) ? null : x));
  const columnData = [
    { name: 'user_id', data: ids(run.user, run.userIds), type: 'STRING' }, { name: 'item_id', data: ids(run.item, run.itemIds), type: 'STRING' },
    { name: 'creator_id', data: ids(run.creator, run.creatorIds), type: 'STRING' }, { name: 'ts', data: Array.from(run.ts, (t) => new Date(t)), type: 'TIMESTAMP' },
    { name: 'language', data: ids(run.language, run.languages), type: 'STRING' }, { name: 'video_length_s', data: opt(run.lengthS), type: 'FLOAT' },
    { name: 'timespent_s', data: run.timespentS, type: 'FLOAT', nullable: false },
    ...(['liked', 'shared', 'downloaded'] as const).map((name, b) => ({ name, data: Array.from(run.flags, (f) => (f & (1 << b)) > 0), type: 'BOOLEAN', nullable: false })),
    { name: 'handset_maker', data: ids(run.handset, run.handsets), type: 'STRING' }, { name: 'affinity', data: opt(run.affinity), type: 'FLOAT' },
  ] as Parameters<typeof parquetWriteBuffer>[0]['columnData'];
  const plain = new Uint8Array(parquetWriteBuffer({ columnData, codec: 'UNCOMPRESSED', rowGroupSize: 300 }));
  const chunks = parquetMetadata(plain.buffer as ArrayBuffer).row_groups[0].columns.map((c) => c.meta_data!);
  assert.deepEqual(chunks.find((c) => c.path_in_schema[0] === 'user_id')?.encodings, ['PLAIN'], 'ids that do not repeat are PLAIN strings');
  assert.ok(chunks.every((c) => c.encoding_stats?.some((e) => e.page_type === 'DATA_PAGE_V2')), 'version-2 data pages');
  assertSameRun(readViewFile(plain), run);
  const snappy = new Uint8Array(parquetWriteBuffer({ columnData, codec: 'SNAPPY', rowGroupSize: 300 }));
  assert.throws(() => readViewFile(snappy), /compression codec 1/);
  assertSameRun(await decodeViewFile(snappy), run);
});

test('a truncated or foreign file is refused with a message that says what is wrong', async () => {
  const bytes = await encodeViewFile(randomRun(50, 2));
  await assert.rejects(decodeViewFile(bytes.subarray(0, bytes.length - 10)), /not a Parquet file/);
  await assert.rejects(decodeViewFile(new TextEncoder().encode('user_id,item_id\nu1,v1\n')), /not a Parquet file/);
  const broken = bytes.slice();
  broken.fill(0xff, 4, 40);
  await assert.rejects(decodeViewFile(broken), /view file|thrift|parquet/);
});

test('items round-trip through an item file, the content vector as a list of floats', async () => {
  const items: ItemRecord[] = [
    { item_id: 'v1', creator_id: 'c1', language: 'hi', created_at: 1_690_000_000_000, video_length_s: 12.5, embedding: [0.5, -0.25, 1] },
    { item_id: 'v2', creator_id: 'c2', language: 'ta', created_at: null, video_length_s: null, embedding: [0, 0, 0] },
  ];
  assert.deepEqual(await decodeItemFile(await encodeItemFile(items)), items);
});
