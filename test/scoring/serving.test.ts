// Unit tests of the serving path (real onnxruntime sessions over small test towers, in-memory stores):
// scores equal an independent recomputation, top-k, duplicates, unknown items, cold start, on-demand
// vectors, and the version manager's swaps and refusals.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import pino from 'pino';
import { DomainError } from '../../core/errors';
import { ServingVersion, type LoadOptions } from '../../services/scoring/serving-version';
import { UserFeatureCache } from '../../services/scoring/user-feature-cache';
import { VersionManager } from '../../services/scoring/version-manager';
import { ScoringService } from '../../services/scoring/service';
import type { FeatureSource, VersionRef } from '../../services/scoring/sources';
import { MemoryFeatures, MemoryVersions, versionFiles } from './fixtures';
import { reference } from './reference';
import { archModel } from '../../ml/model/arch';

const log = pino({ level: 'silent' });

function loadOptions(versions: MemoryVersions, features: MemoryFeatures, universe: string[]): LoadOptions {
  const users = new Map<FeatureSource, UserFeatureCache>();
  return {
    versions, features: () => features, defaultTimezone: 'UTC', refreshMs: 0, log,
    users: (layout, f) => { if (!users.has(f)) users.set(f, new UserFeatureCache(f, layout)); return users.get(f)!; },
    itemUniverse: () => universe,
  };
}

const ITEMS = Array.from({ length: 40 }, (_, i) => `v${i}`);

for (const arch of ['two-tower-base', 'two-tower-mod', 'modified-two-tower']) {
  test(`${arch}: ranking equals scores recomputed with onnxruntime; top_k, duplicates, unknown, cold start`, async () => {
    const versions = new MemoryVersions();
    const features = new MemoryFeatures();
    ITEMS.forEach((i) => features.items.add(i));
    features.users.add('u1');
    const files = versionFiles({ seed: 7, arch });
    const ref = versions.add('m', 'prod-a', files, arch);
    const v = await ServingVersion.load(ref, loadOptions(versions, features, ITEMS.slice(0, 30)));
    const ctx = { hod: 5, dow: 2 };
    // v35 is not cached at load (universe is v0..v29): computed on demand; v3 is duplicated; x1 unknown.
    const cands = ['v3', 'v10', 'x1', 'v35', 'v3', 'v20', 'v0'];
    const out = await v.score({ userId: 'u1', itemIds: cands, topK: 0 }, ctx);
    const uniq = ['v3', 'v10', 'v35', 'v20', 'v0'];
    const want = await reference(files, arch, 'u1', ctx, uniq);
    const expected = uniq.map((id, i) => ({ id, s: want[i] })).sort((a, b) => b.s - a.s);
    assert.deepEqual(out.itemIds, expected.map((e) => e.id));
    out.scores.forEach((s, i) => assert.ok(Math.abs(s - expected[i].s) < 1e-4, `${out.itemIds[i]}: ${s} vs ${expected[i].s}`));
    assert.deepEqual(out.unknownItemIds, ['x1']);
    assert.equal(out.coldStartUser, false);

    // The synchronous served path gives the same answer once everything is cached (the late head always
    // goes through score); it declines, counting nothing, when an id or the user is not cached yet.
    const now = v.scoreNow({ userId: 'u1', itemIds: cands, topK: 0 }, ctx);
    if (archModel(arch).head === 'late') assert.equal(now, undefined);
    else assert.deepEqual({ ...now!, computeSeconds: 0 }, { ...out, computeSeconds: 0 });
    const counts = () => [v.items.hits, v.items.misses, v.users.hits, v.users.misses];
    const before = counts();
    assert.equal(v.scoreNow({ userId: 'u1', itemIds: ['v3', 'x2'], topK: 0 }, ctx), undefined);
    assert.equal(v.scoreNow({ userId: 'u2', itemIds: ['v3'], topK: 0 }, ctx), undefined);
    assert.deepEqual(counts(), before);

    const top2 = await v.score({ userId: 'u1', itemIds: cands, topK: 2 }, ctx);
    assert.deepEqual(top2.itemIds, expected.slice(0, 2).map((e) => e.id));

    const cold = await v.score({ userId: 'nobody', itemIds: uniq, topK: 3 }, ctx);
    assert.equal(cold.coldStartUser, true);
    const coldWant = await reference(files, arch, null, ctx, uniq);
    assert.deepEqual(cold.itemIds, uniq.map((id, i) => ({ id, s: coldWant[i] })).sort((a, b) => b.s - a.s).slice(0, 3).map((e) => e.id));
    v.retire();
  });
}

