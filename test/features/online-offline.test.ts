// Online features after IngestEvents equal the offline engine's on the whole log read from the event log's
// files, for the same (user, item, time): the online path computes them from the feature service's in-memory log
// (only the touched users', items' and creators' views), the offline path from every file, as a build does.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { startTestPlatform, call, clientOf, type TestPlatform } from '../helpers/platform';
import { layoutFor } from '../../ml/features/layout';
import { loadLog } from '../../services/feature/source-log';
import { PgEventLogStore } from '../../registry/event-log';
import { FeatureEngine } from '../../ml/features/engine';
import { allocRows } from '../../ml/features/shard';
import { PgEventSourceStore } from '../../registry/event-source-store';

let tp: TestPlatform;
let op: Awaited<ReturnType<TestPlatform['target']>>;
const rpc = <T = any>(method: string, req: object) => call<object, T>(op, clientOf('FeatureService', op), method, req);

before(async () => {
  tp = await startTestPlatform({ services: ['feature'] });
  op = await tp.target('operator');
});
after(async () => { await tp?.stop(); });

test('after IngestEvents batches, GetUserFeatures and GetItemFeatures equal the offline engine on the files at the same time', async () => {
  const g = await rpc('GenerateEvents', { users: 30, items: 20, days: 3, seed: 5, dim: 4, views_per_day: 5, source: 'oo' });
  assert.ok(Number(g.counts.views_inserted) > 200);
  const events = new PgEventLogStore(tp.platform.ctx.db.pool, tp.platform.ctx.artifacts);
  const end = (await events.newestTs('oo'))!;
  // Three batches: new views after the log's end, one late view inside it, a view with equal time to another.
  const batches = [
    [{ user_id: 'u1', item_id: 'v2', ts: end + 60_000, timespent_s: 12, video_length_s: 20, liked: true },
      { user_id: 'u4', item_id: 'v2', ts: end + 60_000, timespent_s: 3, video_length_s: 20 }],
    [{ user_id: 'u1', item_id: 'v7', ts: end - 86_400_000, timespent_s: 40, video_length_s: 30, shared: true }],
    [{ user_id: 'u4', item_id: 'v7', ts: end + 120_000, timespent_s: 30, video_length_s: 30 },
      { user_id: 'u9', item_id: 'v2', ts: end + 180_000, timespent_s: 1, video_length_s: 20 }],
  ];
  for (const views of batches) {
    const r = await rpc('IngestEvents', { source: 'oo', views });
    assert.equal(Number(r.views_inserted), views.length);
  }
  const now = end + 10 * 60_000;
  const users = await rpc('GetUserFeatures', { user_ids: ['u1', 'u4', 'u9'], source: 'oo', hod: 3, dow: 2, now_ms: now });
  const items = await rpc('GetItemFeatures', { item_ids: ['v2', 'v7'], source: 'oo', now_ms: now });

  const layout = layoutFor(4);
  const log = await loadLog(new PgEventSourceStore(tp.platform.ctx.db.pool), events, { source: 'oo', format: '', timezone: 'Asia/Kolkata', language: '', dim: 4 });
  const one = allocRows(1, layout);
  for (const [k, id] of ['u1', 'u4', 'u9'].entries()) {
    const online = users.users[k];
    assert.equal(online.status, 'FEATURE_STATUS_PRESENT', id);
    // The time the online values describe (second precision in the answer; exact in the row).
    const asOf = Number((await tp.platform.ctx.db.pool.query("SELECT as_of FROM online_user_features WHERE source = 'oo' AND user_id = $1", [id])).rows[0].as_of);
    const eng = new FeatureEngine(log, layout);
    eng.advanceTo(asOf);
    eng.writeUser(log.userIds.indexOf(id), 0, 0, 0, one.batch, 0);
    assert.deepEqual(online.dense, Array.from(one.batch.userDense), `user ${id} at ${asOf}`);
  }
  for (const [k, id] of ['v2', 'v7'].entries()) {
    const asOf = Number((await tp.platform.ctx.db.pool.query("SELECT as_of FROM online_item_features WHERE source = 'oo' AND item_id = $1", [id])).rows[0].as_of);
    const eng = new FeatureEngine(log, layout);
    eng.advanceTo(asOf);
    eng.writeItem(log.itemIds.indexOf(id), asOf, one.batch, 0);
    assert.deepEqual(items.items[k].dense, Array.from(one.batch.itemDense), `item ${id} at ${asOf}`);
  }
  // Every ingested view is in the files (staged until a compaction), and the late one is read in time order.
  assert.equal(log.n, Number(g.counts.views_inserted) + 5);
  assert.ok(log.ts.every((t, i) => i === 0 || t >= log.ts[i - 1]));
});
