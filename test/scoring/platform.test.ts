// Score on the real platform composition (`modelops serve` with feature, registry, rollout and scoring):
// synthetic views generated through FeatureService fill the online feature store; a version exported by the
// training exporter (random weights, two-tower-mod) is registered and promoted; Score through the access
// interceptor ranks exactly as onnxruntime does when run directly on the stored ONNX files with the online
// feature rows; an unknown item is listed and an unknown user is cold start.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { startTestPlatform, call, clientOf, type TestPlatform } from '../helpers/platform';
import type { ScoreResponse__Output } from '../../proto/gen/modelops/v1/ScoreResponse';
import { layoutFor } from '../../ml/features/layout';
import { makeSpec } from '../../ml/model/spec';
import { Params } from '../../ml/model/params';
import { exportOnnx } from '../../ml/onnx/export';
import { modelMeta } from '../../ml/model/model-meta';
import { encodeItemVectors } from '../../ml/model/item-vectors';
import { OnlineFeatures } from '../../services/feature/online-features';
import { RegistryStore } from '../../registry/registry-store';
import { Promotions } from '../../services/registry/promotion';
import { PgOnlineFeatureStore } from '../../registry/online-feature-store';
import { PgEventSourceStore } from '../../registry/event-source-store';

let tp: TestPlatform;
const DIM = 4;
const layout = layoutFor(DIM);
let users: string[];
let items: string[];
let files: Record<string, Buffer>;
let online: OnlineFeatures;

before(async () => {
  tp = await startTestPlatform({ services: ['feature', 'registry', 'rollout', 'scoring'] });
  const op = await tp.target('operator');
  await call(op, clientOf('FeatureService', op), 'GenerateEvents', { users: 30, items: 40, days: 3, seed: 9, dim: DIM, views_per_day: 5, source: 'syn' });
  const pool = tp.platform.ctx.db.pool;
  users = (await pool.query<{ user_id: string }>("SELECT user_id FROM online_user_features WHERE source = 'syn' ORDER BY user_id LIMIT 5")).rows.map((r) => r.user_id);
  items = (await pool.query<{ item_id: string }>("SELECT item_id FROM items WHERE source = 'syn' ORDER BY item_id")).rows.map((r) => r.item_id);
  assert.ok(users.length === 5 && items.length >= 30, `${users.length} users, ${items.length} items`);
  online = new OnlineFeatures({ online: new PgOnlineFeatureStore(pool), sources: new PgEventSourceStore(pool) }, layout, { source: 'syn' });

  const spec = makeSpec('two-tower-mod', 'binary', layout, { hidden: [16], dim: 8, catDim: 4, ageHidden: 4 });
  const p = Params.init(spec, 42);
  files = exportOnnx(p);
  // Precomputed item vectors for half the catalogue (scoring builds its cache for these at load).
  const half = items.slice(0, 20);
  const rows = await online.itemRows(half, Date.now());
  const s = await ort.InferenceSession.create(files['item_tower.onnx']);
  const iv = (await s.run({ item_cat: new ort.Tensor('int32', rows.batch.itemCat, [half.length, 1]),
    item_dense: new ort.Tensor('float32', rows.batch.itemDense, [half.length, layout.itemDenseDim]) })).item_vec.data as Float32Array;
  files['item_vectors.bin'] = encodeItemVectors(half, iv, 8);
  files['model.json'] = Buffer.from(JSON.stringify(modelMeta(p, {}, 'test', { id: 'ds-none', window: '', label: 'wtg', buckets: '', timezone: 'Asia/Kolkata' })));
  const store = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
  await store.createModel({ id: 'feed-ranker-hi', createdBy: 'test' });
  await store.registerVersion({ model: 'feed-ranker-hi', name: 'prod-wtg-1', arch: 'two-tower-mod', task: 'binary', label: 'wtg', buckets: '',
    datasetId: 'ds-none', hyperparameters: {}, trainingMetrics: {}, parity: null, backend: 'test', dataWindow: '',
    files: Object.entries(files).map(([name, data]) => ({ name, data })), createdBy: 'test' });
  await new Promotions(store).promote({ model: 'feed-ranker-hi', version: 'prod-wtg-1', actor: 'test', force: true, reason: 'test' });
});
after(async () => { await tp?.stop(); });

/** Scores recomputed with onnxruntime from the exported files and the online rows (u.v + age logit). */
async function expected(user: string, cands: string[], hod: number, dow: number): Promise<{ id: string; s: number }[]> {
  const u = await online.userRows([user], { hod, dow });
  const it = await online.itemRows(cands, Date.now());
  const us = await ort.InferenceSession.create(files['user_tower.onnx']);
  const is = await ort.InferenceSession.create(files['item_tower.onnx']);
  const hs = await ort.InferenceSession.create(files['head.onnx']);
  const uv = (await us.run({ user_cat: new ort.Tensor('int32', u.batch.userCat, [1, 3]), user_dense: new ort.Tensor('float32', u.batch.userDense, [1, layout.userDenseDim]) })).user_vec.data as Float32Array;
  const n = cands.length;
  const iv = (await is.run({ item_cat: new ort.Tensor('int32', it.batch.itemCat, [n, 1]), item_dense: new ort.Tensor('float32', it.batch.itemDense, [n, layout.itemDenseDim]) })).item_vec.data as Float32Array;
  const age = (await hs.run({ item_age: new ort.Tensor('float32', it.batch.itemAge, [n, 1]) })).age_logit.data as Float32Array;
  return cands.map((id, i) => {
    let s = age[i];
    for (let k = 0; k < 8; k++) s += uv[k] * iv[i * 8 + k];
    return { id, s };
  }).sort((a, b) => b.s - a.s);
}

test('Score on the platform ranks as onnxruntime does on the stored files with the online features', async () => {
  const reader = await tp.target('reader');
  const client = clientOf('ScoringService', reader);
  for (const [k, user] of users.slice(0, 3).entries()) {
    const cands = items.slice(k * 5, k * 5 + 25); // some cached at load, some computed on demand
    const res = await call<object, ScoreResponse__Output>(reader, client, 'Score', { model: 'feed-ranker-hi', user_id: user, item_ids: cands, top_k: 10, context: { hod: 7 + k, dow: k } });
    const want = await expected(user, cands, 7 + k, k);
    assert.deepEqual(res.item_ids, want.slice(0, 10).map((e) => e.id));
    // Item age moves between the cache build and this recomputation (seconds): scores agree to 1e-3.
    res.scores.forEach((s, i) => assert.ok(Math.abs(s - want[i].s) < 1e-3, `${res.item_ids[i]}: ${s} vs ${want[i].s}`));
    assert.equal(res.model_version, 'models/feed-ranker-hi/versions/1');
    assert.equal(res.version_name, 'prod-wtg-1');
    assert.equal(res.arm, 'production');
    assert.equal(res.cold_start_user, false);
  }
  const odd = await call<object, ScoreResponse__Output>(reader, client, 'Score', { model: 'feed-ranker-hi', user_id: 'never-seen', item_ids: [items[0], 'not-an-item', items[1]] });
  assert.equal(odd.cold_start_user, true);
  assert.deepEqual(odd.unknown_item_ids, ['not-an-item']);
  assert.deepEqual([...odd.item_ids].sort(), [items[0], items[1]].sort());
});