test('unknown items are remembered briefly; an item new to the store is computed on demand', async () => {
  const versions = new MemoryVersions();
  const features = new MemoryFeatures();
  ITEMS.forEach((i) => features.items.add(i));
  const v = await ServingVersion.load(versions.add('m', 'a', versionFiles({ seed: 1 })), loadOptions(versions, features, ITEMS));
  const before = features.itemCalls;
  const r1 = await v.score({ userId: 'u', itemIds: ['v1', 'new1'], topK: 0 }, { hod: 0, dow: 0 });
  assert.deepEqual(r1.unknownItemIds, ['new1']);
  await v.score({ userId: 'u', itemIds: ['v1', 'new1'], topK: 0 }, { hod: 0, dow: 0 });
  // One store lookup for new1 (the second call used the remembered answer); cached items cost none.
  assert.equal(features.itemCalls - before, 1);
  features.items.add('new2');
  const r3 = await v.score({ userId: 'u', itemIds: ['new2', 'v1'], topK: 0 }, { hod: 0, dow: 0 });
  assert.deepEqual(r3.unknownItemIds, []);
  assert.equal(r3.itemIds.length, 2);
  v.retire();
});

test('version manager: swaps on change, in-flight calls finish on their version, a corrupted version never replaces a working one', async () => {
  const versions = new MemoryVersions();
  const features = new MemoryFeatures();
  ITEMS.forEach((i) => features.items.add(i));
  const o = loadOptions(versions, features, ITEMS);
  const loads: VersionRef[] = [];
  const manager = new VersionManager({
    versions, rollouts: { active: async () => undefined }, log, retryAfterMs: 0,
    load: (ref) => { loads.push(ref); return ServingVersion.load(ref, o); },
  });
  const svc = new ScoringService(manager, log);
  const input = { model: 'm', userId: 'u1', itemIds: ITEMS.slice(0, 10), topK: 5, requestId: '' };

  // Unknown model: NOT_FOUND; model without production: FAILED_PRECONDITION.
  await assert.rejects(svc.score({ ...input, model: 'nope' }), (e: DomainError) => e.code === 'NOT_FOUND');
  versions.add('m', 'a', versionFiles({ seed: 1 }));
  await assert.rejects(svc.score(input), (e: DomainError) => e.code === 'FAILED_PRECONDITION');

  versions.prod = 1;
  await manager.reconcile('m');
  const r1 = await svc.score(input);
  assert.equal(r1.modelVersion, 'models/m/versions/1');
  assert.equal(r1.versionName, 'a');
  assert.equal(r1.arm, 'production');
  assert.match(r1.requestId, /^sc-/);

  // A call that started on version 1 finishes there although version 2 is swapped in meanwhile.
  versions.add('m', 'b', versionFiles({ seed: 2 }));
  const old = manager.routeNow('m', 'u1')!.version;
  old.acquire();
  versions.prod = 2;
  await manager.reconcile('m');
  assert.equal(manager.routeNow('m', 'u1')!.version.ref.name, 'b');
  const late = await old.score({ userId: 'u1', itemIds: ITEMS.slice(0, 3), topK: 0 }, { hod: 1, dow: 1 });
  assert.equal(late.itemIds.length, 3);
  old.release();
  const r2 = await svc.score({ ...input, requestId: 'mine' });
  assert.equal(r2.modelVersion, 'models/m/versions/2');
  assert.equal(r2.requestId, 'mine');

  // Version 3's user tower is corrupted after registration: it fails the sha256 check and 2 keeps serving.
  const bad = versions.add('m', 'c', versionFiles({ seed: 3 }));
  versions.files.get(bad.artifacts.find((a) => a.name === 'user_tower.onnx')!.key)!.fill(0, 0, 8);
  versions.prod = 3;
  await manager.reconcile('m');
  const r3 = await svc.score(input);
  assert.equal(r3.modelVersion, 'models/m/versions/2');
  const st = manager.status();
  assert.equal(st.models[0].production, 'models/m/versions/2');
  assert.equal(st.failures.length, 1);
  assert.equal(st.failures[0].name, 'c');
  assert.match(st.failures[0].error, /corrupted/);
  await manager.close();
});

