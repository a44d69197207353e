import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ITEM_FILE_COLUMNS, VIEW_FILE_COLUMNS, itemLine, parseItemFile, parseViewFile, viewLine } from './modelops-format';
import { parseViewBytes } from './modelops-bytes';
import { linesOf } from './csv';
import { newCounts } from './kuairand';
import { Vocab, type ItemRecord, type ViewRecord } from './events';

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

/** A sink that turns ids back into view records, as parseViewFile hands them out. */
function recordingSink() {
  const views: { v: ViewRecord; affinity: number | null }[] = [];
  const sink = {
    users: new Vocab(), items: new Vocab(), creators: new Vocab(), languages: new Vocab(), handsets: new Vocab(),
    addIds(u: number, i: number, c: number, l: number, h: number, ts: number, len: number, spent: number, flags: number, aff: number) {
      views.push({ v: { user_id: sink.users.ids[u], item_id: sink.items.ids[i], creator_id: sink.creators.ids[c], ts, language: sink.languages.ids[l],
        video_length_s: Number.isNaN(len) ? null : len, timespent_s: spent, liked: (flags & 1) !== 0, shared: (flags & 2) !== 0, downloaded: (flags & 4) !== 0,
        handset_maker: sink.handsets.ids[h] }, affinity: Number.isNaN(aff) ? null : aff });
      return undefined;
    },
  };
  return { sink, views };
}

async function* chunksOf(bytes: Buffer, size: number) { for (let k = 0; k < bytes.length; k += size) yield bytes.subarray(k, k + size); }

test('views parsed from bytes equal views parsed from lines: same rows, values, rejections and line numbers, at any chunk size', async () => {
  const text = [
    'user_id,item_id,creator_id,ts,language,video_length_s,timespent_s,liked,shared,downloaded,handset_maker,affinity',
    'u1,v1,c1,1700000000000,hi,12,3.25,1,0,1,vivo,0.1234567',
    'u1,v2,c2,1700000000001,hi,,0,0,0,0,xiaomi,-0.5',
    'u1,v2,,1700000000002,,0,7,0,1,0,,',
    '"u,2",v1,c1,1700000000003,hi,10,1.5,true,false,0,vivo,1e-7',
    ' u3 ,v1,c1,1700000000004,hi,10.000000000000001,2.5e1,0,0,0,apple,3',
    'u4,v1,c1,1700000000005,hi,10,1,0,0,0,apple\r',
    'u5,v1,c1,1700000000006,hi,10,1,0,0,0,apple,0.5\r\nu6,v1,c1,1700000000007,hi,10,1,0,0,0,apple,0.25\rü7,vé,c1,1700000000008,hi,10,1,0,0,0,apple,0.25',
    '',
    '   ',
    'u8,v1,c1,abc,hi,10,1,0,0,0,apple,0.5',
    'u8,v1,c1,0,hi,10,1,0,0,0,apple,0.5',
    'u8,v1,c1,5,hi,10,-1,0,0,0,apple,0.5',
    'u8,v1,c1,5,hi,.5,1,0,0,0,apple,0.5',
    'u8,v1,c1,5,hi,10,1,2,0,0,apple,0.5',
    'u8,,c1,5,hi,10,1,0,0,0,apple,0.5',
    `${'u'.repeat(201)},v1,c1,5,hi,10,1,0,0,0,apple,0.5`,
    'u8,v1,c1,5,hi,10,1,0,0,0,a\\b,0.5',
    'u8,v1,c1,5,hi,10,1,0,0,0,apple,x',
    'u9,v1,c1,1234567890123456,hi,10,1,0,0,0,apple,0.5',
    'u9,v1,c1,5,hi,10,1.0000000000000002,0,0,0,apple,0.5',
    'u9,v1,c1,5,hi,00010,0001.50,0,0,0,apple,-0',
    'u9,v1',
    'u10,v1,c1,5,hi,10,1,0,0,0,apple,0.5,extra',
    'u11,v9,c9,1700000000009,en,600,1799.999,1,1,1,nokia,0.987654',
  ].join('\n');
  const opts = { file: 'views.csv', language: 'hi' };
  const want: { v: ViewRecord; affinity: number | null }[] = [];
  const wantTally = newCounts();
  await parseViewFile(linesOf(chunksOf(Buffer.from(text), 1 << 20)), opts, wantTally, (v, affinity) => { want.push({ v, affinity }); });
  assert.equal(want.length, 12);
  assert.equal(wantTally.rejections.length, 12);
  for (const size of [1, 2, 7, 64, 1 << 20]) {
    const { sink, views } = recordingSink();
    const tally = newCounts();
    await parseViewBytes(chunksOf(Buffer.from(text), size), opts, tally, sink);
    assert.deepEqual(views, want, `chunks of ${size} bytes`);
    assert.deepEqual(tally, wantTally, `chunks of ${size} bytes`);
  }
  // The same without the optional column, in another column order, with a final newline.
  const cols = ['ts', ...VIEW_FILE_COLUMNS.filter((c) => c !== 'ts')];
  const lines2 = [cols.join(','), '1700000000000,u1,v1,c1,hi,12,3.25,1,0,1,vivo', '1700000000001,u2,v1,c1,hi,12,3.25,1,0,1,vivo,0.5', ''].join('\n');
  const want2: ViewRecord[] = [];
  const t2 = newCounts();
  await parseViewFile(linesOf(chunksOf(Buffer.from(lines2), 1 << 20)), opts, t2, (v) => { want2.push(v); });
  const { sink, views } = recordingSink();
  const got2 = newCounts();
  await parseViewBytes(chunksOf(Buffer.from(lines2), 5), opts, got2, sink);
  assert.deepEqual(views.map((x) => x.v), want2);
  assert.deepEqual(got2, t2);
});

