import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventLogBuilder, type EventLog } from '../data/events';
import { FeatureEngine } from './engine';
import { layoutFor, USER_RATES, ITEM_RATES } from './layout';
import { allocRows } from './shard';
import { hashCat } from './rates';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2024, 0, 10);

function tinyLog(extra: (b: EventLogBuilder) => void = () => undefined): EventLog {
  const b = new EventLogBuilder(2);
  b.addItem({ item_id: 'i0', creator_id: 'c0', language: 'hi', created_at: T0 - H, video_length_s: 10, embedding: [1, 0] });
  b.addItem({ item_id: 'i1', creator_id: 'c0', language: 'hi', created_at: T0 - H, video_length_s: 20, embedding: [0, 1] });
  b.add({ user_id: 'u0', item_id: 'i0', creator_id: 'c0', ts: T0, language: 'hi', video_length_s: 10, timespent_s: 10, liked: true, shared: false, downloaded: false, handset_maker: 'vivo' });
  b.add({ user_id: 'u0', item_id: 'i1', creator_id: 'c0', ts: T0 + H, language: 'hi', video_length_s: 20, timespent_s: 2, liked: false, shared: false, downloaded: false, handset_maker: 'vivo' });
  b.add({ user_id: 'u0', item_id: 'i0', creator_id: 'c0', ts: T0 + 2 * D, language: 'hi', video_length_s: 10, timespent_s: 9.5, liked: false, shared: false, downloaded: false, handset_maker: 'vivo' });
  extra(b);
  return b.finish();
}

function rowAt(log: EventLog, k: number) {
  const layout = layoutFor(2);
  const eng = new FeatureEngine(log, layout);
  const { batch } = allocRows(1, layout);
  eng.advanceTo(log.ts[k]);
  eng.writeUser(log.user[k], 5, 2, eng.handsetOf(log.handset[k]), batch, 0);
  eng.writeItem(log.item[k], log.ts[k], batch, 0);
  return batch;
}

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-5, `${what}: ${a} vs ${b}`);

test('each feature of a row, worked out by hand from the history before it', () => {
  const log = tinyLog();
  const b = rowAt(log, 2); // u0 views i0 at T0 + 2 days
  // Categorical: hod/dow as given, handset hashed, creator hashed.
  assert.deepEqual([...b.userCat], [5, 2, hashCat('vivo', 64)]);
  assert.equal(b.itemCat[0], hashCat('c0', 4096));
  // History: e0 (i0, full watch + like: engaged, positive) and e1 (i1, 2 of 20 s: negative).
  // pos mean = emb(i0) = [1, 0]; neg mean = emb(i1) = [0, 1].
  const u = [...b.userDense];
  assert.deepEqual(u.slice(0, 4), [1, 0, 0, 1]);
  const r = Object.fromEntries(USER_RATES.map((n, j) => [n, u[4 + j]]));
  // short (1 day): no views in [t - 1d, t) -> the priors: like 0.05, share 0.01, download 0.01.
  near(r.user_overall_short_like_ctr, 0.05, 'short like');
  near(r.user_overall_short_share_ctr, 0.01, 'short share');
  // mid (7 days) = life here: 2 views, 1 engaged, 1 like: ctr = (1 + 5*0.3)/(2 + 5) = 2.5/7; like = (1 + 0.25)/7.
  near(r.user_overall_mid_ctr, 2.5 / 7, 'mid ctr');
  near(r.user_overall_mid_like_ctr, 1.25 / 7, 'mid like');
  near(r.user_overall_mid_share_ctr, 0.05 / 7, 'mid share');
  near(r.user_overall_life_ctr, 2.5 / 7, 'life ctr');
  near(r.user_overall_life_download_ctr, 0.05 / 7, 'life download');
  // Item i0: content [1, 0]; life: 1 view (e0), engaged, liked: ctr = (1 + 1.5)/6, like = (1 + 0.25)/6.
  const it = [...b.itemDense];
  assert.deepEqual(it.slice(0, 2), [1, 0]);
  const ir = Object.fromEntries(ITEM_RATES.map((n, j) => [n, it[2 + j]]));
  near(ir.item_ctr, 2.5 / 6, 'item ctr');
  near(ir.item_like_ctr, 1.25 / 6, 'item like');
  near(ir.item_share_ctr, 0.05 / 6, 'item share');
  // 24hr: e0 was 2 days ago -> no views -> prior 0.3; 3d/7d/15d: e0 counts -> 2.5/6.
  near(ir.item_ctr_24hr, 0.3, 'item ctr 24hr');
  near(ir.item_ctr_3d, 2.5 / 6, 'item ctr 3d');
  near(ir.item_like_ctr_15d, 1.25 / 6, 'item like 15d');
  // Creator c0: e0 and e1: 2 views, 1 engaged, 1 like.
  near(ir.creator_ctr, 2.5 / 7, 'creator ctr');
  near(ir.creator_like_ctr, 1.25 / 7, 'creator like');
  // Age: uploaded 1 h before T0, row at T0 + 48 h -> 49 h: ln(50)/ln(8761) = 0.430932.
  near(b.itemAge[0], Math.log(50) / Math.log(8761), 'age');
  near(b.itemAge[0], 0.430932, 'age by hand');
});

