// The exploration slot end to end on the real platform composition (feature, registry, rollout, scoring and
// evaluation over real gRPC, Postgres and S3): `rollout start --explore 1` with only the control; Score returns
// three explored candidates at random positions of every list, each with its score from the full scored set;
// the exploration log and the counters record them; the views of the lists are ingested and their outcomes
// recorded; `data build --exploration-of` keeps exactly the views of explored items in its test part, and
// `evaluate` runs on it.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { startTestPlatform, call, clientOf, type TestPlatform } from '../helpers/platform';
import { cliJson, runCli } from '../helpers/cli';
import type { ScoreResponse__Output } from '../../proto/gen/modelops/v1/ScoreResponse';
import { layoutFor } from '../../ml/features/layout';
import { makeSpec } from '../../ml/model/spec';
import { Params } from '../../ml/model/params';
import { exportOnnx } from '../../ml/onnx/export';
import { modelMeta } from '../../ml/model/model-meta';
import { RegistryStore } from '../../registry/registry-store';
import { Promotions } from '../../services/registry/promotion';
import { EXPLORED_PER_RESPONSE } from '../../services/scoring/exploration';

const M = 'feed-ranker-hi';
const DIM = 4;
const DAY = 86_400_000;
let tp: TestPlatform;
let users: string[];
let items: string[];

before(async () => {
  tp = await startTestPlatform({ services: ['feature', 'registry', 'rollout', 'scoring', 'evaluation'] });
  const op = await tp.target('operator');
  // A week of synthetic views ending two days ago: the explored views ingested below are the newest.
  const start = new Date(Date.now() - 9 * DAY).toISOString().slice(0, 10);
  await call(op, clientOf('FeatureService', op), 'GenerateEvents', { users: 40, items: 30, days: 7, seed: 5, dim: DIM, views_per_day: 6,
    source: 'syn', start_date: start });
  const pool = tp.platform.ctx.db.pool;
  users = (await pool.query<{ user_id: string }>("SELECT user_id FROM online_user_features WHERE source = 'syn' ORDER BY user_id LIMIT 12")).rows.map((r) => r.user_id);
  items = (await pool.query<{ item_id: string }>("SELECT item_id FROM items WHERE source = 'syn' ORDER BY item_id")).rows.map((r) => r.item_id);
  assert.ok(users.length === 12 && items.length >= 20, `${users.length} users, ${items.length} items`);
  const store = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
  await store.createModel({ id: M, createdBy: 'test' });
  for (const [name, seed] of [['prod-wtg-1', 1], ['cand-wtg-2', 2]] as const) {
    const p = Params.init(makeSpec('two-tower-base', 'binary', layoutFor(DIM), { hidden: [16], dim: 8 }), seed);
    const files = { ...exportOnnx(p), 'model.json': Buffer.from(JSON.stringify(modelMeta(p, {}, 'init'))) };
    await store.registerVersion({ model: M, name, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: '', datasetId: 'ds-none',
      hyperparameters: { seed }, trainingMetrics: {}, parity: null, backend: 'init', dataWindow: '',
      files: Object.entries(files).map(([n, data]) => ({ name: n, data })), createdBy: 'test' });
  }
  await new Promotions(store).promote({ model: M, version: 'prod-wtg-1', actor: 'test', force: true, reason: 'test' });
});
after(async () => { await tp?.stop(); });

