// The online rows of a bulk load, computed on two cores (odd users in a worker) and by the one-pass fold, must be
// the rows the engine gives after advancing through the whole log view by view (as before either existed), bit for
// bit: a synthetic log of several weeks (so every window cuts somewhere), views that share a time, views exactly
// on a window's edge, and enough users that both parities hold many.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventLogBuilder, type EventLog } from '../../ml/data/events';
import { syntheticViews } from '../../ml/data/synthetic';
import { FeatureEngine } from '../../ml/features/engine';
import { layoutFor, type FeatureLayout } from '../../ml/features/layout';
import { allocRows } from '../../ml/features/shard';
import type { OnlineRows } from '../../registry/online-feature-store';
import { onlineRows } from './online-features';
import { onlineRowsOnTwoCores } from './online-rows-worker';

const DAY = 86_400_000;

function syntheticLog(): EventLog {
  const b = new EventLogBuilder(4);
  const views = [...syntheticViews({ users: 400, items: 90, days: 20, seed: 3, dim: 4 }, (it) => b.addItem(it))];
  for (const v of views) b.add(v);
  const last = views.reduce((m, v) => Math.max(m, v.ts), 0);
  // Ties: every 7th view again at the same time by another user (liked, so engaged or not by length alone).
  views.forEach((v, k) => { if (k % 7 === 0) b.add({ ...v, user_id: views[(k * 13) % views.length].user_id, liked: !v.liked }); });
  // On the edges of the 24-hour, 3- and 7-day and 15-day windows as of just after the newest view (kept: ts >= cut).
  for (const [k, w] of [1, 3, 7, 15].entries()) {
    const v = views[(k * 101) % views.length];
    b.add({ ...v, ts: last + 1 - w * DAY });
    b.add({ ...v, user_id: views[k].user_id, ts: last + 1 - w * DAY - 1 });
  }
  return b.finish();
}

/** The rows as the engine gives them after advanceTo, the way online rows were computed before the one-pass fold. */
function steppedRows(log: EventLog, layout: FeatureLayout): OnlineRows {
  const asOf = log.ts[log.n - 1] + 1;
  const eng = new FeatureEngine(log, layout);
  for (let k = 0; k < log.n; k += 997) eng.advanceTo(log.ts[k]);
  eng.advanceTo(asOf);
  const ud = layout.userDenseDim;
  const ir = layout.itemDenseDim - layout.embeddingDim;
  const one = allocRows(1, layout);
  const userDense = new Float32Array(log.userIds.length * ud);
  const last = new Int32Array(log.userIds.length).fill(-1);
  for (let k = 0; k < log.n; k++) last[log.user[k]] = log.handset[k];
  log.userIds.forEach((_, u) => {
    eng.writeUser(u, 0, 0, 0, one.batch, 0);
    userDense.set(one.batch.userDense, u * ud);
  });
  const items = log.itemIds.map((_, i) => i).filter((i) => log.item.includes(i));
  const itemRates = new Float32Array(items.length * ir);
  items.forEach((i, k) => {
    eng.writeItem(i, asOf, one.batch, 0);
    itemRates.set(one.batch.itemDense.subarray(layout.embeddingDim), k * ir);
  });
  return { userIds: log.userIds, handsetMakers: log.userIds.map((_, u) => log.handsets[last[u]]), userDense, userDenseDim: ud,
    itemIds: items.map((i) => log.itemIds[i]), itemRates, itemRatesDim: ir, asOf };
}

/** Float arrays compared by their bytes: -0 against 0 or one NaN against another would pass a value comparison. */
function sameRows(got: OnlineRows, want: OnlineRows): void {
  const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  assert.deepEqual(got.userIds, want.userIds);
  assert.deepEqual(got.handsetMakers, want.handsetMakers);
  assert.equal(got.userDenseDim, want.userDenseDim);
  assert.ok(bytes(got.userDense).equals(bytes(want.userDense)), 'user rows differ');
  assert.deepEqual(got.itemIds, want.itemIds);
  assert.equal(got.itemRatesDim, want.itemRatesDim);
  assert.ok(bytes(got.itemRates).equals(bytes(want.itemRates)), 'item rates differ');
  assert.equal(got.asOf, want.asOf);
}

test('the one-pass fold and the two-core rows equal the rows after advancing view by view, bit for bit', async () => {
  const log = syntheticLog();
  const layout = layoutFor(4);
  assert.ok(log.n > 50_000 && log.userIds.length >= 400 && log.ts[log.n - 1] - log.ts[0] > 15 * DAY, `${log.n} views`);
  const want = steppedRows(log, layout);
  // The log exercises what it claims: windows that hold part of it, users with full rings of 100, ties.
  const cutAt = (w: number) => log.ts.findIndex((t) => t >= want.asOf - w);
  assert.ok(cutAt(DAY) > 0 && cutAt(15 * DAY) > 0);
  assert.ok(log.ts.some((t, k) => k > 0 && t === log.ts[k - 1]));
  const perUser = new Int32Array(log.userIds.length);
  for (let k = 0; k < log.n; k++) perUser[log.user[k]]++;
  assert.ok(Math.max(...perUser) > 200, 'a user with more than 100 views of one kind');
  sameRows(onlineRows(log, layout), want);
  // minViews 0: the worker runs even for this small log.
  sameRows(await onlineRowsOnTwoCores(log, layout, 0), want);
});

test('the two-core rows of a log with one user and of an empty log', async () => {
  const layout = layoutFor(4);
  const b = new EventLogBuilder(4);
  b.addItem({ item_id: 'i0', creator_id: 'c0', language: 'hi', created_at: 1, video_length_s: 10, embedding: [1, 0, 0, 1] });
  b.add({ user_id: 'u0', item_id: 'i0', creator_id: 'c0', ts: 1000, language: 'hi', video_length_s: 10, timespent_s: 10, liked: true, shared: false, downloaded: false, handset_maker: 'vivo' });
  const one = b.finish();
  sameRows(await onlineRowsOnTwoCores(one, layout, 0), steppedRows(one, layout));
  const none = await onlineRowsOnTwoCores(new EventLogBuilder(4).finish(), layout, 0);
  assert.equal(none.userIds.length + none.itemIds.length, 0);
});
