// Hot swap over real gRPC under continuous load: 20 promote/rollback swaps through the registry (its
// NOTIFY reaches scoring) with zero failed calls, every response naming the version that computed it
// (checked by its scores, which differ per version); and a corrupted artifact of a newly promoted version
// leaves the old version serving, visibly (status, metrics).
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ScoreResponse__Output } from '../../proto/gen/modelops/v1/ScoreResponse';
import type { GetScoringStatusResponse__Output } from '../../proto/gen/modelops/v1/GetScoringStatusResponse';
import { call, clientOf } from '../helpers/platform';
import { startScoringHarness, type ScoringHarness } from './harness';
import { reference } from './reference';

let h: ScoringHarness;
const MODEL = 'feed-ranker-hi';
const ITEMS = Array.from({ length: 50 }, (_, i) => `v${i}`);
const REQ = { model: MODEL, user_id: 'u1', item_ids: ITEMS, top_k: 10, context: { hod: 12, dow: 2 } };

before(async () => {
  h = await startScoringHarness();
  ITEMS.forEach((i) => h.features.items.add(i));
  h.features.users.add('u1');
});
after(async () => { await h?.stop(); });

function score(): Promise<ScoreResponse__Output> {
  const target = { addr: h.addr };
  return call(target, clientOf('ScoringService', target), 'Score', REQ, { deadlineMs: 10_000 });
}

/** The top-10 item ids each version must return for REQ, recomputed from its stored ONNX files. */
async function expectedTop(name: string): Promise<string[]> {
  const v = await h.store.getVersion(MODEL, name);
  const files = await Promise.all(v.artifacts.map(async (a) => ({ name: a.name, data: await h.store.loadArtifact(v, a.name) })));
  const s = await reference(files, v.arch, 'u1', REQ.context, ITEMS);
  return ITEMS.map((id, i) => ({ id, s: s[i] })).sort((a, b) => b.s - a.s).slice(0, 10).map((e) => e.id);
}

async function servedBy(name: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await score()).version_name === name) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`scoring did not switch to ${name} within ${timeoutMs} ms`);
}

test('20 promote/rollback swaps under continuous load: zero failed calls, each response names its version', async () => {
  await h.register(MODEL, 'prod-a', 101);
  await h.register(MODEL, 'prod-b', 202);
  await h.promote(MODEL, 'prod-a');
  await servedBy('prod-a');
  const expected: Record<string, string[]> = { 'prod-a': await expectedTop('prod-a'), 'prod-b': await expectedTop('prod-b') };
  assert.notDeepEqual(expected['prod-a'], expected['prod-b'], 'the two versions must rank differently for the check to mean anything');
  const swapsBefore = (await h.metrics.registry.getSingleMetricAsString('modelops_scoring_swaps_total'));

  let stop = false;
  let ok = 0;
  const failures: string[] = [];
  const seen: Record<string, number> = {};
  const worker = async () => {
    while (!stop) {
      try {
        const r = await score();
        ok++;
        seen[r.version_name] = (seen[r.version_name] ?? 0) + 1;
        const want = expected[r.version_name];
        if (!want) failures.push(`unexpected version ${r.version_name}`);
        else if (JSON.stringify(r.item_ids) !== JSON.stringify(want)) failures.push(`${r.model_version} (${r.version_name}) returned another version's ranking`);
        const num = r.version_name === 'prod-a' ? 1 : 2;
        if (r.model_version !== `models/${MODEL}/versions/${num}`) failures.push(`name ${r.version_name} with resource ${r.model_version}`);
      } catch (err) {
        failures.push(`call failed: ${(err as Error).message}`);
      }
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  for (let i = 0; i < 10; i++) {
    await h.promote(MODEL, 'prod-b');
    await servedBy('prod-b');
    await h.rollback(MODEL);
    await servedBy('prod-a');
  }
  stop = true;
  await Promise.all(workers);
  assert.deepEqual(failures.slice(0, 5), []);
  assert.ok(ok > 100, `only ${ok} calls completed under load`);
  assert.ok(seen['prod-a'] > 0 && seen['prod-b'] > 0, JSON.stringify(seen));
  // 20 swaps were made, each applied (servedBy waited for each): the swap counter rose by at least 20.
  const count = (text: string) => Number(/modelops_scoring_swaps_total\{model="feed-ranker-hi"\} (\d+)/.exec(text)?.[1] ?? 0);
  const after = await h.metrics.registry.getSingleMetricAsString('modelops_scoring_swaps_total');
  assert.ok(count(after) - count(swapsBefore) >= 20, `${count(swapsBefore)} -> ${count(after)}`);
});

test('a corrupted artifact of a newly promoted version leaves the old version serving, and says so', async () => {
  const bad = await h.register(MODEL, 'prod-bad', 303);
  // Corrupt the stored user tower after registration (same key, other bytes): its sha256 no longer matches.
  const art = bad.artifacts.find((a) => a.name === 'user_tower.onnx')!;
  const ctx = h.tp.platform.ctx;
  const bytes = await ctx.artifacts.get(art.key);
  bytes.fill(7, 0, 16);
  await ctx.artifacts.remove(art.key);
  await ctx.artifacts.put(art.key, bytes);
  const servingBefore = (await score()).version_name;

  await h.promote(MODEL, 'prod-bad');
  // Wait until scoring has tried (and failed) to load it.
  const until = Date.now() + 20_000;
  while (Date.now() < until && !h.scoring.manager.status().failures.some((f) => f.name === 'prod-bad')) await new Promise((r) => setTimeout(r, 20));
  const target = { addr: h.addr };
  const status = await call<object, GetScoringStatusResponse__Output>(target, clientOf('ScoringService', target), 'GetScoringStatus', { model: MODEL });
  const failure = status.failures.find((f) => f.version_name === 'prod-bad');
  assert.ok(failure, 'the failed load is reported by GetScoringStatus');
  assert.equal(failure.model_version, `models/${MODEL}/versions/3`);
  assert.match(failure.error, /corrupted|sha256/);
  const r = await score();
  assert.equal(r.version_name, servingBefore);
  assert.equal(status.models.find((m) => m.model === MODEL)?.production_version_name, servingBefore);
  const metrics = await h.metrics.registry.getSingleMetricAsString('modelops_scoring_load_failures_total');
  assert.match(metrics, /modelops_scoring_load_failures_total\{model="feed-ranker-hi",version="models\/feed-ranker-hi\/versions\/3"\} 1/);

  // Rolling the bad promotion back clears the reported failure (the version is no longer wanted).
  await h.rollback(MODEL);
  const clearBy = Date.now() + 20_000;
  let after = status;
  while (Date.now() < clearBy && after.failures.length > 0) {
    await new Promise((r) => setTimeout(r, 20));
    after = await call<object, GetScoringStatusResponse__Output>(target, clientOf('ScoringService', target), 'GetScoringStatus', { model: MODEL });
  }
  assert.deepEqual(after.failures, []);
  assert.equal((await score()).version_name, servingBefore);
});
