// The onnxruntime engine against TF.js autodiff of the reference model (ml/model/tf-model.ts): the gradient
// graph of every arch x task the engine covers, at the initial parameters and again after engine steps have
// moved them, within 1e-4 x max(1, |gradient|) per value; and two runs with the same seed and thread count
// give the same loss curve, value for value, whether idle intra-op threads spin or sleep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { layoutFor } from '../features/layout';
import { syntheticBatch } from '../features/fixtures';
import { ARCHS, TASKS, makeSpec, type ModelSpec } from '../model/spec';
import { Params, paramLayout } from '../model/params';
import { inputsOf, lossTf, toTensors } from '../model/tf-model';
import { lengthStats, trainData, type TrainData } from './data';
import { DEFAULT_ADAM } from './adam';
import { OrtEngine, engineSessionOptions, type EngineSpin } from './ort-engine';
import { buildTrainGraph, graphParams, names, ortSupports, type GraphOptions } from './ort-graph';

function setup(arch: (typeof ARCHS)[number], task: (typeof TASKS)[number], rows = 24) {
  const layout = layoutFor(4);
  const { batch, facts } = syntheticBatch(rows, layout, 7);
  const label = task === 'binary' ? facts.label : facts.wtg;
  const len = lengthStats(facts.lengthS);
  const spec = makeSpec(arch, task, layout, { catDim: 3, hidden: [8, 6], dim: 5, headHidden: 7, ageHidden: 4, advHidden: 6,
    grlLambda: 0.7, lengthMean: len.mean, lengthStd: len.std });
  const params = Params.init(spec, 11);
  // Move the biases off zero so that their gradients and the ReLU masks are exercised.
  for (let i = 0; i < params.data.length; i++) if (params.data[i] === 0) params.data[i] = 0.05 * Math.sin(i);
  return { spec, params, batch, data: trainData(batch, { label, lengthS: facts.lengthS }, len), label };
}

/** The gradient of the mean loss by the engine's gradient graph. */
async function ortGrads(spec: ModelSpec, params: Params, d: TrainData, o: GraphOptions = {}, threads = 2): Promise<{ loss: number; grads: Record<string, Float32Array> }> {
  const s = await ort.InferenceSession.create(buildTrainGraph(spec, 'grads', o), engineSessionOptions(threads));
  const L = spec.layout;
  const feeds: Record<string, ort.Tensor> = {
    user_cat: new ort.Tensor('int32', d.userCat, [d.n, L.userCat.length]), item_cat: new ort.Tensor('int32', d.itemCat, [d.n, L.itemCat.length]),
    user_dense: new ort.Tensor('float32', d.userDense, [d.n, L.userDenseDim]), item_dense: new ort.Tensor('float32', d.itemDense, [d.n, L.itemDenseDim]),
    label: new ort.Tensor('float32', d.label, [d.n, 1]), scale: new ort.Tensor('float32', Float32Array.of(1 / d.n), []),
  };
  if (s.inputNames.includes('len_z')) feeds.len_z = new ort.Tensor('float32', d.lenZ, [d.n]);
  if (s.inputNames.includes('item_age')) feeds.item_age = new ort.Tensor('float32', d.itemAge, [d.n, 1]);
  const pieces = graphParams(spec);
  for (const q of pieces) feeds[names.param(q.name)] = new ort.Tensor('float32', params.data.slice(q.offset, q.offset + q.size), q.shape);
  const out = await s.run(feeds);
  await s.release();
  const grads: Record<string, Float32Array> = {};
  for (const e of params.entries) grads[e.name] = new Float32Array(e.size);
  for (const q of pieces) grads[q.param].set(out[names.grad(q.name)].data as Float32Array, q.offset - params.entry(q.param).offset);
  const adv = out.adv_sum ? (out.adv_sum.data as Float32Array)[0] : 0;
  return { loss: ((out.loss_sum.data as Float32Array)[0] + spec.grlLambda * adv) / d.n, grads };
}

