import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ITEM_FILE_COLUMNS, VIEW_FILE_COLUMNS, itemLine, parseItemFile, parseViewFile, viewLine } from './modelops-format';
import { newCounts } from './kuairand';
import type { ItemRecord, ViewRecord } from './events';

async function* lines(xs: string[]) { for (const x of xs) yield x; }

test('items and views round-trip through the file format', async () => {
  const it: ItemRecord = { item_id: 'v1', creator_id: 'c,1', language: 'hi', created_at: 1700000000000, video_length_s: 12.5, embedding: [0.5, -0.25] };
  const v: ViewRecord = { user_id: 'u1', item_id: 'v1', creator_id: 'c,1', ts: 1700000001000, language: 'hi', video_length_s: null, timespent_s: 3.5,
    liked: true, shared: false, downloaded: true, handset_maker: 'vivo' };
  const items: ItemRecord[] = [];
  const views: ViewRecord[] = [];
  const tally = newCounts();
  await parseItemFile(lines([ITEM_FILE_COLUMNS.join(','), itemLine(it)]), { file: 'items.csv', dim: 2, language: 'x' }, tally, (x) => { items.push(x); });
  await parseViewFile(lines([VIEW_FILE_COLUMNS.join(','), viewLine(v)]), { file: 'views.csv', language: 'x' }, tally, (x) => { views.push(x); });
  assert.deepEqual(items, [it]);
  assert.deepEqual(views, [v]);
});

test('bad rows are rejected with line and reason; the rest loads; a bad header fails the file', async () => {
  const tally = newCounts();
  const items: ItemRecord[] = [];
  await parseItemFile(lines([ITEM_FILE_COLUMNS.join(','), 'v1,c,hi,,10,1 0 0', 'v2,c,hi,,10,1 0', ',c,hi,,10,1 0 0', 'v3,c,hi,-4,10,1 0 0']),
    { file: 'items.csv', dim: 3, language: 'hi' }, tally, (x) => { items.push(x); });
  assert.deepEqual(items.map((i) => i.item_id), ['v1']);
  assert.deepEqual(tally.rejections.map((r) => [r.line, r.reason]), [
    [3, 'embedding has 2 values, the source\'s dimension is 3'], [4, 'item_id is missing'], [5, 'created_at "-4" is not a non-negative epoch-ms time'],
  ]);
  const views: ViewRecord[] = [];
  await parseViewFile(lines([VIEW_FILE_COLUMNS.join(','), 'u,v1,c,abc,hi,,1,0,0,0,x', 'u,v1,c,5,hi,,-1,0,0,0,x', 'u,v1,c,5,hi,,1,2,0,0,x', 'u,v1,c,5,hi,,1,1,0,0,x']),
    { file: 'views.csv', language: 'hi' }, tally, (x) => { views.push(x); });
  assert.equal(views.length, 1);
  assert.deepEqual(tally.rejections.slice(3).map((r) => r.reason), [
    'ts "abc" is not a positive epoch-ms time', 'timespent_s "-1" is not a non-negative number', 'liked, shared and downloaded must be 0/1 or true/false',
  ]);
  assert.equal(tally.counts.rows_rejected, 6);
  await assert.rejects(parseViewFile(lines(['user_id,item_id,colour']), { file: 'views.csv', language: 'hi' }, newCounts(), () => undefined),
    /views\.csv: line 1: .*missing columns: creator_id.*unknown columns: colour/);
});
