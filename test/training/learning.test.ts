// The model library learns: every architecture x task beats chance / the mean predictor on held-out rows of
// a synthetic dataset with a planted signal; two-tower-grl's scores carry less video length than base's on
// a label with a duration bias; the same seed gives the same loss (also across two workers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutFor } from '../../ml/features/layout';
import { syntheticBatch } from '../../ml/features/fixtures';
import { ARCHS, TASKS, makeSpec } from '../../ml/model/spec';
import { scoreTf } from '../../ml/model/tf-model';
import { train, type LabelledRows } from '../../ml/train/trainer';
import { takeRows } from '../../ml/features/batch-rows';
import { Rng } from '../../ml/model/rng';
import { archModel } from '../../ml/model/arch';

const layout = layoutFor(8);
const SIZES = { hidden: [32, 16], dim: 16 };

/** Train (day -1) and held-out rows of the fixture, with a label chosen from its facts. */
function split(n: number, seed: number, labelOf: (f: ReturnType<typeof syntheticBatch>['facts'], b: ReturnType<typeof syntheticBatch>['batch']) => Float32Array) {
  const { batch, facts } = syntheticBatch(n, layout, seed);
  const label = labelOf(facts, batch);
  const rows = (keep: (r: number) => boolean): LabelledRows => {
    const idx = [...Array(batch.n).keys()].filter(keep);
    return { batch: takeRows(batch, idx, layout),
      label: Float32Array.from(idx, (r) => label[r]), lengthS: Float32Array.from(idx, (r) => facts.lengthS[r]) };
  };
  return { train: rows((r) => facts.day[r] < 0), val: rows((r) => facts.day[r] >= 0) };
}

/** 4 taste.content + 2 (item_ctr - 0.5) + N(0, 0.5^2), per row. */
function plantedValue(b: ReturnType<typeof syntheticBatch>['batch']): Float32Array {
  const dim = layout.embeddingDim;
  const rng = new Rng(99);
  return Float32Array.from({ length: b.n }, (_, r) => {
    let dot = 0;
    for (let k = 0; k < dim; k++) dot += b.userDense[r * layout.userDenseDim + k] * b.itemDense[r * layout.itemDenseDim + k];
    return 4 * dot + 2 * (b.itemDense[r * layout.itemDenseDim + dim] - 0.5) + 0.5 * rng.normal();
  });
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i] / n; mb += b[i] / n; }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] - ma;
    const y = b[i] - mb;
    sab += x * y; saa += x * x; sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

for (const arch of ARCHS) {
  for (const task of TASKS) {
    test(`${arch} ${task} learns the planted signal`, async (t) => {
      // Held-out AUC > 0.58 is about 5 standard errors above chance on these 1,200 rows.
      // Binary: the fixture's label, Bernoulli(sigmoid(4 taste.content + 2 (item_ctr - 0.5))); regression: that
      // logit itself plus N(0, 0.5^2) noise (taste is the user's first dense slot, content and item_ctr the item's).
      const d = split(3000, 21, (f, b) => (task === 'binary' ? f.label : plantedValue(b)));
      const r = await train({ arch, task, layout, ...d, epochs: task === 'binary' ? 4 : 8, batchSize: 128, lr: 3e-3, seed: 1, workers: 0, sizes: SIZES });
      t.diagnostic(JSON.stringify(r.metrics));
      if (task === 'binary') {
        assert.ok(r.metrics.val_auc > 0.58, `held-out AUC ${r.metrics.val_auc}`);
      } else {
        // The mean predictor's RMSE is the label's standard deviation; the noise floor is 0.5. Beat the first clearly.
        assert.ok(r.metrics.val_rmse < 0.9 * r.metrics.val_rmse_mean_predictor, `RMSE ${r.metrics.val_rmse} vs mean predictor ${r.metrics.val_rmse_mean_predictor}`);
      }
      // (two-tower-grl trades task loss for removing length information, so its task loss need not fall.)
      if (!archModel(arch).adversarial) assert.ok(r.history[r.history.length - 1].loss < r.history[0].loss, 'training loss falls');
    });
  }
}

