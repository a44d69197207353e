import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventLogBuilder, LIKED, type ViewRecord } from '../data/events';
import { buildDataset } from './build';
import { itemDayKey, loadItemDay, type ArtifactReader } from './dataset';
import { decodeItemDay, encodeItemDay, type ItemDayHeader, type ItemDayInputs } from './item-day';
import type { FeatureBatch, RowFacts } from './layout';
import { normAge } from './rates';
import * as crypto from 'node:crypto';

const at = (iso: string) => Date.parse(iso);
function view(item: string, creator: string, ts: string, spent: number, len: number, flags = 0): ViewRecord {
  return { user_id: 'u0', item_id: item, creator_id: creator, ts: at(ts), language: 'hi', video_length_s: len, timespent_s: spent,
    liked: (flags & LIKED) !== 0, shared: false, downloaded: false, handset_maker: 'vivo' };
}

// Market time zone Asia/Kolkata (UTC+05:30). Window 2024-01-01..05 local = [2023-12-31T18:30Z, 2024-01-05T18:30Z);
// train-frac 0.5 -> the split is 2.5 days in, 2024-01-03T06:30Z, so the test days are 01-03, 01-04, 01-05 and their
// 00:00 are 2024-01-02T18:30Z (inside the training part), 2024-01-03T18:30Z and 2024-01-04T18:30Z.
const M0 = '2024-01-02T18:30:00.000Z';
const M1 = '2024-01-03T18:30:00.000Z';
const M2 = '2024-01-04T18:30:00.000Z';
function log() {
  const b = new EventLogBuilder(2);
  b.addItem({ item_id: 'i0', creator_id: 'ca', language: 'hi', created_at: at('2023-12-01T00:00:00Z'), video_length_s: 10, embedding: [1, 0] });
  b.addItem({ item_id: 'i1', creator_id: 'cb', language: 'hi', created_at: at('2024-01-02T12:00:00Z'), video_length_s: 20, embedding: [0, 1] });
  // i2 has no catalogue entry: no upload time (age 0), no content vector, its length only from its view.
  b.add(view('i0', 'ca', '2023-12-31T00:00:00Z', 10, 10)); // history before the window, engaged
  b.add(view('i0', 'ca', '2024-01-01T06:00:00Z', 10, 10)); // engaged, label 1
  b.add(view('i1', 'cb', '2024-01-01T07:00:00Z', 1, 20)); // not engaged, 0
  b.add(view('i0', 'ca', '2024-01-02T18:29:59.999Z', 2, 10)); // the last view before day 0 begins, not engaged
  b.add(view('i0', 'ca', M0, 10, 10, LIKED)); // exactly at day 0's 00:00 (a training row): must not be in day 0's inputs
  b.add(view('i1', 'cb', M1, 20, 20)); // exactly at day 1's 00:00 (a test row): must not be in day 1's inputs
  b.add(view('i2', 'cc', '2024-01-04T20:00:00Z', 3, 30)); // day 2
  return b.finish();
}

async function build() {
  const rows: { batch: FeatureBatch; facts: RowFacts }[] = [];
  const days: { header: ItemDayHeader; inputs: ItemDayInputs }[] = [];
  const meta = await buildDataset(log(), {
    window: '2024-01-01..2024-01-05', trainFrac: 0.5, label: 'p90', task: 'binary', buckets: 'equi-quantile:2', timezone: 'Asia/Kolkata',
    source: 'test', filters: { minUserViews: 1, minItemViews: 1 }, shardRows: 1,
  }, {
    shard: async (_split, batch, facts) => { rows.push({ batch: structuredClone(batch), facts: structuredClone(facts) }); },
    itemDay: async (header, inputs) => { days.push({ header: structuredClone(header), inputs: structuredClone(inputs) }); },
  });
  return { meta, rows, days };
}

const DENSE = 2 + 20; // content vector (2) + 20 item rates
const itemRow = (d: ItemDayInputs, i: number) => ({ cat: d.itemCat[i], dense: [...d.itemDense.subarray(i * DENSE, (i + 1) * DENSE)], age: d.itemAge[i] });
const rowItem = (r: { batch: FeatureBatch }) => ({ cat: r.batch.itemCat[0], dense: [...r.batch.itemDense], age: r.batch.itemAge[0] });