test('explored candidates are served at random positions, logged, counted, and make an unbiased test set for evaluate', async () => {
  const env = await tp.env('operator');
  const bad = await runCli(['rollout', 'start', M, '--explore', '1.5'], env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--explore: 1.5 is not a share between 0 and 1/);
  const started = await cliJson(['rollout', 'start', M, '--explore', '1', '--reason', 'collect random feedback'], env);
  assert.equal(started.rollout.explore_share, 1);
  assert.deepEqual(started.rollout.arms.map((a: { version: string }) => a.version), ['prod-wtg-1']);

  const reader = await tp.target('reader');
  const scoring = clientOf('ScoringService', reader);
  // Every (user, item) any response explored: a later view of it belongs to the unbiased test set.
  const shown = new Set<string>();
  const score = async (user: string, topK: number) => {
    const r = await call<object, ScoreResponse__Output>(reader, scoring, 'Score', { model: M, user_id: user, item_ids: items, top_k: topK });
    for (const id of r.explored_item_ids) shown.add(`${user}/${id}`);
    return r;
  };
  // Scoring reloads on the rollout's change notification; wait until its plan (and the slot) serves.
  let first = await score(users[0], 10);
  for (let i = 0; i < 100 && first.explored_item_ids.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    first = await score(users[0], 10);
  }
  const lists = new Map<string, ScoreResponse__Output>();
  for (const u of users) {
    const r = await score(u, 10);
    assert.equal(r.item_ids.length, 10);
    assert.equal(r.explored_item_ids.length, EXPLORED_PER_RESPONSE, `user ${u}`);
    for (const id of r.explored_item_ids) assert.ok(r.item_ids.includes(id), `${id} is in the list`);
    // A moved candidate keeps its own score from the full scored set (the whole list, ranked by the same model).
    const full = await score(u, 0);
    const fullScore = new Map(full.item_ids.map((id, i) => [id, full.scores[i]]));
    r.item_ids.forEach((id, i) => assert.equal(r.scores[i], fullScore.get(id), `score of ${id}`));
    // The same user explores the same way all day.
    assert.deepEqual((await score(u, 10)).explored_item_ids, r.explored_item_ids);
    lists.set(u, r);
  }

  // The exploration log (written by the scoring replica's flush, never shed) holds each moved candidate at its position.
  const pool = tp.platform.ctx.db.pool;
  const logged = async () => (await pool.query<{ request_id: string; user_id: string; item_id: string; position: number; list_length: number }>(
    'SELECT request_id, user_id, item_id, position, list_length FROM rollout_explorations')).rows;
  let rows = await logged();
  for (let i = 0; i < 100 && rows.length < users.length * EXPLORED_PER_RESPONSE * 3; i++) {
    await new Promise((r) => setTimeout(r, 100));
    rows = await logged();
  }
  for (const [u, r] of lists) {
    const mine = rows.filter((x) => x.request_id === r.request_id);
    assert.deepEqual(mine.map((x) => x.item_id).sort(), [...r.explored_item_ids].sort());
    for (const x of mine) {
      assert.equal(x.user_id, u);
      assert.equal(x.list_length, 10);
      assert.equal(r.item_ids[x.position], x.item_id);
    }
  }
  const metrics = await tp.platform.ctx.metrics.registry.getSingleMetric('modelops_scoring_explored_items_total')!.get();
  const counted = metrics.values.filter((v) => v.labels.model === M).reduce((s, v) => s + v.value, 0);
  assert.ok(counted >= users.length * EXPLORED_PER_RESPONSE * 3, `explored items counted: ${counted}`);

  // The users watch their lists: the views reach the event store (IngestEvents) and the rollout (RecordOutcomes).
  const op = await tp.target('operator');
  const now = Date.now();
  const views: { user_id: string; item_id: string; ts: number; timespent_s: number; request_id: string }[] = [];
  let explored = 0;
  for (const [u, r] of lists) {
    r.item_ids.slice(0, 6).concat(r.explored_item_ids.filter((id) => r.item_ids.indexOf(id) >= 6)).forEach((id, i) => {
      // A long and a zero watch per user: the build drops users whose window holds only positives or only
      // negatives, and none of these users may drop out of the held-out part for that.
      const timespent = i === 0 ? 600 : i === 1 ? 0 : 2 + ((i * 7 + u.length) % 13);
      views.push({ user_id: u, item_id: id, ts: now + i * 1000, timespent_s: timespent, request_id: r.request_id });
      if (shown.has(`${u}/${id}`)) explored++;
    });
  }
  const ingested = await call<object, { views_inserted: string; rejections: unknown[] }>(op, clientOf('FeatureService', op), 'IngestEvents', {
    source: 'syn', views: views.map(({ request_id: _r, ...v }) => v) });
  assert.equal(Number(ingested.views_inserted), views.length, JSON.stringify(ingested.rejections));
  const recorded = await call<object, { accepted: string; outside_rollout: string }>(op, clientOf('RolloutService', op), 'RecordOutcomes', {
    model: M, outcomes: views.map((v) => ({ request_id: v.request_id, user_id: v.user_id, item_id: v.item_id, timespent_s: v.timespent_s,
      video_length_s: 20, time: { seconds: Math.floor(v.ts / 1000), nanos: (v.ts % 1000) * 1e6 } })) });
  assert.equal(Number(recorded.accepted), views.length, `outside the rollout: ${recorded.outside_rollout}`);

  // The unbiased test set: its test part keeps only the views of explored items.
  const built = await cliJson(['data', 'build', '--exploration-of', M, '--source', 'syn', '--window', 'last-12d', '--train-frac', '0.6',
    '--val-frac', '0', '--min-item-views', '1', '--min-user-views', '1', '--buckets', 'equi-quantile:4'], env);
  assert.equal(built.state, 'ready', built.error);
  assert.equal(built.counts.rows_heldout, explored, JSON.stringify(built.counts));
  assert.ok(built.counts.rows_heldout_unexplored >= views.length - explored, `unexplored held-out views dropped: ${built.counts.rows_heldout_unexplored}`);

  const ev = await cliJson(['evaluate', M, 'cand-wtg-2', '--baseline', 'prod-wtg-1', '--dataset', built.id, '--protocol', 'viewed', '--resamples', '50'], env);
  assert.equal(ev.evaluation.state, 'succeeded', ev.evaluation.error);
  assert.equal(ev.evaluation.dataset_id, built.id);
  assert.equal(ev.users.rows, explored);

  // Without explorations there is nothing to build from.
  const other = await cliJson(['data', 'build', '--exploration-of', 'no-such-model', '--source', 'syn'], env).catch((e: Error) => e);
  assert.ok(other instanceof Error && /explored nothing yet/.test(other.message), String(other));
});
