import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { EventLogBuilder, type ItemRecord, type LogTarget } from '../data/events';
import { generateSynthetic } from '../data/synthetic';
import { ViewRunBuilder, type ViewRun } from '../data/view-run';
import { buildDataset, type BuildSpec } from './build';
import { buildInWorker, type OpenLog } from './build-worker';
import { encodeItemDay } from './item-day';
import { encodeShard } from './shard';
import { layoutFor } from './layout';

/**
 * A synthetic log as a log read hands it out: the catalogue, then the views of the first days in one call, then
 * the rest as two runs (odd and even users) to merge, as a day of several files is.
 */
function source(): { items: ItemRecord[]; first: ViewRun; cut: number; odd: ViewRun; even: ViewRun } {
  const items: ItemRecord[] = [];
  const all = new ViewRunBuilder();
  generateSynthetic({ users: 60, items: 40, days: 7, seed: 5, dim: 4 }, (it) => items.push(it), (v) => all.add(v));
  const run = all.take();
  const cut = Math.floor(run.n / 3);
  const odd = new ViewRunBuilder();
  const even = new ViewRunBuilder();
  for (let k = cut; k < run.n; k++) (run.user[k] % 2 ? odd : even).addFrom(run, k);
  return { items, first: run, cut, odd: odd.take(), even: even.take() };
}

function writeLog(into: LogTarget): void {
  const s = source();
  for (const it of s.items) into.addItem(it);
  into.addColumns(s.first, 0, s.cut);
  into.addMerged([s.odd, s.even]);
}

/** The same log built here. */
function log() {
  const b = new EventLogBuilder(4, 16);
  writeLog(b);
  return b.finish();
}

const load = async (open: OpenLog) => writeLog(open(4, 16));

const SPEC: BuildSpec = { window: 'last-7d', trainFrac: 0.6, valFrac: 0.1, label: 'wtg', task: 'binary', buckets: 'equi-quantile:4', timezone: 'Asia/Kolkata',
  source: 'syn', filters: { minUserViews: 1, minItemViews: 1 }, shardRows: 300 };

test('a build in a worker hands over the same shard and item-day bytes, in the same order, and the same meta as buildDataset here', async () => {
  const layout = layoutFor(4);
  const want: { split: string; bytes: Buffer; rows: number }[] = [];
  const wantDays: Buffer[] = [];
  const wantMeta = await buildDataset(log(), SPEC, {
    shard: async (split, batch, facts) => { want.push({ split, bytes: encodeShard(batch, facts, layout), rows: batch.n }); },
    itemDay: async (header, inputs) => { wantDays.push(encodeItemDay(inputs, header)); },
  });
  assert.ok(want.length >= 4, `${want.length} shards: the test needs full and partial shards of every part`);
  const got: { split: string; bytes: Buffer; rows: number }[] = [];
  const gotDays: Buffer[] = [];
  let progressed = 0;
  // A slow store: the worker must wait for it rather than run ahead without bound, and order must hold.
  const meta = await buildInWorker(load, SPEC, {
    // The bytes go back to the worker once this resolves: keep a copy.
    shard: async (split, bytes, rows, sha256) => {
      assert.equal(sha256, crypto.createHash('sha256').update(bytes).digest('hex'));
      await new Promise((r) => setTimeout(r, 5));
      got.push({ split, bytes: Buffer.from(bytes), rows });
    },
    itemDay: async (day, bytes) => { assert.equal(day, gotDays.length); gotDays.push(bytes); },
    progress: () => { progressed++; },
  });
  assert.deepEqual(meta, wantMeta);
  assert.equal(got.length, want.length);
  got.forEach((g, k) => {
    assert.equal(g.split, want[k].split);
    assert.equal(g.rows, want[k].rows);
    assert.ok(g.bytes.equals(want[k].bytes), `shard ${k} differs`);
  });
  assert.deepEqual(gotDays.map((b) => b.toString('hex')), wantDays.map((b) => b.toString('hex')));
  assert.ok(progressed > 0);
});

test('a build that fails in the worker rejects with its reason; so do a failing store and a failing load', async () => {
  await assert.rejects(buildInWorker(load, { ...SPEC, window: '2030-01-01..2030-01-02' }, { shard: async () => undefined, itemDay: async () => undefined }),
    /holds no views/);
  await assert.rejects(buildInWorker(load, SPEC, { shard: async () => { throw new Error('bucket full'); }, itemDay: async () => undefined }), /bucket full/);
  await assert.rejects(buildInWorker(async () => { throw new Error('log unreadable'); }, SPEC, { shard: async () => undefined, itemDay: async () => undefined }),
    /log unreadable/);
  await assert.rejects(buildInWorker(async () => undefined, SPEC, { shard: async () => undefined, itemDay: async () => undefined }), /without opening the log/);
});
