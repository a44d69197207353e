// Retrieve over real gRPC, with versions registered and promoted through the registry (real Postgres, real
// S3): the retrieved list equals exact brute force over the whole small catalog, recomputed independently with
// onnxruntime from the stored ONNX files (plain dot product, the age-logit head, and the late head that
// rescores the towers' best candidates); top_k default and limits, exclusions, errors.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { rpcError, call, clientOf } from '../helpers/platform';
import type { RetrieveResponse__Output } from '../../proto/gen/modelops/v1/RetrieveResponse';
import { startScoringHarness, type ScoringHarness } from './harness';
import { reference } from './reference';

let h: ScoringHarness;
// 300 items: more than the default K (100), fewer than the late head's rescoring depth (1,000), so brute force
// over the whole catalog is the exact answer for every architecture.
const ITEMS = Array.from({ length: 300 }, (_, i) => `r${i}`);

before(async () => {
  h = await startScoringHarness();
  ITEMS.forEach((i) => h.features.items.add(i));
  ['u1', 'u2'].forEach((u) => h.features.users.add(u));
  for (const [model, arch, seed] of [['ret-base', 'two-tower-base', 21], ['ret-mod', 'two-tower-mod', 22], ['ret-late', 'modified-two-tower', 23]] as const) {
    await h.register(model, 'v1', seed, arch);
    await h.promote(model, 'v1');
  }
});
after(async () => { await h?.stop(); });

function retrieve(req: object): Promise<RetrieveResponse__Output> {
  const target = { addr: h.addr };
  return call(target, clientOf('ScoringService', target), 'Retrieve', req, { deadlineMs: 20_000 });
}

async function bruteForce(model: string, arch: string, user: string | null, ctx: { hod: number; dow: number }, k: number, exclude: string[] = []) {
  const v = await h.store.getVersion(model, 'v1');
  const files = await Promise.all(v.artifacts.map(async (a) => ({ name: a.name, data: await h.store.loadArtifact(v, a.name) })));
  const pool = ITEMS.filter((i) => !exclude.includes(i));
  const s = await reference(files, arch, user, ctx, pool);
  return pool.map((id, i) => ({ id, s: s[i] })).sort((a, b) => b.s - a.s).slice(0, k);
}

test('a retrieved list equals exact brute force over the catalog, for each architecture', async () => {
  for (const [model, arch] of [['ret-base', 'two-tower-base'], ['ret-mod', 'two-tower-mod'], ['ret-late', 'modified-two-tower']] as const) {
    for (const [user, hod, dow] of [['u1', 9, 0], ['u2', 21, 6]] as const) {
      // top_k 0 means 100.
      const res = await retrieve({ model, user_id: user, top_k: 0, context: { hod, dow } });
      const want = await bruteForce(model, arch, user, { hod, dow }, 100);
      assert.equal(res.item_ids.length, 100, model);
      assert.deepEqual(res.item_ids, want.map((w) => w.id), `${model} ${user}`);
      res.scores.forEach((s, i) => assert.ok(Math.abs(s - want[i].s) < 1e-4, `${model} ${res.item_ids[i]}: ${s} vs ${want[i].s}`));
      assert.equal(res.model_version, `models/${model}/versions/1`);
      assert.equal(res.version_name, 'v1');
      assert.equal(res.arm, 'production');
      assert.equal(res.cold_start_user, false);
      assert.ok(res.request_id.length > 0);
    }
  }
});

test('exclusions are never returned and the next best fill in; cold-start user; request id echoed', async () => {
  const full = await retrieve({ model: 'ret-base', user_id: 'u1', top_k: 10, context: { hod: 9, dow: 0 } });
  const exclude = [...full.item_ids.slice(0, 3), 'not-an-item'];
  const res = await retrieve({ model: 'ret-base', user_id: 'u1', top_k: 10, exclude_item_ids: exclude, request_id: 'ret-7', context: { hod: 9, dow: 0 } });
  const want = await bruteForce('ret-base', 'two-tower-base', 'u1', { hod: 9, dow: 0 }, 10, exclude);
  assert.deepEqual(res.item_ids, want.map((w) => w.id));
  // The 4th..10th of the full list are still there, in order, at the top.
  assert.deepEqual(res.item_ids.slice(0, 7), full.item_ids.slice(3));
  assert.equal(res.request_id, 'ret-7');
  const cold = await retrieve({ model: 'ret-base', user_id: 'newcomer', top_k: 5, context: { hod: 3, dow: 1 } });
  assert.equal(cold.cold_start_user, true);
  assert.deepEqual(cold.item_ids, (await bruteForce('ret-base', 'two-tower-base', null, { hod: 3, dow: 1 }, 5)).map((w) => w.id));
  // A K above the catalog returns the whole catalog.
  const all = await retrieve({ model: 'ret-base', user_id: 'u1', top_k: 1000, context: { hod: 9, dow: 0 } });
  assert.equal(all.item_ids.length, ITEMS.length);
});

test('error cases: top_k and exclusion limits, required fields, unknown model', async () => {
  const big = await rpcError(retrieve({ model: 'ret-base', user_id: 'u1', top_k: 1001 }));
  assert.equal(big.code, status.INVALID_ARGUMENT);
  assert.match(big.details, /top_k: 1001 is out of range; give 0 \(meaning 100\) up to 1000/);
  const atLimit = await retrieve({ model: 'ret-base', user_id: 'u1', top_k: 1000, exclude_item_ids: Array.from({ length: 5000 }, (_, i) => `x${i}`) });
  assert.equal(atLimit.item_ids.length, ITEMS.length);
  const tooMany = await rpcError(retrieve({ model: 'ret-base', user_id: 'u1', exclude_item_ids: Array.from({ length: 5001 }, (_, i) => `x${i}`) }));
  assert.equal(tooMany.code, status.INVALID_ARGUMENT);
  assert.match(tooMany.details, /5001 ids given, at most 5000 allowed/);
  assert.equal((await rpcError(retrieve({ model: 'ret-base', user_id: '' }))).code, status.INVALID_ARGUMENT);
  assert.equal((await rpcError(retrieve({ model: '', user_id: 'u1' }))).code, status.INVALID_ARGUMENT);
  assert.equal((await rpcError(retrieve({ model: 'no-such-model', user_id: 'u1' }))).code, status.NOT_FOUND);
});
