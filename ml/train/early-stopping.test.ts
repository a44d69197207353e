// Early stopping on the validation rows: the kept parameters are the best epoch's (exactly those of a run that
// stops there), training stops `patience` epochs after the best, and it works the same across worker threads
// and on the onnxruntime engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutFor } from '../features/layout';
import { syntheticBatch } from '../features/fixtures';
import { takeRows } from '../features/batch-rows';
import { Rng } from '../model/rng';
import { train, type LabelledRows, type TrainOptions } from './trainer';

const layout = layoutFor(4);

/** Train rows of the fixture, and validation rows whose labels are coin flips (so the validation AUC wanders). */
function data(): { train: LabelledRows; val: LabelledRows } {
  const { batch, facts } = syntheticBatch(1200, layout, 5);
  const rows = (idx: number[], label: (r: number) => number): LabelledRows => ({
    batch: takeRows(batch, idx, layout), label: Float32Array.from(idx, label), lengthS: Float32Array.from(idx, (r) => facts.lengthS[r]),
  });
  const rng = new Rng(8);
  const all = [...Array(batch.n).keys()];
  return { train: rows(all.filter((r) => r < 900), (r) => facts.label[r]), val: rows(all.filter((r) => r >= 900), () => (rng.next() < 0.5 ? 1 : 0)) };
}

const base = (d: ReturnType<typeof data>): TrainOptions => ({
  arch: 'two-tower-base', task: 'binary', layout, ...d, epochs: 8, batchSize: 64, lr: 1e-2, seed: 3, workers: 0, sizes: { hidden: [16], dim: 8 },
});

for (const backend of ['wasm', 'onnxruntime'] as const) test(`early stopping (${backend}) keeps the best validation epoch, stops patience epochs after it, and its parameters are that epoch's`, async (t) => {
  const d = data();
  const r = await train({ ...base(d), backend, patience: 1 });
  const aucs = r.history.map((h) => h.val.val_auc);
  t.diagnostic(JSON.stringify({ aucs, metrics: r.metrics }));
  const best = aucs.indexOf(Math.max(...aucs));
  assert.equal(r.metrics.best_epoch, best + 1);
  assert.equal(r.metrics.val_auc, aucs[best]);
  assert.equal(r.metrics.epochs_run, r.history.length);
  // Stopped one epoch (patience 1) after the best, unless it ran out of epochs first.
  assert.ok(r.history.length === 8 || r.history.length === best + 2, `ran ${r.history.length} epochs, best ${best + 1}`);
  assert.ok(r.history.length < 8, 'coin-flip validation labels stop training early');
  // The kept parameters are exactly those after the best epoch: a run of best + 1 epochs without early stopping
  // (same seed, same shuffles) ends with the same parameters.
  const upTo = await train({ ...base(d), backend, epochs: best + 1, patience: 0 });
  assert.equal(r.backend, backend);
  assert.deepEqual(r.params.data, upTo.params.data);
  // Two worker threads (wasm) pause at each epoch for the verdict, and the engine's worker waits for it: both
  // stop at the same epoch.
  const two = await train({ ...base(d), backend, patience: 1, workers: 2 });
  assert.equal(two.history.length, r.history.length);
  assert.equal(two.metrics.best_epoch, r.metrics.best_epoch);
});

test('patience 0 or no validation rows trains every epoch and keeps the last', async () => {
  const d = data();
  const r = await train({ ...base(d), epochs: 3, patience: 0 });
  assert.equal(r.history.length, 3);
  assert.equal(r.metrics.best_epoch, undefined);
  const noVal = await train({ ...base(d), epochs: 3, val: undefined });
  assert.equal(noVal.history.length, 3);
  assert.equal(noVal.metrics.val_auc, undefined);
});
