import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventLogBuilder, type ViewRecord } from '../data/events';
import { generateSynthetic } from '../data/synthetic';
import { dayIndex } from '../data/split';
import { MarketClock } from '../data/time';
import { buildDataset } from './build';
import type { FeatureBatch, RowFacts } from './layout';

const at = (iso: string) => Date.parse(iso);
function view(user: string, item: string, ts: string, spent: number, len: number | null = 10): ViewRecord {
  return { user_id: user, item_id: item, creator_id: 'c', ts: at(ts), language: 'hi', video_length_s: len, timespent_s: spent,
    liked: false, shared: false, downloaded: false, handset_maker: 'vivo' };
}

// A 5-day window 2024-01-01..05 (UTC): 0.6 x 5 days = 3 days -> the split is 2024-01-04T00:00Z.
function tinyLog() {
  const b = new EventLogBuilder(2);
  b.addItem({ item_id: 'i0', creator_id: 'c', language: 'hi', created_at: at('2023-12-01T00:00:00Z'), video_length_s: 10, embedding: [1, 0] });
  b.addItem({ item_id: 'i1', creator_id: 'c', language: 'hi', created_at: at('2023-12-01T00:00:00Z'), video_length_s: 10, embedding: [0, 1] });
  b.add(view('u0', 'i0', '2023-12-31T12:00:00Z', 10)); // history before the window: features only
  b.add(view('u0', 'i0', '2024-01-01T10:00:00Z', 10)); // p90 1
  b.add(view('u0', 'i1', '2024-01-02T10:00:00Z', 1)); // 0
  b.add(view('u1', 'i1', '2024-01-02T00:00:00Z', 5, null)); // no length: no label (counted)
  b.add(view('u0', 'i0', '2024-01-03T23:59:59.999Z', 9)); // 1, the last training row
  b.add(view('u0', 'i1', '2024-01-04T00:00:00.000Z', 2)); // 0, the first held-out row (day 0)
  b.add(view('u0', 'i0', '2024-01-05T12:00:00Z', 10)); // 1, day 1
  b.add(view('u0', 'i0', '2024-01-06T01:00:00Z', 10)); // after the window
  return b.finish();
}

test('a tiny build: window, split at the right timestamp, day tags, labels, counts and point-in-time features', async () => {
  const shards: { split: string; batch: FeatureBatch; facts: RowFacts }[] = [];
  const meta = await buildDataset(tinyLog(), {
    window: '2024-01-01..2024-01-05', trainFrac: 0.6, label: 'p90', task: 'binary', buckets: 'equi-quantile:2', timezone: 'UTC',
    source: 'test', filters: { minUserViews: 1, minItemViews: 1 }, shardRows: 2,
  }, async (split, batch, facts) => { shards.push({ split, batch: structuredClone(batch), facts: structuredClone(facts) }); }); // the sink must copy: arrays are reused
  assert.equal(meta.counts.rows_in_window, 6);
  assert.equal(meta.counts.rows_no_length, 1);
  assert.equal(meta.counts.rows_kept, 5);
  assert.equal(meta.counts.rows_train, 3);
  assert.equal(meta.counts.rows_heldout, 2);
  assert.deepEqual(meta.days, ['2024-01-04', '2024-01-05']);
  assert.deepEqual((meta.summary as { per_day: object }).per_day, { '2024-01-04': 1, '2024-01-05': 1 });
  // Shards of 2 rows, never mixing train and held-out: train [2, 1], heldout [2].
  assert.deepEqual(shards.map((s) => [s.split, s.batch.n]), [['train', 2], ['train', 1], ['heldout', 2]]);
  const labels = shards.flatMap((s) => [...s.facts.label]);
  assert.deepEqual(labels, [1, 0, 1, 0, 1]);
  assert.deepEqual(shards.flatMap((s) => [...s.facts.day]), [-1, -1, -1, 0, 1]);
  assert.equal(shards[1].facts.ts[0], at('2024-01-03T23:59:59.999Z'));
  assert.equal(shards[2].facts.ts[0], at('2024-01-04T00:00:00.000Z'));
  // The first row's positive mean embedding comes from the view before the window (i0 = [1, 0]); no negatives yet.
  assert.deepEqual([...shards[0].batch.userDense.subarray(0, 4)], [1, 0, 0, 0]);
  // The second row (2024-01-02) has seen two engaged views of i0 -> pos mean [1, 0]; still no negative.
  assert.deepEqual([...shards[0].batch.userDense.subarray(15, 19)], [1, 0, 0, 0]);
  // The fourth row (first held-out) has seen the negative view of i1 on 2024-01-02 -> neg mean [0, 1].
  assert.deepEqual([...shards[2].batch.userDense.subarray(2, 4)], [0, 1]);
  assert.deepEqual(meta.userIds, ['u0']);
  assert.deepEqual(meta.itemIds.sort(), ['i0', 'i1']);
});

