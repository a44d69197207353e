// The hand-written training step against TF.js autodiff of the reference model (ml/model/tf-model.ts),
// for every architecture and task, on the cpu backend (which has every gradient kernel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { layoutFor } from '../features/layout';
import { syntheticBatch } from '../features/fixtures';
import { ARCHS, TASKS, makeSpec } from '../model/spec';
import { Params } from '../model/params';
import { inputsOf, lossTf, toTensors } from '../model/tf-model';
import { Step } from './step';
import { jsMatMul } from './matmul';
import { lengthStats, trainData } from './data';

for (const arch of ARCHS) {
  for (const task of TASKS) {
    test(`step gradient matches TF.js autodiff: ${arch} ${task}`, async () => {
      await tf.setBackend('cpu');
      const layout = layoutFor(4);
      const { batch, facts } = syntheticBatch(24, layout, 7);
      const label = task === 'binary' ? facts.label : facts.wtg;
      const len = lengthStats(facts.lengthS);
      facts.lengthS[3] = NaN; // a row without a length: masked out of the GRL loss
      const spec = makeSpec(arch, task, layout, { catDim: 3, hidden: [8, 6], dim: 5, headHidden: 7, ageHidden: 4, advHidden: 6,
        grlLambda: 0.7, lengthMean: len.mean, lengthStd: len.std });
      const params = Params.init(spec, 11);
      // Move the biases off zero so that their gradients and the ReLU masks are exercised.
      for (let i = 0; i < params.data.length; i++) if (params.data[i] === 0) params.data[i] = 0.05 * Math.sin(i);
      const data = trainData(batch, { label, lengthS: facts.lengthS }, len);
      const rows = Int32Array.from({ length: batch.n }, (_, i) => i);

      const grad = new Float32Array(params.total);
      // Two halves into one gradient: the data-parallel split must sum to the whole-batch gradient.
      const step = new Step(spec, jsMatMul);
      const l1 = step.run(params.data, grad, data, rows.subarray(0, 10), 1 / batch.n);
      const l2 = step.run(params.data, grad, data, rows.subarray(10), 1 / batch.n);
      const ours = (l1.task + l2.task + spec.grlLambda * (l1.adv + l2.adv)) / batch.n;

      const P = toTensors(params);
      const x = inputsOf(spec, batch);
      const y = tf.tensor1d(label);
      const z = tf.tensor1d(data.lenZ);
      const names = params.entries.map((e) => e.name);
      const { value, grads } = tf.variableGrads(() => lossTf(spec, P, x, y, z), names.map((n) => {
        const v = tf.variable(P[n], true, n);
        P[n] = v;
        return v;
      }));
      assert.ok(Math.abs(value.dataSync()[0] - ours) < 1e-5, `loss ${ours} vs TF.js ${value.dataSync()[0]}`);
      for (const e of params.entries) {
        const ref = grads[e.name].dataSync();
        const mine = grad.subarray(e.offset, e.offset + e.size);
        let worst = 0;
        for (let i = 0; i < e.size; i++) worst = Math.max(worst, Math.abs(ref[i] - mine[i]));
        assert.ok(worst < 1e-5, `${e.name}: max abs gradient difference ${worst}`);
      }
      tf.disposeVariables();
    });
  }
}