test('a model whose only production version cannot load answers UNAVAILABLE, saying why', async () => {
  const versions = new MemoryVersions();
  const features = new MemoryFeatures();
  const o = loadOptions(versions, features, []);
  const manager = new VersionManager({ versions, rollouts: { active: async () => undefined }, log, load: (ref) => ServingVersion.load(ref, o) });
  const bad = versions.add('m', 'broken', versionFiles({ seed: 4 }));
  versions.files.get(bad.artifacts.find((a) => a.name === 'item_tower.onnx')!.key)![0] ^= 1;
  versions.prod = 1;
  const svc = new ScoringService(manager, log);
  await assert.rejects(svc.score({ model: 'm', userId: 'u', itemIds: ['a'], topK: 0, requestId: '' }),
    (e: DomainError) => e.code === 'UNAVAILABLE' && /broken failed to load/.test(e.message));
  await manager.close();
});

test('a rollback swaps back to the replaced production without loading it again (warm standby)', async () => {
  const versions = new MemoryVersions();
  const features = new MemoryFeatures();
  ITEMS.forEach((i) => features.items.add(i));
  const o = loadOptions(versions, features, ITEMS);
  let loads = 0;
  const manager = new VersionManager({ versions, rollouts: { active: async () => undefined }, log,
    load: (ref) => { loads++; return ServingVersion.load(ref, o); } });
  versions.add('m', 'a', versionFiles({ seed: 1 }));
  versions.add('m', 'b', versionFiles({ seed: 2 }));
  versions.add('m', 'c', versionFiles({ seed: 3 }));
  for (const [prod, name] of [[1, 'a'], [2, 'b'], [1, 'a'], [2, 'b'], [3, 'c'], [1, 'a']] as const) {
    versions.prod = prod;
    await manager.reconcile('m');
    assert.equal(manager.routeNow('m', 'u')!.version.ref.name, name);
  }
  // a, b, then a and b swap back and forth from standby; c loads; a was freed when c replaced b (one standby).
  assert.equal(loads, 4);
  await manager.close();
});

test('a feature store that fails makes the call UNAVAILABLE (both lookups failing leave no unhandled rejection)', async () => {
  const versions = new MemoryVersions();
  const features = new MemoryFeatures();
  ITEMS.forEach((i) => features.items.add(i));
  const v = await ServingVersion.load(versions.add('m', 'a', versionFiles({ seed: 1 })), loadOptions(versions, features, ITEMS));
  features.failWith = new Error('connection terminated');
  // A new user and a new item: the user row and the item vector are both fetched, and both fail.
  await assert.rejects(v.score({ userId: 'fresh-user', itemIds: ['v1', 'brand-new'], topK: 0 }, { hod: 0, dow: 0 }),
    (e: DomainError) => e.code === 'UNAVAILABLE');
  features.failWith = undefined;
  const ok = await v.score({ userId: 'fresh-user', itemIds: ['v1'], topK: 0 }, { hod: 0, dow: 0 });
  assert.deepEqual(ok.itemIds, ['v1']);
  v.retire();
});

test('a cache rebuild that lands while a call waits for the feature store does not mix rows of two states', async () => {
  const versions = new MemoryVersions();
  let release!: () => void;
  let gate: Promise<void> | undefined;
  class GatedFeatures extends MemoryFeatures {
    override async userRows(userIds: string[], ctx: { hod: number; dow: number }) {
      if (gate) await gate;
      return super.userRows(userIds, ctx);
    }
  }
  const features = new GatedFeatures();
  ITEMS.forEach((i) => features.items.add(i));
  features.users.add('u1');
  const files = versionFiles({ seed: 9 });
  const v = await ServingVersion.load(versions.add('m', 'a', files), loadOptions(versions, features, ITEMS.slice(0, 20)));
  gate = new Promise<void>((r) => { release = r; });
  // The call looks its rows up in the current state, then waits for the user's row ...
  const pending = v.score({ userId: 'u1', itemIds: ['v5', 'v1', 'v30', 'v5'], topK: 0 }, { hod: 2, dow: 2 });
  // ... while a rebuild in a different order (v39 first) replaces the state: every row moves.
  await v.items.build(['v39', ...ITEMS.slice(0, 20).reverse()]);
  release();
  const out = await pending;
  const want = await reference(files, 'two-tower-base', 'u1', { hod: 2, dow: 2 }, ['v5', 'v1', 'v30']);
  const expected = ['v5', 'v1', 'v30'].map((id, i) => ({ id, s: want[i] })).sort((a, b) => b.s - a.s);
  assert.deepEqual(out.itemIds, expected.map((e) => e.id));
  out.scores.forEach((s, i) => assert.ok(Math.abs(s - expected[i].s) < 1e-4));
  v.retire();
});

