// Retrieve's exact search on a catalog large enough for its batched pre-pass (4,096 items and up), over real gRPC:
// the list and scores equal brute force over the whole catalog recomputed independently with onnxruntime from
// the stored ONNX files, with and without exclusions, for calls one at a time and for concurrent calls that
// share one pass, with and without the age logit's bias term.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { call, clientOf } from '../helpers/platform';
import type { RetrieveResponse__Output } from '../../proto/gen/modelops/v1/RetrieveResponse';
import { startScoringHarness, type ScoringHarness } from './harness';
import { reference } from './reference';

let h: ScoringHarness;
const ITEMS = Array.from({ length: 6000 }, (_, i) => `x${i}`);
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];

before(async () => {
  h = await startScoringHarness();
  ITEMS.forEach((i) => h.features.items.add(i));
  USERS.forEach((u) => h.features.users.add(u));
  await h.register('rx-base', 'v1', 31, 'two-tower-base');
  await h.promote('rx-base', 'v1');
  await h.register('rx-mod', 'v1', 32, 'two-tower-mod');
  await h.promote('rx-mod', 'v1');
});
after(async () => { await h?.stop(); });

/** The whole catalog ranked by brute force (onnxruntime over the stored ONNX files), best first. */
async function bruteForce(model: string, arch: string, user: string | null, ctx: { hod: number; dow: number }) {
  const v = await h.store.getVersion(model, 'v1');
  const files = await Promise.all(v.artifacts.map(async (a) => ({ name: a.name, data: await h.store.loadArtifact(v, a.name) })));
  const s = await reference(files, arch, user, ctx, ITEMS);
  return ITEMS.map((id, i) => ({ id, s: s[i] })).sort((a, b) => b.s - a.s);
}

function retrieve(req: object): Promise<RetrieveResponse__Output> {
  const target = { addr: h.addr };
  return call(target, clientOf('ScoringService', target), 'Retrieve', req, { deadlineMs: 20_000 });
}

test('6,000 items: the pre-pass\'s list equals brute force over the whole catalog, with and without exclusions', async () => {
  const v = await h.store.getVersion('rx-base', 'v1');
  const files = await Promise.all(v.artifacts.map(async (a) => ({ name: a.name, data: await h.store.loadArtifact(v, a.name) })));
  for (const [user, hod, dow] of [['u1', 9, 0], ['u2', 21, 6], [null, 3, 1]] as const) {
    const s = await reference(files, 'two-tower-base', user, { hod, dow }, ITEMS);
    const ranked = ITEMS.map((id, i) => ({ id, s: s[i] })).sort((a, b) => b.s - a.s);
    const res = await retrieve({ model: 'rx-base', user_id: user ?? 'newcomer', top_k: 0, context: { hod, dow } });
    assert.deepEqual(res.item_ids, ranked.slice(0, 100).map((w) => w.id), `${user}`);
    res.scores.forEach((x, i) => assert.ok(Math.abs(x - ranked[i].s) < 1e-4, `${res.item_ids[i]}: ${x} vs ${ranked[i].s}`));
    // Every other item of the top 40 excluded: the rest and the next best fill in, in order.
    const exclude = ranked.slice(0, 40).filter((_, j) => j % 2 === 0).map((w) => w.id);
    const ex = await retrieve({ model: 'rx-base', user_id: user ?? 'newcomer', top_k: 50, exclude_item_ids: exclude, context: { hod, dow } });
    assert.deepEqual(ex.item_ids, ranked.filter((w) => !exclude.includes(w.id)).slice(0, 50).map((w) => w.id), `${user} with exclusions`);
  }
});

test('concurrent calls share passes over the catalog and each gets exactly its brute-force list (with and without a bias term)', async () => {
  for (const [model, arch] of [['rx-base', 'two-tower-base'], ['rx-mod', 'two-tower-mod']] as const) {
    const ctx = { hod: 20, dow: 4 };
    const want = await Promise.all(USERS.map((u) => bruteForce(model, arch, u, ctx)));
    // Warm the users' rows, so that the concurrent calls below reach the pass in the same event-loop turn.
    await Promise.all(USERS.map((u) => retrieve({ model, user_id: u, top_k: 5, context: ctx })));
    const v = h.scoring.manager.loadedVersions().find((x) => x.ref.model === model)!;
    const passes = v.scan.passes, calls = v.scan.calls;
    const got = await Promise.all(USERS.flatMap((u) => [u, u].map(() => retrieve({ model, user_id: u, top_k: 100, context: ctx }))));
    got.forEach((res, j) => {
      const w = want[j >> 1];
      assert.deepEqual(res.item_ids, w.slice(0, 100).map((x) => x.id), `${model} ${USERS[j >> 1]}`);
      res.scores.forEach((x, i) => assert.ok(Math.abs(x - w[i].s) < 1e-4, `${model} ${res.item_ids[i]}: ${x} vs ${w[i].s}`));
    });
    assert.equal(v.scan.calls - calls, got.length);
    assert.ok(v.scan.passes - passes < got.length, `${v.scan.passes - passes} passes for ${got.length} concurrent calls`);
  }
});
