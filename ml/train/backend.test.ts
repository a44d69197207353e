// The training engine choice: the onnxruntime engine by default on CPU for the pairs it covers (those with a
// parity test in ort-engine.test.ts; today all of them), and the overrides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutFor } from '../features/layout';
import { syntheticBatch } from '../features/fixtures';
import { ARCHS, TASKS } from '../model/spec';
import { chooseEngine } from './backend';
import { train, TrainCancelled } from './trainer';

function withEnv<T>(value: string | undefined, f: () => T): T {
  const old = process.env.MODELOPS_TF_BACKEND;
  if (value === undefined) delete process.env.MODELOPS_TF_BACKEND; else process.env.MODELOPS_TF_BACKEND = value;
  try {
    return f();
  } finally {
    if (old === undefined) delete process.env.MODELOPS_TF_BACKEND; else process.env.MODELOPS_TF_BACKEND = old;
  }
}

test('chooseEngine: onnxruntime by default for every covered pair, overrides', () => {
  withEnv(undefined, () => {
    assert.deepEqual(chooseEngine({ arch: 'two-tower-base', task: 'binary' }), { engine: 'onnxruntime' });
    assert.deepEqual(chooseEngine({ arch: 'two-tower-base', task: 'regression' }), { engine: 'onnxruntime' });
    // Every architecture's head has its training-graph piece today, so every pair has a parity test and the engine.
    for (const arch of ARCHS) for (const task of TASKS) assert.deepEqual(chooseEngine({ arch, task }), { engine: 'onnxruntime' }, `${arch} ${task}`);
    assert.deepEqual(chooseEngine({ arch: 'two-tower-base', task: 'binary' }, 'wasm'), { engine: 'tfjs' });
  });
  withEnv('wasm', () => assert.deepEqual(chooseEngine({ arch: 'two-tower-base', task: 'binary' }), { engine: 'tfjs' }));
  withEnv('ort', () => {
    assert.deepEqual(chooseEngine({ arch: 'two-tower-base', task: 'binary' }), { engine: 'onnxruntime' });
  });
});

test('train() on the onnxruntime engine: records the backend, learns, reports validation, same seed same curve', async () => {
  const layout = layoutFor(8);
  const { batch, facts } = syntheticBatch(3000, layout, 5);
  const { batch: vb, facts: vf } = syntheticBatch(500, layout, 6);
  const run = () => train({ arch: 'two-tower-base', task: 'binary', layout, train: { batch, label: facts.label, lengthS: facts.lengthS },
    val: { batch: vb, label: vf.label, lengthS: vf.lengthS }, epochs: 3, batchSize: 256, lr: 3e-3, seed: 3, threads: 2,
    sizes: { hidden: [32, 16], dim: 8 } });
  const a = await run();
  assert.equal(a.backend, 'onnxruntime');
  assert.equal(a.backendFallback, undefined);
  assert.equal(a.history.length, 3);
  assert.ok(a.history[2].loss < a.history[0].loss, `loss ${a.history.map((h) => h.loss).join(' -> ')}`);
  assert.ok(Number.isFinite(a.metrics.val_auc), 'val_auc reported');
  const b = await run();
  assert.deepEqual(b.history.map((h) => h.loss), a.history.map((h) => h.loss));
  assert.deepEqual(Array.from(b.params.data), Array.from(a.params.data));
});

test('train() on the onnxruntime engine moves the dataset to its worker and back, also when cancelled', async () => {
  const layout = layoutFor(8);
  const { batch, facts } = syntheticBatch(2000, layout, 7);
  const { batch: vb, facts: vf } = syntheticBatch(300, layout, 8);
  const copy = (b: typeof batch) => ({ userCat: b.userCat.slice(), userDense: b.userDense.slice(), itemCat: b.itemCat.slice(), itemDense: b.itemDense.slice(), itemAge: b.itemAge.slice() });
  const before = { train: copy(batch), val: copy(vb) };
  const opts = (signal?: AbortSignal, onProgress?: () => void) => ({ arch: 'two-tower-base' as const, task: 'binary' as const, layout,
    train: { batch, label: facts.label, lengthS: facts.lengthS }, val: { batch: vb, label: vf.label, lengthS: vf.lengthS },
    epochs: 2, batchSize: 256, lr: 3e-3, seed: 3, threads: 1, sizes: { hidden: [16], dim: 4 }, signal, onProgress });
  let sawDetached = false;
  await train(opts(undefined, () => {
    // While the run lasts, the columns live in the worker: the caller's arrays are detached, not copied.
    sawDetached ||= batch.userDense.length === 0;
  }));
  assert.ok(sawDetached, 'the dense columns moved to the worker during the run');
  assert.deepEqual(copy(batch), before.train);
  assert.deepEqual(copy(vb), before.val);
  const ac = new AbortController();
  await assert.rejects(train(opts(ac.signal, () => ac.abort())), TrainCancelled);
  assert.deepEqual(copy(batch), before.train, 'a cancelled run gives the columns back before it rejects');
  assert.deepEqual(copy(vb), before.val);
});
