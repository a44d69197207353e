// Score over real gRPC, with versions registered and promoted through the registry (real Postgres, real
// S3): rankings equal scores recomputed independently with onnxruntime from the stored ONNX files; top_k,
// duplicates, unknown items, cold-start users, request ids; every error case of the contract.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { rpcError, call, clientOf } from '../helpers/platform';
import type { ScoreResponse__Output } from '../../proto/gen/modelops/v1/ScoreResponse';
import { startScoringHarness, type ScoringHarness } from './harness';
import { reference } from './reference';

let h: ScoringHarness;
const ITEMS = Array.from({ length: 60 }, (_, i) => `v${i}`);

before(async () => {
  h = await startScoringHarness();
  ITEMS.forEach((i) => h.features.items.add(i));
  ['u1', 'u2', 'u3'].forEach((u) => h.features.users.add(u));
  await h.register('feed-ranker-hi', 'prod-p90', 11);
  await h.register('feed-ranker-hi', 'prod-wtg-mod', 12, 'two-tower-mod');
  await h.promote('feed-ranker-hi', 'prod-p90');
  await h.store.createModel({ id: 'no-prod', createdBy: 'test' });
});
after(async () => { await h?.stop(); });

function score(req: object, deadlineMs?: number): Promise<ScoreResponse__Output> {
  const target = { addr: h.addr };
  return call(target, clientOf('ScoringService', target), 'Score', req, { deadlineMs });
}

async function filesOf(model: string, name: string) {
  const v = await h.store.getVersion(model, name);
  return Promise.all(v.artifacts.map(async (a) => ({ name: a.name, data: await h.store.loadArtifact(v, a.name) })));
}

test('rankings equal scores recomputed with onnxruntime from the stored artifacts, for several requests', async () => {
  const files = await filesOf('feed-ranker-hi', 'prod-p90');
  for (const [user, cands, hod, dow] of [['u1', ITEMS.slice(0, 20), 9, 0], ['u2', ITEMS.slice(10, 50), 21, 6], ['u3', ITEMS, 0, 3]] as const) {
    const res = await score({ model: 'feed-ranker-hi', user_id: user, item_ids: cands, top_k: 0, context: { hod, dow } });
    const want = await reference(files, 'two-tower-base', user, { hod, dow }, [...cands]);
    const expected = cands.map((id, i) => ({ id, s: want[i] })).sort((a, b) => b.s - a.s);
    assert.deepEqual(res.item_ids, expected.map((e) => e.id));
    res.scores.forEach((s, i) => assert.ok(Math.abs(s - expected[i].s) < 1e-4, `${res.item_ids[i]}: ${s} vs ${expected[i].s}`));
    assert.equal(res.model_version, 'models/feed-ranker-hi/versions/1');
    assert.equal(res.version_name, 'prod-p90');
    assert.equal(res.arm, 'production');
    assert.equal(res.cold_start_user, false);
    assert.deepEqual(res.unknown_item_ids, []);
    assert.ok(res.request_id.length > 0);
  }
});

test('top_k, duplicates scored once, unknown items listed, cold-start user flagged, request id echoed', async () => {
  const cands = ['v1', 'v2', 'ghost-1', 'v1', 'v3', 'ghost-1', 'v4', 'ghost-2'];
  const res = await score({ model: 'feed-ranker-hi', user_id: 'u1', item_ids: cands, top_k: 2, request_id: 'req-42', context: { hod: 3, dow: 1 } });
  assert.equal(res.item_ids.length, 2);
  assert.equal(res.scores.length, 2);
  assert.ok(res.scores[0] >= res.scores[1]);
  assert.deepEqual(res.unknown_item_ids, ['ghost-1', 'ghost-2']);
  assert.equal(res.request_id, 'req-42');
  const all = await score({ model: 'feed-ranker-hi', user_id: 'u1', item_ids: cands, top_k: 0, context: { hod: 3, dow: 1 } });
  assert.deepEqual([...all.item_ids].sort(), ['v1', 'v2', 'v3', 'v4']);
  assert.deepEqual(all.item_ids.slice(0, 2), res.item_ids);

  const cold = await score({ model: 'feed-ranker-hi', user_id: 'someone-new', item_ids: ITEMS.slice(0, 10), top_k: 5, context: { hod: 3, dow: 1 } });
  assert.equal(cold.cold_start_user, true);
  const want = await reference(await filesOf('feed-ranker-hi', 'prod-p90'), 'two-tower-base', null, { hod: 3, dow: 1 }, ITEMS.slice(0, 10));
  assert.deepEqual(cold.item_ids, ITEMS.slice(0, 10).map((id, i) => ({ id, s: want[i] })).sort((a, b) => b.s - a.s).slice(0, 5).map((e) => e.id));
});

