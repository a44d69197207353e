// Rollout routing over real gRPC: a rollout started through the rollout changes (its NOTIFY reaches scoring)
// splits users between versions exactly as the rollout's assignment function says, sticky per user; shadow
// versions are loaded and scored beside the served one without being returned; stopping the rollout sends
// every user back to production (arm "production").
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ScoreResponse__Output } from '../../proto/gen/modelops/v1/ScoreResponse';
import { call, clientOf } from '../helpers/platform';
import { rolloutStores } from '../../services/rollout/service';
import { assignArm } from '../../ml/rollout/assignment';
import { startScoringHarness, type ScoringHarness } from './harness';

let h: ScoringHarness;
let rollouts: ReturnType<typeof rolloutStores>;
const MODEL = 'feed-ranker-hi';
const ITEMS = Array.from({ length: 30 }, (_, i) => `v${i}`);

before(async () => {
  // Statistics are flushed by the test (no timer), into the rollout store as the platform does.
  h = await startScoringHarness({ shadow: { flushMs: 0, sink: async (ds) => { for (const d of ds) await rollouts.shadow.addShadowStats(d); } } });
  ITEMS.forEach((i) => h.features.items.add(i));
  rollouts = rolloutStores(h.tp.platform.ctx.db, h.store);
  await h.register(MODEL, 'prod-p90', 1);
  await h.register(MODEL, 'prod-wtg-2', 2);
  await h.register(MODEL, 'prod-wtg-shadow', 3);
  await h.promote(MODEL, 'prod-p90');
});
after(async () => { await h?.stop(); });

function score(user: string): Promise<ScoreResponse__Output> {
  const target = { addr: h.addr };
  return call(target, clientOf('ScoringService', target), 'Score', { model: MODEL, user_id: user, item_ids: ITEMS, top_k: 5 });
}

async function until(cond: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('a 70/30 rollout routes each user to the arm assignArm gives it, with that arm\'s version; stop returns to production', async () => {
  assert.equal((await score('u0')).arm, 'production');
  const r = await rollouts.changes.start({ model: MODEL, arms: [{ version: 'prod-wtg-2', weight: 30 }], shadow: ['prod-wtg-shadow'], guardrails: [],
    actor: 'test', reason: 'test' });
  await until(async () => (await score('u0')).arm !== 'production', 'the rollout to reach scoring');
  const spec = { salt: r.salt, control: r.control, arms: r.arms.map((a) => ({ version: a.version, weight: a.weight })) };
  const counts: Record<string, number> = {};
  const servedArm = new Map<string, string>();
  for (let i = 0; i < 200; i++) {
    const user = `user-${i}`;
    const res = await score(user);
    servedArm.set(res.request_id, res.arm);
    const want = assignArm(spec, user);
    assert.equal(res.arm, want, user);
    assert.equal(res.version_name, want);
    assert.equal(res.model_version, `models/${MODEL}/versions/${want === 'prod-p90' ? 1 : 2}`);
    assert.equal((await score(user)).arm, want, 'sticky');
    counts[want] = (counts[want] ?? 0) + 1;
  }
  // Both arms serve (30% of 200 users is ~60; a split with no treatment user would mean routing is off).
  assert.ok(counts['prod-wtg-2'] > 20 && counts['prod-p90'] > 80, JSON.stringify(counts));

  const status = h.scoring.manager.status().models.find((m) => m.model === MODEL)!;
  assert.deepEqual(status.arms.map((a) => [a.arm, a.weight]).sort(), [['prod-p90', 70], ['prod-wtg-2', 30]]);
  assert.deepEqual(status.shadow.map((s) => s.name), ['prod-wtg-shadow']);

  // Calls under the rollout leave a served record (request id -> user, arm) for outcomes that carry only the request id.
  await h.scoring.served!.flush();
  const ids = [...servedArm.keys()].slice(0, 50);
  const records = await rollouts.log.served(MODEL, ids);
  assert.equal(records.size, 50);
  for (const id of ids) assert.equal(records.get(id)?.arm, servedArm.get(id));

  // The shadow version scored served calls off the latency path; its statistics reach the rollout store.
  await h.scoring.shadow.flush();
  const shadow = (await rollouts.shadow.shadowStats(r.id)).find((s) => s.version === 'prod-wtg-shadow');
  assert.ok(shadow && shadow.offered > 0 && shadow.scored > 0, JSON.stringify(shadow));

  await rollouts.changes.stop(MODEL, 'test', 'done');
  await until(async () => (await score('user-1')).arm === 'production', 'the stop to reach scoring');
  for (let i = 0; i < 20; i++) {
    const res = await score(`user-${i}`);
    assert.equal(res.arm, 'production');
    assert.equal(res.version_name, 'prod-p90');
  }
});
