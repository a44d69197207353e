// The sparse ranking against the sorted one (unitTable over rankUnits) on random lists with ties, exclusions and
// few relevant rows: every value must agree to 1e-12; plus one list worked by hand.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { metricSpecs } from './definitions';
import { sparseListValues, sparseListValuesSorted } from './sparse-list';
import { rankUnits } from './ranked-list';
import { unitTable } from './unit-table';
import { mulberry32 } from './bootstrap';

const specs = metricSpecs([1, 3, 10], { wtg: false, timespentS: false, pcc: false }).filter((s) => s.kind !== 'auc');

test('a list worked by hand: scores [0.9, 0.5, 0.5, 0.1], item 2 relevant', () => {
  // Items 1 and 2 tie at 0.5; non-relevant first, so item 2 is at rank 3. recall@1 = 0, recall@3 = 1, MRR = 1/3,
  // AUC = (1 below + 1/2 tied) / (1 * 3) = 1/2, NDCG@3 = (1/log2 4) / 1 = 1/2.
  const out = new Float64Array(specs.length);
  const len = sparseListValues(specs, [0.9, 0.5, 0.5, 0.1], 4, null, Int32Array.from([2]), out, 0);
  assert.equal(len, 4);
  const v = (name: string) => out[specs.findIndex((s) => s.name === name)];
  assert.equal(v('recall@1'), 0);
  assert.equal(v('recall@3'), 1);
  assert.equal(v('mrr'), 1 / 3);
  assert.equal(v('gauc'), 0.5);
  assert.equal(v('ndcg@3'), 0.5);
});

test('sparse values equal the sorted ranking on random lists', () => {
  const rand = mulberry32(5);
  for (let trial = 0; trial < 300; trial++) {
    const n = 2 + Math.floor(rand() * 40);
    // Coarse scores make ties common.
    const score = Float64Array.from({ length: n }, () => Math.floor(rand() * 6));
    const member = Uint8Array.from({ length: n }, () => (rand() < 0.85 ? 1 : 0));
    const rel = [...Array(n).keys()].filter((i) => member[i] && rand() < 0.15);
    const out = new Float64Array(specs.length);
    const len = sparseListValues(specs, score, n, member, Int32Array.from(rel), out, 0);
    // The sorted path (user-independent scores) gives the same values.
    const out2 = new Float64Array(specs.length);
    const excluded = Int32Array.from([...Array(n).keys()].filter((i) => !member[i]));
    sparseListValuesSorted(specs, score, Float64Array.from(score).sort(), excluded, len, Int32Array.from(rel), out2, 0);
    specs.forEach((s, m) => assert.ok(Object.is(out[m], out2[m]) || Math.abs(out[m] - out2[m]) <= 1e-15, `sorted path, trial ${trial} ${s.name}: ${out[m]} vs ${out2[m]}`));
    const idx = [...Array(n).keys()].filter((i) => member[i]);
    const label = idx.map((i) => (rel.includes(i) ? 1 : 0));
    const t = unitTable(rankUnits({ score: idx.map((i) => score[i]), label, tieKey: idx }, new Int32Array(idx.length), 1), specs);
    assert.equal(len, idx.length);
    specs.forEach((s, m) => {
      const a = out[m], b = t.values[m];
      assert.ok(Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) <= 1e-12, `trial ${trial} ${s.name}: ${a} vs ${b}`);
    });
  }
});
