import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { EventLogBuilder } from '../data/events';
import { generateSynthetic } from '../data/synthetic';
import { buildDataset, type BuildSpec } from './build';
import { buildInWorker } from './build-worker';
import { encodeItemDay } from './item-day';
import { encodeShard } from './shard';
import { layoutFor } from './layout';

function log() {
  const b = new EventLogBuilder(4);
  generateSynthetic({ users: 60, items: 40, days: 7, seed: 5, dim: 4 }, (it) => b.addItem(it), (v) => b.add(v));
  return b.finish();
}

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
  const meta = await buildInWorker(async () => log(), SPEC, {
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
  await assert.rejects(buildInWorker(async () => log(), { ...SPEC, window: '2030-01-01..2030-01-02' }, { shard: async () => undefined, itemDay: async () => undefined }),
    /holds no views/);
  await assert.rejects(buildInWorker(async () => log(), SPEC, { shard: async () => { throw new Error('bucket full'); }, itemDay: async () => undefined }), /bucket full/);
  await assert.rejects(buildInWorker(async () => { throw new Error('log unreadable'); }, SPEC, { shard: async () => undefined, itemDay: async () => undefined }),
    /log unreadable/);
});