test('two-tower-grl scores correlate less with video length than two-tower-base on a duration-biased label', async (t) => {
  // The p90 label (completion >= 0.9) favours short videos: in the fixture completion falls with length.
  const d = split(4000, 11, (f) => Float32Array.from(f.pcc, (p) => (p >= 0.9 ? 1 : 0)));
  const logLen = Array.from(d.val.lengthS, Math.log);
  const corr = async (arch: 'two-tower-base' | 'two-tower-grl') => {
    const r = await train({ arch, task: 'binary', layout, ...d, epochs: 10, batchSize: 128, lr: 3e-3, seed: 2, workers: 0, sizes: SIZES });
    if (archModel(arch).adversarial) {
      // The adversary keeps up (spec.advLrMult): its MSE on the standardised length stays near the variance, 1,
      // instead of growing without bound as the reversed gradient inflates the item vectors.
      const lengthLoss = r.history[r.history.length - 1].lengthLoss!;
      assert.ok(lengthLoss > 0.5 && lengthLoss < 3, `adversary length MSE ${lengthLoss}`);
    }
    return pearson(scoreTf(r.params, d.val.batch), logLen);
  };
  const base = await corr('two-tower-base');
  const grl = await corr('two-tower-grl');
  t.diagnostic(`corr(score, log length): base ${base.toFixed(3)}, grl ${grl.toFixed(3)}`);
  assert.ok(Math.abs(base) > 0.1, `base scores should pick up the length bias (corr ${base})`);
  assert.ok(Math.abs(grl) < 0.5 * Math.abs(base), `|corr(grl score, log length)| ${Math.abs(grl)} should be well below base's ${Math.abs(base)}`);
});

test('the GRL adversary keeps up with the towers at its own learning rate (at the towers\' rate the item vectors blow up)', async () => {
  // Default layer sizes, where the instability shows: with advLrMult 1 the adversary's MSE on the standardised
  // length (variance 1) runs away as the reversed gradient inflates the item vectors.
  const big = layoutFor(16);
  const { batch, facts } = syntheticBatch(6000, big, 3);
  const run = (advLrMult: number) => train({ arch: 'two-tower-grl', task: 'binary', layout: big, train: { batch, label: facts.label, lengthS: facts.lengthS },
    epochs: 3, batchSize: 512, lr: 1e-3, seed: 42, workers: 0, sizes: { advLrMult } });
  const worst = (r: Awaited<ReturnType<typeof run>>) => Math.max(...r.history.map((h) => h.lengthLoss!));
  const same = await run(1);
  const own = await run(makeSpec('two-tower-grl', 'binary', big).advLrMult);
  assert.ok(worst(same) > 3, `at the towers' rate the length MSE reached only ${worst(same)}`);
  assert.ok(worst(own) < 1.5, `with its own rate the length MSE reached ${worst(own)}`);
});

test('same seed, data and backend give the same final loss, on one thread and on two workers', async () => {
  const d = split(2000, 5, (f) => f.label);
  const run = (seed: number, workers: number) => train({ arch: 'modified-two-tower', task: 'binary', layout, ...d, epochs: 2, batchSize: 256, lr: 3e-3, seed, workers, sizes: SIZES, backend: 'wasm' });
  const a = await run(7, 2);
  const b = await run(7, 2);
  const c = await run(8, 2);
  assert.equal(a.finalLoss, b.finalLoss);
  assert.deepEqual(a.params.data, b.params.data);
  assert.notEqual(a.finalLoss, c.finalLoss);
  const one = await run(7, 0);
  const again = await run(7, 0);
  assert.equal(one.finalLoss, again.finalLoss);
  // Two workers sum the same gradient in two parts: equal to float rounding.
  assert.ok(Math.abs(one.finalLoss - a.finalLoss) < 1e-4, `one thread ${one.finalLoss} vs two workers ${a.finalLoss}`);
});