async function checkAgainstTf(spec: ModelSpec, params: Params, d: TrainData, batch: ReturnType<typeof syntheticBatch>['batch'], label: Float32Array): Promise<number> {
  const mine = await ortGrads(spec, params, d);
  const P = toTensors(params);
  const x = inputsOf(spec, batch);
  const { value, grads } = tf.variableGrads(() => lossTf(spec, P, x, tf.tensor1d(label), tf.tensor1d(d.lenZ)),
    params.entries.map((e) => (P[e.name] = tf.variable(P[e.name], true, e.name)) as tf.Variable));
  const ref = value.dataSync()[0];
  assert.ok(Math.abs(ref - mine.loss) <= 1e-4 * Math.max(1, Math.abs(ref)), `loss ${mine.loss} vs TF.js ${ref}`);
  let worstRatio = 0;
  for (const e of params.entries) {
    const r = grads[e.name].dataSync();
    const m = mine.grads[e.name];
    assert.equal(m.length, e.size, `${e.name}: gradient size`);
    for (let i = 0; i < e.size; i++) {
      const ratio = Math.abs(r[i] - m[i]) / (1e-4 * Math.max(1, Math.abs(r[i])));
      worstRatio = Math.max(worstRatio, ratio);
      assert.ok(ratio <= 1, `${e.name}[${i}]: ours ${m[i]} vs TF.js ${r[i]}`);
    }
  }
  tf.disposeVariables();
  return worstRatio;
}

for (const arch of ARCHS) {
  for (const task of TASKS) {
    if (!ortSupports({ arch, task })) continue;
    test(`onnxruntime engine gradient matches TF.js autodiff: ${arch} ${task}`, async () => {
      await tf.setBackend('cpu');
      const { spec, params, batch, data, label } = setup(arch, task);
      const before = await checkAgainstTf(spec, params, data, batch, label);
      // Three Adam steps on the engine (lr large enough to move every parameter), then the gradient again there.
      const engine = await OrtEngine.create(spec, params.data, { ...DEFAULT_ADAM, lr: 0.05 }, { threads: 2 });
      const all = Int32Array.from({ length: data.n }, (_, i) => i);
      for (let k = 0; k < 3; k++) await engine.step(data, all, 1 / data.n);
      const moved = new Params(spec, Float32Array.from(engine.params));
      await engine.dispose();
      // Embedding rows that no example uses, and the weights of dead ReLU units, keep a zero gradient; most of
      // the towers' weights move.
      let changed = 0;
      let size = 0;
      for (const e of params.entries.filter((x) => !x.name.includes('.emb.'))) {
        const a = params.view(e.name);
        const b = moved.view(e.name);
        size += e.size;
        for (let i = 0; i < e.size; i++) if (a[i] !== b[i]) changed++;
      }
      assert.ok(changed > size / 2, `Adam moved only ${changed} of ${size} tower values`);
      const after = await checkAgainstTf(spec, moved, data, batch, label);
      console.log(`${arch} ${task}: worst |diff| / (1e-4 max(1, |g|)) = ${before.toExponential(2)} at init, ${after.toExponential(2)} after 3 steps`);
    });
  }
}

test('the graphs\' parameter inputs tile the flat parameters; the first layers come in two row blocks', () => {
  for (const arch of ARCHS) {
    const { spec } = setup(arch, 'binary');
    const { entries, total } = paramLayout(spec);
    const pieces = graphParams(spec);
    let at = 0;
    for (const q of pieces) {
      assert.equal(q.offset, at, `${q.name} starts where the previous input ended`);
      assert.equal(q.size, q.shape.reduce((a, b) => a * b, 1), `${q.name}: size and shape`);
      at += q.size;
    }
    assert.equal(at, total);
    // setup's spec: 3 user features and 1 item feature, catDim 3, so user.w0's first 9 rows
    // and item.w0's first 3 rows are the embedding blocks.
    const w0 = entries.find((e) => e.name === 'user.w0')!;
    assert.deepEqual(pieces.filter((q) => q.param === 'user.w0').map((q) => [q.name, q.shape[0]]), [['user.w0@emb', 9], ['user.w0@dense', w0.shape[0] - 9]]);
    assert.deepEqual(pieces.filter((q) => q.param === 'item.w0').map((q) => q.name), ['item.w0@emb', 'item.w0@dense']);
  }
});

