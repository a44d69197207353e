// Retrieve's exact search on a catalog large enough for its SIMD pre-pass (4,096 items and up), over real gRPC:
// the list and scores equal brute force over the whole catalog recomputed independently with onnxruntime from
// the stored ONNX files, with and without exclusions.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { call, clientOf } from '../helpers/platform';
import type { RetrieveResponse__Output } from '../../proto/gen/modelops/v1/RetrieveResponse';
import { startScoringHarness, type ScoringHarness } from './harness';
import { reference } from './reference';

let h: ScoringHarness;
const ITEMS = Array.from({ length: 6000 }, (_, i) => `x${i}`);

before(async () => {
  h = await startScoringHarness();
  ITEMS.forEach((i) => h.features.items.add(i));
  ['u1', 'u2'].forEach((u) => h.features.users.add(u));
  await h.register('rx-base', 'v1', 31, 'two-tower-base');
  await h.promote('rx-base', 'v1');
});
after(async () => { await h?.stop(); });

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
