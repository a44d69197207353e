import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parquetMetadata } from 'hyparquet';
import { decodeItemFile, decodeViewFile, encodeItemFile, encodeViewFile, readViewFileInto, VIEW_FILE_COLUMNS } from './log-file';
import { ViewRunBuilder } from './view-run';
import { EventLogBuilder, type ItemRecord, type ViewRecord } from './events';

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
  assert.ok(meta.row_groups[0].columns.every((c) => c.meta_data?.codec === 'GZIP'));
});

test('items round-trip through an item file, the content vector as a list of floats', async () => {
  const items: ItemRecord[] = [
    { item_id: 'v1', creator_id: 'c1', language: 'hi', created_at: 1_690_000_000_000, video_length_s: 12.5, embedding: [0.5, -0.25, 1] },
    { item_id: 'v2', creator_id: 'c2', language: 'ta', created_at: null, video_length_s: null, embedding: [0, 0, 0] },
  ];
  assert.deepEqual(await decodeItemFile(await encodeItemFile(items)), items);
});