test('the wide layers\' weight gradients as plain products of their transposed input give the transA products\' bits', async () => {
  // Layers wide enough for the plain form (output width > 64, at most the input width): the user tower's
  // 267 dense inputs -> 128 -> 96, the item tower's 148 -> 128 -> 96; the last layer (96 -> 5) stays transA
  // (in the plain form its sums would differ).
  const layout = layoutFor(128);
  const { batch, facts } = syntheticBatch(300, layout, 5);
  const len = lengthStats(facts.lengthS);
  for (const arch of ARCHS) {
    const spec = makeSpec(arch, 'binary', layout, { hidden: [128, 96], dim: 5, lengthMean: len.mean, lengthStd: len.std });
    assert.ok(buildTrainGraph(spec, 'grads').includes('Transpose'), `${arch}: the plain form is used`);
    assert.ok(!buildTrainGraph(spec, 'grads', { plainWeightGrads: false }).includes('Transpose'));
    const params = Params.init(spec, 3);
    const data = trainData(batch, { label: facts.label, lengthS: facts.lengthS }, len);
    for (const threads of [1, 2, 4]) {
      const plain = await ortGrads(spec, params, data, {}, threads);
      const transA = await ortGrads(spec, params, data, { plainWeightGrads: false }, threads);
      assert.ok(Object.is(plain.loss, transA.loss));
      for (const e of params.entries) assert.deepEqual(plain.grads[e.name], transA.grads[e.name], `${arch}, ${threads} threads: ${e.name}`);
    }
  }
});

test('onnxruntime engine: Adam step matches adam.ts on the same gradient', async () => {
  // One step from zero moments: m = (1-b1) g, v = (1-b2) g^2, lr_t = lr sqrt(1-b2)/(1-b1), so the update is
  // lr_t m / (sqrt(v) + eps) = lr g / (|g| + eps') ~ lr sign(g) wherever |g| >> eps.
  const { spec, params, data } = setup('two-tower-base', 'binary');
  const { grads } = await ortGrads(spec, params, data);
  const lr = 0.01;
  const engine = await OrtEngine.create(spec, params.data, { ...DEFAULT_ADAM, lr }, { threads: 1 });
  await engine.step(data, Int32Array.from({ length: data.n }, (_, i) => i), 1 / data.n);
  const after = new Params(spec, Float32Array.from(engine.params));
  await engine.dispose();
  const c = DEFAULT_ADAM;
  const lrT = lr * Math.sqrt(1 - c.beta2) / (1 - c.beta1);
  for (const e of params.entries) {
    const g = grads[e.name];
    const p0 = params.view(e.name);
    const p1 = after.view(e.name);
    for (let i = 0; i < e.size; i++) {
      const want = p0[i] - lrT * (1 - c.beta1) * g[i] / (Math.sqrt((1 - c.beta2) * g[i] * g[i]) + c.eps);
      assert.ok(Math.abs(p1[i] - want) <= 1e-6 + 1e-5 * Math.abs(want), `${e.name}[${i}]: ${p1[i]} vs ${want}`);
    }
  }
});

test('onnxruntime engine: same seed and threads give the same loss curve, whether idle threads spin or sleep', async () => {
  const { spec, params, data } = setup('two-tower-base', 'binary', 200);
  const curve = async (spinning: EngineSpin) => {
    const engine = await OrtEngine.create(spec, params.data, DEFAULT_ADAM, { threads: 2, spinning });
    const losses: number[] = [];
    for (let s = 0; s < 8; s++) {
      const rows = Int32Array.from({ length: 50 }, (_, i) => (s * 50 + i) % data.n);
      losses.push(await engine.step(data, rows, 1 / 50));
    }
    const final = Float32Array.from(engine.params);
    await engine.dispose();
    return { losses, final };
  };
  const a = await curve(false);
  const b = await curve(false);
  assert.deepEqual(a.losses, b.losses);
  assert.ok(a.losses[7] < a.losses[0], `loss went ${a.losses[0]} -> ${a.losses[7]}`);
  // Spinning changes how the threads wait, never what they compute: the same curve and parameters, bit for bit.
  for (const spin of [50, true] as const) {
    const c = await curve(spin);
    assert.deepEqual(c.losses, a.losses, `spin ${spin}`);
    assert.deepEqual(c.final, a.final, `spin ${spin}`);
  }
});