test('error cases: limits, required fields, unknown model, no production, deadline', async () => {
  const tooMany = await rpcError(score({ model: 'feed-ranker-hi', user_id: 'u1', item_ids: Array.from({ length: 5001 }, (_, i) => `v${i}`) }));
  assert.equal(tooMany.code, status.INVALID_ARGUMENT);
  assert.match(tooMany.details, /5001 candidates given, at most 5000 allowed/);
  const atLimit = await score({ model: 'feed-ranker-hi', user_id: 'u1', item_ids: Array.from({ length: 5000 }, (_, i) => `v${i}`), top_k: 3 });
  assert.equal(atLimit.item_ids.length, 3);

  assert.equal((await rpcError(score({ model: 'feed-ranker-hi', user_id: '', item_ids: ['v1'] }))).code, status.INVALID_ARGUMENT);
  assert.equal((await rpcError(score({ model: '', user_id: 'u1', item_ids: ['v1'] }))).code, status.INVALID_ARGUMENT);
  assert.equal((await rpcError(score({ model: 'no-such-model', user_id: 'u1', item_ids: ['v1'] }))).code, status.NOT_FOUND);
  const noProd = await rpcError(score({ model: 'no-prod', user_id: 'u1', item_ids: ['v1'] }));
  assert.equal(noProd.code, status.FAILED_PRECONDITION);
  assert.match(noProd.details, /no production version/);

  // A feature store slower than the deadline: the call ends with DEADLINE_EXCEEDED, and the next one works.
  h.features.delayMs = 300;
  try {
    const slow = await rpcError(score({ model: 'feed-ranker-hi', user_id: 'u-slow', item_ids: ['v1'], context: { hod: 1, dow: 1 } }, 100));
    assert.equal(slow.code, status.DEADLINE_EXCEEDED);
  } finally {
    h.features.delayMs = 0;
  }
  const fine = await score({ model: 'feed-ranker-hi', user_id: 'u1', item_ids: ['v1'] });
  assert.deepEqual(fine.item_ids, ['v1']);
});

test('metrics: cache lookups by result, and Score latency per version and arm', async () => {
  const read = async () => {
    const text = await h.metrics.registry.metrics();
    const get = (cache: string, result: string) => Number(new RegExp(`modelops_scoring_cache_lookups_total\\{cache="${cache}",result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const calls = Number(/modelops_scoring_score_duration_seconds_count\{model="feed-ranker-hi",version="models\/feed-ranker-hi\/versions\/1",arm="production"\} (\d+)/.exec(text)?.[1] ?? 0);
    return { itemHit: get('item', 'hit'), itemMiss: get('item', 'miss'), userHit: get('user', 'hit'), userMiss: get('user', 'miss'), calls };
  };
  const before = await read();
  // Call 1: new user (user miss); v1, v2, v3 are cached (3 item hits), metric-ghost is new (1 item miss).
  await score({ model: 'feed-ranker-hi', user_id: 'metrics-user', item_ids: ['v1', 'v2', 'v3', 'metric-ghost'], context: { hod: 5, dow: 5 } });
  // Call 2: same user and context (user hit); v1 hit; metric-ghost is remembered as unknown (no store lookup, counted as a hit).
  await score({ model: 'feed-ranker-hi', user_id: 'metrics-user', item_ids: ['v1', 'metric-ghost'], context: { hod: 5, dow: 5 } });
  const after = await read();
  assert.deepEqual({
    itemHit: after.itemHit - before.itemHit, itemMiss: after.itemMiss - before.itemMiss,
    userHit: after.userHit - before.userHit, userMiss: after.userMiss - before.userMiss, calls: after.calls - before.calls,
  }, { itemHit: 3 + 2, itemMiss: 1, userHit: 1, userMiss: 1, calls: 2 });
});