test('a window with no views and a bad label are refused with what to fix', async () => {
  const spec = { window: '2025-01-01..2025-01-02', trainFrac: 0.6, label: 'wtg', task: 'binary' as const, buckets: 'equi-quantile:10', timezone: 'UTC', source: 't' };
  await assert.rejects(buildDataset(tinyLog(), spec, async () => undefined), /holds no views; the store covers 2023-12-31\.\.2024-01-06/);
  await assert.rejects(buildDataset(tinyLog(), { ...spec, label: 'ctr' }, async () => undefined), /not one of wtg/);
});

test('item buckets and the D2Q regression label carry their group facts into the meta', async () => {
  // 25 views of i0 (length 10 s, watched 1..25 s) in the training part: i0 gets its own group under `item`.
  const b = new EventLogBuilder(2);
  b.addItem({ item_id: 'i0', creator_id: 'c', language: 'hi', created_at: null, video_length_s: 10, embedding: [1, 0] });
  for (let k = 0; k < 25; k++) b.add(view(`u${k % 5}`, 'i0', `2024-01-01T${String(k % 24).padStart(2, '0')}:00:00Z`, k + 1));
  for (let k = 0; k < 5; k++) b.add(view(`u${k}`, 'i0', `2024-01-04T0${k}:00:00Z`, 2 * k + 1));
  const rows: number[] = [];
  const meta = await buildDataset(b.finish(), {
    window: '2024-01-01..2024-01-05', trainFrac: 0.6, label: 'wtg-quantile', task: 'regression', buckets: 'item', timezone: 'UTC',
    source: 'test', filters: { minUserViews: 1, minItemViews: 1 },
  }, async (_s, _batch, facts) => { rows.push(...facts.label); });
  assert.equal(meta.groups.scheme, 'item');
  assert.deepEqual(meta.groups.itemGroup, [meta.groups.stats.length - 1]); // i0 has the last (own) group
  assert.equal(meta.groups.quantiles!.length, meta.groups.stats.length);
  // i0's watch times 1..25 s: quantile points 1, 2.2, ..., 25; a 13 s watch is the median -> 0.5.
  const i0 = meta.groups.quantiles![meta.groups.stats.length - 1];
  assert.equal(i0[0], 1);
  assert.equal(i0[10], 13);
  assert.ok(rows.every((y) => y >= 0 && y <= 1));
  // Users u0..u4 each have both classes only under the binary form (> 0.5): the filter uses it.
  assert.equal(meta.counts.rows_kept, 30);
});

test('train | validation | test: the tiny log cut at 40% and 60% of the window', async () => {
  // 5 days from 2024-01-01T00:00Z: training ends at 0.4 x 5 = 2 days (01-03T00:00Z), validation at (0.4 + 0.2) x 5 = 3
  // days (01-04T00:00Z); test days are 01-04 and 01-05.
  const shards: { split: string; facts: RowFacts }[] = [];
  const meta = await buildDataset(tinyLog(), {
    window: '2024-01-01..2024-01-05', trainFrac: 0.4, valFrac: 0.2, label: 'p90', task: 'binary', buckets: 'equi-quantile:2', timezone: 'UTC',
    source: 'test', filters: { minUserViews: 1, minItemViews: 1 },
  }, async (split, _batch, facts) => { shards.push({ split, facts: structuredClone(facts) }); });
  assert.deepEqual(shards.map((s) => [s.split, s.facts.ts.length]), [['train', 2], ['validation', 1], ['heldout', 2]]);
  assert.equal(meta.valSplitMs, at('2024-01-03T00:00:00Z'));
  assert.equal(meta.testSplitMs, at('2024-01-04T00:00:00Z'));
  assert.equal(meta.spec.valFrac, 0.2);
  assert.deepEqual(meta.days, ['2024-01-04', '2024-01-05']);
  assert.deepEqual(shards.flatMap((s) => [...s.facts.day]), [-1, -1, -1, 0, 1]);
  assert.deepEqual([meta.counts.rows_train, meta.counts.rows_validation, meta.counts.rows_heldout], [2, 1, 2]);
  // Without a validation part the cut is the old one and the meta says so.
  const none = await buildDataset(tinyLog(), {
    window: '2024-01-01..2024-01-05', trainFrac: 0.6, valFrac: 0, label: 'p90', task: 'binary', buckets: 'equi-quantile:2', timezone: 'UTC',
    source: 'test', filters: { minUserViews: 1, minItemViews: 1 },
  }, async () => undefined);
  assert.equal(none.valSplitMs, undefined);
  assert.equal(none.testSplitMs, at('2024-01-04T00:00:00Z'));
  assert.equal(none.counts.rows_validation, undefined);
  await assert.rejects(buildDataset(tinyLog(), { window: '2024-01-01..2024-01-05', trainFrac: 0.6, valFrac: 0.4, label: 'p90', task: 'binary',
    buckets: 'equi-quantile:2', timezone: 'UTC', source: 'test' }, async () => undefined), /leave no test part/);
});