test('item inputs at a test day\'s 00:00 equal those of a row at that instant, and later views do not leak', async () => {
  const { meta, rows, days } = await build();
  assert.deepEqual(meta.days, ['2024-01-03', '2024-01-04', '2024-01-05']);
  assert.deepEqual(days.map((d) => [d.header.day, d.header.date, new Date(d.header.asOfMs).toISOString(), d.inputs.n]),
    [[0, '2024-01-03', M0, 3], [1, '2024-01-04', M1, 3], [2, '2024-01-05', M2, 3]]);
  const idx = (id: string) => meta.itemIds.indexOf(id);
  const rowAt = (iso: string) => rows.find((r) => r.facts.ts[0] === at(iso))!;
  // The row at day 0's 00:00 (i0) and the row at day 1's 00:00 (i1) get exactly the item inputs of those days.
  assert.deepEqual(itemRow(days[0].inputs, idx('i0')), rowItem(rowAt(M0)));
  assert.deepEqual(itemRow(days[1].inputs, idx('i1')), rowItem(rowAt(M1)));
  assert.equal(rowAt(M1).facts.day[0], 1);

  const ctr = (d: number, item: string, rate: number) => days[d].inputs.itemDense[idx(item) * DENSE + 2 + rate];
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
  // i0 before day 0: 3 views (12-31 and 01-01 engaged, 01-02 18:29 not), 0 likes. item_ctr = (2 + 5 x 0.3) / (3 + 5)
  // = 0.4375 (0.5 had the liked view at 00:00 leaked in); like = (0 + 5 x 0.05) / 8 = 0.03125; 24hr window
  // [01-01T18:30Z, 01-02T18:30Z) holds only the 18:29 view: (0 + 1.5) / 6 = 0.25.
  close(ctr(0, 'i0', 0), 0.4375);
  close(ctr(0, 'i0', 1), 0.03125);
  close(ctr(0, 'i0', 4), 0.25);
  // i1 before day 1: one unengaged view -> (0 + 1.5) / 6 = 0.25 (2.5 / 7 had the view at 00:00 leaked in).
  close(ctr(1, 'i1', 0), 0.25);
  // i0 before day 2 includes the liked view of day 0: 4 views, 3 engaged, 1 like -> 4.5 / 9 = 0.5, (1 + 0.25) / 9.
  close(ctr(2, 'i0', 0), 0.5);
  close(ctr(2, 'i0', 1), 1.25 / 9);
  // i2 has no views before day 2: the priors.
  close(ctr(2, 'i2', 0), 0.3);
  // Ages at 00:00: i0 uploaded 786.5 h before day 0 began, i1 6.5 h; i2 unknown -> 0.
  close(days[0].inputs.itemAge[idx('i0')], normAge(at(M0), at('2023-12-01T00:00:00Z')));
  close(days[0].inputs.itemAge[idx('i0')], Math.log1p(786.5) / Math.log1p(8760));
  close(days[0].inputs.itemAge[idx('i1')], Math.log1p(6.5) / Math.log1p(8760));
  assert.equal(days[0].inputs.itemAge[idx('i2')], 0);
  // Lengths: the catalogue's (i0 10 s, i1 20 s), else the views' (i2 30 s), the same on every day.
  for (const d of days) assert.deepEqual([idx('i0'), idx('i1'), idx('i2')].map((i) => d.inputs.lengthS[i]), [10, 20, 30]);
  // Content vectors are copied as they are.
  assert.deepEqual(itemRow(days[1].inputs, idx('i1')).dense.slice(0, 2), [0, 1]);
});

test('an item-day file round-trips through the artifact store; a wrong count or day is refused', async () => {
  const { meta, days } = await build();
  const objects = new Map<string, Buffer>();
  const sha256Hex = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
  // An in-memory object store with the verified read of ArtifactReader.
  const store = {
    async put(key: string, data: Buffer) { objects.set(key, data); return { key, size: data.length, sha256: sha256Hex(data) }; },
    async get(key: string, sha?: string) {
      const d = objects.get(key);
      if (!d) throw new Error(`missing ${key}`);
      if (sha && sha256Hex(d) !== sha) throw new Error('DATA_LOSS');
      return d;
    },
  } satisfies ArtifactReader & { put(key: string, data: Buffer): Promise<{ key: string; size: number; sha256: string }> };
  const { header, inputs } = days[1];
  const put = await store.put(itemDayKey('ds-x', 1), encodeItemDay(inputs, header));
  assert.equal(put.key, 'datasets/ds-x/items/1.bin');
  const ref = { day: 1, key: put.key, sha256: put.sha256, items: meta.itemIds.length };
  assert.deepEqual(await loadItemDay(store, ref), inputs);
  assert.deepEqual(decodeItemDay(objects.get(put.key)!).header, header);
  await assert.rejects(loadItemDay(store, { ...ref, items: 4 }), /holds 3 items/);
  await assert.rejects(loadItemDay(store, { ...ref, day: 0 }), /is for day 1/);
  assert.throws(() => encodeItemDay({ ...inputs, itemAge: new Float32Array(2) }, header), /itemAge has 2 values, expected 3/);
});