test('no leakage: views at the same time or later never change a row\'s features', () => {
  const base = rowAt(tinyLog(), 2);
  // Another user views i0 (liked, shared) at exactly the row's time and a day later; u0 views i1 later too.
  const leaky = tinyLog((b) => {
    b.add({ user_id: 'u1', item_id: 'i0', creator_id: 'c0', ts: T0 + 2 * D, language: 'hi', video_length_s: 10, timespent_s: 10, liked: true, shared: true, downloaded: true, handset_maker: 'x' });
    b.add({ user_id: 'u1', item_id: 'i0', creator_id: 'c0', ts: T0 + 3 * D, language: 'hi', video_length_s: 10, timespent_s: 10, liked: true, shared: true, downloaded: true, handset_maker: 'x' });
    b.add({ user_id: 'u0', item_id: 'i1', creator_id: 'c0', ts: T0 + 3 * D, language: 'hi', video_length_s: 20, timespent_s: 20, liked: true, shared: true, downloaded: true, handset_maker: 'vivo' });
  });
  // The row of u0 at T0 + 2 days is index 2 or 3 (stable order keeps u0's first since it was added first).
  const k = [...leaky.ts].findIndex((t, j) => t === T0 + 2 * D && leaky.userIds[leaky.user[j]] === 'u0');
  const got = rowAt(leaky, k);
  assert.deepEqual(got.userDense, base.userDense);
  assert.deepEqual(got.itemDense, base.itemDense);
  // The same-time view does count for a row after it: 1 ms later, i0 has 2 life views.
  const layout = layoutFor(2);
  const eng = new FeatureEngine(leaky, layout);
  const { batch } = allocRows(1, layout);
  eng.advanceTo(T0 + 2 * D + 1);
  eng.writeItem(leaky.itemIds.indexOf('i0'), T0 + 2 * D + 1, batch, 0);
  assert.ok(batch.itemDense[2] !== base.itemDense[2], 'the later row sees the view');
});

test('windows expire: a view leaves the 24hr window exactly 24 h later', () => {
  const log = tinyLog();
  const layout = layoutFor(2);
  const eng = new FeatureEngine(log, layout);
  const { batch } = allocRows(1, layout);
  const i0 = log.itemIds.indexOf('i0');
  const at24 = 4 + ITEM_RATES.indexOf('item_ctr_24hr');
  // At T0 + 24h - 1 ms, e0 (at T0) is inside [t - 24h, t): ctr_24hr = 2.5/6.
  eng.advanceTo(T0 + D - 1);
  eng.writeItem(i0, T0 + D - 1, batch, 0);
  near(batch.itemDense[at24 - 2], 2.5 / 6, 'inside');
  // At T0 + 24h + 1 ms it is out: the prior 0.3.
  eng.advanceTo(T0 + D + 1);
  eng.writeItem(i0, T0 + D + 1, batch, 0);
  near(batch.itemDense[at24 - 2], 0.3, 'expired');
});

test('the mean embeddings cover the last 100 views of their kind', () => {
  // u0 fully watches 50 views of i0 ([1, 0]) and then 75 of i1 ([0, 1]): all engaged, so all positive.
  const b = new EventLogBuilder(2);
  b.addItem({ item_id: 'i0', creator_id: 'c0', language: 'hi', created_at: null, video_length_s: 10, embedding: [1, 0] });
  b.addItem({ item_id: 'i1', creator_id: 'c0', language: 'hi', created_at: null, video_length_s: 10, embedding: [0, 1] });
  for (let k = 0; k < 125; k++) {
    b.add({ user_id: 'u0', item_id: k < 50 ? 'i0' : 'i1', creator_id: 'c0', ts: T0 + k * 1000, language: 'hi', video_length_s: 10, timespent_s: 10,
      liked: false, shared: false, downloaded: false, handset_maker: 'x' });
  }
  const log = b.finish();
  const layout = layoutFor(2);
  const eng = new FeatureEngine(log, layout);
  const { batch } = allocRows(1, layout);
  // After 100 views (all i0 then 50 i1): mean = (50 [1,0] + 50 [0,1]) / 100 = [0.5, 0.5].
  eng.advanceTo(T0 + 100 * 1000);
  eng.writeUser(0, 0, 0, 0, batch, 0);
  assert.deepEqual([...batch.userDense.subarray(0, 2)], [0.5, 0.5]);
  // After all 125: the last 100 are 25 of i0 and 75 of i1 -> [0.25, 0.75]; no negatives -> [0, 0].
  eng.advanceTo(T0 + 125 * 1000);
  eng.writeUser(0, 0, 0, 0, batch, 0);
  assert.deepEqual([...batch.userDense.subarray(0, 4)], [0.25, 0.75, 0, 0]);
});