test('the item cache rebuild on its schedule picks up changed item features', async () => {
  const versions = new MemoryVersions();
  const features = new MemoryFeatures();
  ITEMS.forEach((i) => features.items.add(i));
  const v = await ServingVersion.load(versions.add('m', 'a', versionFiles({ seed: 1 })), loadOptions(versions, features, ITEMS));
  const vecOf = () => { const st = v.items.state; const r = st.index.get('v1')!; return Array.from(st.vecs.subarray(r * v.items.dim, (r + 1) * v.items.dim)); };
  const before = vecOf();
  features.itemEpoch = 1;
  v.items.schedule(30, () => undefined);
  const until = Date.now() + 5000;
  while (Date.now() < until && JSON.stringify(vecOf()) === JSON.stringify(before)) await new Promise((r) => setTimeout(r, 10));
  assert.notDeepEqual(vecOf(), before);
  assert.equal(v.items.state.count, ITEMS.length);
  v.retire();
});

test('the periodic re-check applies a production change whose notification was missed', async () => {
  const versions = new MemoryVersions();
  const features = new MemoryFeatures();
  const o = loadOptions(versions, features, []);
  const manager = new VersionManager({ versions, rollouts: { active: async () => undefined }, log, load: (ref) => ServingVersion.load(ref, o) });
  versions.add('m', 'a', versionFiles({ seed: 1 }));
  versions.add('m', 'b', versionFiles({ seed: 2 }));
  versions.prod = 1;
  await manager.route('m', 'u');
  versions.prod = 2; // no notify()
  manager.recheckEvery(30);
  const until = Date.now() + 5000;
  while (Date.now() < until && manager.routeNow('m', 'u')!.version.ref.name !== 'b') await new Promise((r) => setTimeout(r, 10));
  assert.equal(manager.routeNow('m', 'u')!.version.ref.name, 'b');
  await manager.close();
});

test('exploration slot: about the share of users explore, moved candidates keep their full-set scores, the rest is the model\'s ranking', async () => {
  const versions = new MemoryVersions();
  const features = new MemoryFeatures();
  ITEMS.forEach((i) => features.items.add(i));
  const o = loadOptions(versions, features, ITEMS);
  versions.add('m', 'a', versionFiles({ seed: 1 }));
  versions.prod = 1;
  const plan = { id: 'ro-x', arms: [{ name: 'a', version: 1, weight: 100 }], assign: () => 'a', explore: { salt: 's', share: 0.5 } };
  const manager = new VersionManager({ versions, rollouts: { active: async () => plan }, log, load: (ref) => ServingVersion.load(ref, o) });
  const svc = new ScoringService(manager, log);
  const seen: (string | undefined)[] = [];
  svc.observe(({ rolloutId, result }) => { if (result.exploredItemIds.length) seen.push(rolloutId); });
  await manager.reconcile('m');
  const v = manager.routeNow('m', 'u0')!.version;
  let exploring = 0;
  const N = 200;
  for (let u = 0; u < N; u++) {
    const userId = `u${u}`;
    const r = await svc.score({ model: 'm', userId, itemIds: ITEMS, topK: 5, requestId: '', hod: 0, dow: 0 });
    const full = await v.score({ userId, itemIds: ITEMS, topK: 0 }, { hod: 0, dow: 0 });
    const fullScore = new Map(full.itemIds.map((id, i) => [id, full.scores[i]]));
    assert.equal(r.itemIds.length, 5);
    r.itemIds.forEach((id, i) => assert.equal(r.scores[i], fullScore.get(id), `${userId}: score of ${id}`));
    // What was not moved is the model's own top of the list, in its order.
    const rest = r.itemIds.filter((id) => !r.exploredItemIds.includes(id));
    assert.deepEqual(rest, full.itemIds.slice(0, rest.length), userId);
    if (r.exploredItemIds.length) {
      exploring++;
      assert.equal(r.exploredItemIds.length, 3);
    }
  }
  // Binomial(200, 0.5): the 1e-5 two-sided interval is about 100 +- 31.
  assert.ok(exploring > 69 && exploring < 131, `${exploring} of ${N} users explore`);
  assert.equal(seen.length, exploring);
  assert.ok(seen.every((id) => id === 'ro-x'));
  await manager.close();
});
