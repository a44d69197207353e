// Score (real gRPC over versions in the real registry) and the evaluation's scoring path (OnnxModel.load +
// scoreBatch, as services/evaluation/run-evaluation.ts calls them) go through the one score function of the model
// library (ml/model/onnx-model.ts `score`/`scoreNow` over ml/model/score.ts): on the same feature rows they
// give the same numbers, for each way an architecture forms its score (u . v; u . v + an item-only head; a
// late head over every pair). The versions are real exports (ml/onnx/export.ts) of seeded parameters.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { call, clientOf } from '../helpers/platform';
import type { ScoreResponse__Output } from '../../proto/gen/modelops/v1/ScoreResponse';
import type { FeatureBatch } from '../../ml/features/layout';
import { makeSpec, type Arch } from '../../ml/model/spec';
import { Params } from '../../ml/model/params';
import { modelMeta } from '../../ml/model/model-meta';
import { exportOnnx } from '../../ml/onnx/export';
import { OnnxModel } from '../../ml/model/onnx-model';
import { dotScores } from '../../ml/model/score';
import { startScoringHarness, type ScoringHarness } from './harness';
import { TEST_LAYOUT, itemRow, userRow } from './fixtures';

let h: ScoringHarness;
const ITEMS = Array.from({ length: 37 }, (_, i) => `v${i}`);
const CTX = { hod: 20, dow: 4 };
const ARCHS: Arch[] = ['two-tower-base', 'two-tower-mod', 'modified-two-tower'];

/** The files of a real export: model.json (format modelops.two-tower.v1), the towers and the head where there is one. */
function exported(arch: Arch, seed: number): { name: string; data: Buffer }[] {
  const spec = makeSpec(arch, 'binary', TEST_LAYOUT, { catDim: 4, hidden: [16], dim: 8, headHidden: 8, ageHidden: 4 });
  const p = Params.init(spec, seed);
  // Non-zero biases, so the heads' bias terms take part in the numbers compared.
  for (let i = 0; i < p.data.length; i++) if (p.data[i] === 0) p.data[i] = 0.05 * Math.sin(i + seed);
  const files = { ...exportOnnx(p), 'model.json': Buffer.from(JSON.stringify(modelMeta(p, {}, 'test'))) };
  return Object.entries(files).map(([name, data]) => ({ name, data }));
}

before(async () => {
  h = await startScoringHarness();
  ITEMS.forEach((i) => h.features.items.add(i));
  h.features.users.add('u1');
  for (const [i, arch] of ARCHS.entries()) {
    const model = `one-score-${i}`;
    await h.store.createModel({ id: model, createdBy: 'test' });
    await h.store.registerVersion({
      model, name: `prod-${arch}`, arch, task: 'binary', label: 'wtg', buckets: 'equi-quantile:10', datasetId: 'ds-test', hyperparameters: {},
      trainingMetrics: {}, parity: null, backend: 'test', dataWindow: '', files: exported(arch, 31 + i), createdBy: 'test',
    });
    await h.promote(model, `prod-${arch}`);
  }
});
after(async () => { await h?.stop(); });

/** The evaluation's rows for (u1, each item): the fixture rows Score's feature source serves. */
function heldOutRows(items: string[]): FeatureBatch {
  const L = TEST_LAYOUT;
  const n = items.length;
  const b: FeatureBatch = {
    n, userCat: new Int32Array(n * L.userCat.length), userDense: new Float32Array(n * L.userDenseDim),
    itemCat: new Int32Array(n * L.itemCat.length), itemDense: new Float32Array(n * L.itemDenseDim), itemAge: new Float32Array(n),
  };
  const u = userRow('u1', CTX);
  items.forEach((id, i) => {
    const r = itemRow(id);
    b.userCat.set(u.cat, i * L.userCat.length);
    b.userDense.set(u.dense, i * L.userDenseDim);
    b.itemCat.set(r.cat, i * L.itemCat.length);
    b.itemDense.set(r.dense, i * L.itemDenseDim);
    b.itemAge[i] = r.age;
  });
  return b;
}

for (const [i, arch] of ARCHS.entries()) {
  test(`${arch}: Score over gRPC and the evaluation's scoreBatch give the same scores on the same rows`, async () => {
    const model = `one-score-${i}`;
    const target = { addr: h.addr };
    const res = await call<object, ScoreResponse__Output>(target, clientOf('ScoringService', target), 'Score',
      { model, user_id: 'u1', item_ids: ITEMS, top_k: 0, context: CTX });
    assert.equal(res.item_ids.length, ITEMS.length);
    const served = new Map(res.item_ids.map((id, j) => [id, res.scores[j]]));

    // The evaluation path, exactly as services/evaluation/run-evaluation.ts runs it.
    const v = await h.store.getVersion(model, `prod-${arch}`);
    const m = await OnnxModel.load(await h.store.loadAll(v));
    try {
      const batch = heldOutRows(ITEMS);
      const evaluated = await m.scoreBatch(batch);
      // Bit for bit, although the towers run on different batch shapes in the two paths (one user row per call
      // and the cached item rows in serving, one row per pair here): the vectors come out the same, and the
      // score function on top is the same code.
      assert.deepEqual(ITEMS.map((id) => served.get(id)), Array.from(evaluated));

      // With the towers' outputs held equal (vectors from the same calls), the evaluation's per-pair form and
      // the served one-user form are the same function and agree bit for bit.
      const uvec = await m.userVector(batch.userCat.subarray(0, TEST_LAYOUT.userCat.length), batch.userDense.subarray(0, TEST_LAYOUT.userDenseDim));
      const items = await m.itemTerms(batch.itemCat, batch.itemDense, batch.itemAge, batch.n);
      const rows = Int32Array.from(ITEMS, (_, j) => j);
      const oneUser = await m.score(uvec, batch.userCat.subarray(0, TEST_LAYOUT.userCat.length), items, rows, batch.n);
      const perPair = await m.combine(repeat(uvec, batch.n), items.vecs, batch.n, { itemAge: batch.itemAge, userCat: batch.userCat });
      assert.deepEqual(Array.from(perPair), Array.from(oneUser));
      if (m.scoresNow) {
        // For the heads without a per-pair session the score is u . v + bias, the hot path's dotScores.
        const want = dotScores(uvec, items.vecs, m.dim, rows, batch.n, new Float32Array(batch.n), items.bias);
        assert.deepEqual(Array.from(oneUser), Array.from(want));
      }
      // And Score returned exactly those numbers, for every item.
      assert.deepEqual(ITEMS.map((id) => served.get(id)), Array.from(oneUser));
    } finally {
      await m.release();
    }
  });
}

function repeat(row: Float32Array, n: number): Float32Array {
  const out = new Float32Array(row.length * n);
  for (let i = 0; i < n; i++) out.set(row, i * row.length);
  return out;
}