test('ids of 1 to 40 bytes, many sharing their first 8 bytes, map to the strings and first-seen order of the line parser through table growth', async () => {
  // Values of at most 8 bytes are keyed by their bytes, longer ones by hash and arena: both kinds, and values that
  // differ only past byte 8 or by length (u1, u10, u100...), are interleaved in an order that revisits old ones.
  const ids = (k: number) => [`u${k}`, `abcdefgh${k}`, `${'x'.repeat(k % 9)}${k}`, k % 3 ? `${k}`.padStart(8, 'q') : `q${'z'.repeat(k % 40)}`];
  const rows: string[] = ['user_id,item_id,creator_id,ts,language,video_length_s,timespent_s,liked,shared,downloaded,handset_maker'];
  for (let k = 0; k < 6000; k++) {
    const j = k % 5 === 0 ? (k * 7919) % (k + 1) : k;
    const [u, i, c, h] = ids(j);
    rows.push(`${u},${i},${c},${1_700_000_000_000 + k},${h.slice(0, 8)},10,1,0,0,0,${h}`);
    // The same ids again in the next row (the value-before check), every fourth row.
    if (k % 4 === 0) rows.push(`${u},${i},${c},${1_700_000_000_000 + k},${h.slice(0, 8)},10,2,0,0,0,${h}`);
  }
  const text = rows.join('\n');
  const opts = { file: 'views.csv', language: 'hi' };
  const want: ViewRecord[] = [];
  await parseViewFile(linesOf(chunksOf(Buffer.from(text), 1 << 20)), opts, newCounts(), (v) => { want.push(v); });
  const { sink, views } = recordingSink();
  await parseViewBytes(chunksOf(Buffer.from(text), 4096), opts, newCounts(), sink);
  assert.equal(views.length, 7500);
  assert.deepEqual(views.map((x) => x.v), want);
  const firstSeen = (key: keyof ViewRecord) => [...new Set(want.map((v) => String(v[key])))];
  assert.deepEqual(sink.users.ids, firstSeen('user_id'));
  assert.deepEqual(sink.items.ids, firstSeen('item_id'));
  assert.deepEqual(sink.creators.ids, firstSeen('creator_id'));
  assert.deepEqual(sink.languages.ids, firstSeen('language'));
  assert.deepEqual(sink.handsets.ids, firstSeen('handset_maker'));
});