test('on a synthetic build, validation and test rows are disjoint and in time order (train < validation < test)', async () => {
  const b = new EventLogBuilder(4);
  generateSynthetic({ users: 60, items: 40, days: 7, seed: 5, dim: 4 }, (it) => b.addItem(it), (v) => b.add(v));
  const log = b.finish();
  const parts: Record<string, { ts: number[]; day: number[]; keys: Set<string> }> = {};
  const meta = await buildDataset(log, {
    window: '2024-01-01..2024-01-07', trainFrac: 0.6, valFrac: 0.1, label: 'wtg', task: 'binary', buckets: 'equi-quantile:4', timezone: 'Asia/Kolkata',
    source: 'synthetic', filters: { minUserViews: 1, minItemViews: 1 }, shardRows: 500,
  }, async (split, _batch, facts) => {
    const p = (parts[split] ??= { ts: [], day: [], keys: new Set() });
    for (let r = 0; r < facts.ts.length; r++) {
      p.ts.push(facts.ts[r]);
      p.day.push(facts.day[r]);
      p.keys.add(`${facts.userIdx[r]}|${facts.itemIdx[r]}|${facts.ts[r]}`);
    }
  });
  const { train, validation, heldout } = parts;
  assert.ok(train.ts.length > 0 && validation.ts.length > 0 && heldout.ts.length > 0);
  assert.equal(train.ts.length + validation.ts.length + heldout.ts.length, meta.counts.rows_kept);
  const max = (a: number[]) => a.reduce((m, x) => Math.max(m, x), -Infinity);
  const min = (a: number[]) => a.reduce((m, x) => Math.min(m, x), Infinity);
  assert.ok(max(train.ts) < meta.valSplitMs! && meta.valSplitMs! <= min(validation.ts));
  assert.ok(max(validation.ts) < meta.testSplitMs! && meta.testSplitMs! <= min(heldout.ts));
  // 7 days from 2024-01-01T00:00+05:30: validation starts 4.2 days in, test 4.9 days in.
  const start = Date.parse('2023-12-31T18:30:00Z');
  assert.equal(meta.valSplitMs, start + Math.round(0.6 * 7 * 86_400_000));
  assert.equal(meta.testSplitMs, start + Math.round(0.7 * 7 * 86_400_000));
  for (const k of validation.keys) assert.ok(!heldout.keys.has(k) && !train.keys.has(k));
  assert.ok(train.day.every((d) => d === -1) && validation.day.every((d) => d === -1));
  assert.ok(heldout.day.every((d) => d >= 0 && d < meta.days.length));
  // Test days are the test part's dates only: 2024-01-05 (the cut is at 21:36 local) .. 2024-01-07.
  assert.deepEqual(meta.days, ['2024-01-05', '2024-01-06', '2024-01-07']);
});

test('each row gets the hour, weekday and test day of its own local time, across a DST change and in a half-hour zone', async () => {
  // Rows every 20 minutes over 2024-03-09..11: New York springs forward at 2024-03-10T07:00Z (02:00 -> 03:00 local);
  // Kolkata is UTC+05:30, so its local hours start at half past UTC hours. The build looks these up once per local hour.
  for (const timezone of ['America/New_York', 'Asia/Kolkata']) {
    const b = new EventLogBuilder(2);
    b.addItem({ item_id: 'i0', creator_id: 'c', language: 'hi', created_at: null, video_length_s: 10, embedding: [1, 0] });
    const t0 = at('2024-03-09T00:00:00Z');
    for (let k = 0; k < 3 * 72; k++) b.add({ ...view('u0', 'i0', '2024-03-09T00:00:00Z', k % 2 ? 10 : 1), ts: t0 + k * 20 * 60_000 });
    const rows: { ts: number; hod: number; dow: number; day: number }[] = [];
    const meta = await buildDataset(b.finish(), {
      window: '2024-03-09..2024-03-11', trainFrac: 0.5, valFrac: 0.1, label: 'p90', task: 'binary', buckets: 'equi-quantile:2', timezone,
      source: 'test', filters: { minUserViews: 1, minItemViews: 1 }, shardRows: 50,
    }, async (_split, batch, facts) => {
      for (let r = 0; r < batch.n; r++) rows.push({ ts: facts.ts[r], hod: batch.userCat[r * 3], dow: batch.userCat[r * 3 + 1], day: facts.day[r] });
    });
    const clock = new MarketClock(timezone);
    assert.ok(rows.length > 150, `${timezone}: ${rows.length} rows`);
    for (const g of rows) {
      assert.deepEqual([g.hod, g.dow, g.day], [clock.hod(g.ts), clock.dow(g.ts), dayIndex(clock, meta.testSplitMs!, g.ts)],
        `${timezone} ${new Date(g.ts).toISOString()}`);
    }
  }
});
