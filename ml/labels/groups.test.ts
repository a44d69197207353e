import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fitGroups, groupOf } from './groups';
import { labelOf, quantileOf } from './labels';
import { parseBuckets } from './spec';

// Training views: 20 of length 3 s watched 1 or 3 s (mean 2, std 1); 20 of length 7 s watched 4 or 8 s
// (mean 6, std 2); 5 of length 12 s watched 6 s (too few for a group of their own).
function views() {
  const len: number[] = [];
  const spent: number[] = [];
  const item: number[] = [];
  for (let k = 0; k < 20; k++) { len.push(3); spent.push(k % 2 ? 3 : 1); item.push(0); }
  for (let k = 0; k < 20; k++) { len.push(7); spent.push(k % 2 ? 8 : 4); item.push(1); }
  for (let k = 0; k < 5; k++) { len.push(12); spent.push(6); item.push(2); }
  return { len: Float32Array.from(len), spent: Float32Array.from(spent), item: Int32Array.from(item) };
}

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
// The merged upper group: 10x4, 10x8, 5x6 -> mean (40 + 80 + 30)/25 = 6; variance (10*4 + 10*4 + 0)/25 = 3.2.
const MERGED_STD = Math.sqrt(3.2);

test('fixed-5s: edges 5, 10; the 5-view group above 10 s merges into its neighbour', () => {
  const v = views();
  const g = fitGroups(parseBuckets('fixed-5s'), v.len, v.spent, v.item, 3);
  assert.deepEqual(g.edgesS, [5]);
  assert.equal(g.stats.length, 2);
  near(g.stats[0].mean, 2); near(g.stats[0].std, 1); assert.equal(g.stats[0].count, 20);
  near(g.stats[1].mean, 6); near(g.stats[1].std, MERGED_STD); assert.equal(g.stats[1].count, 25);
  assert.equal(groupOf(g, 4.99, 0), 0);
  assert.equal(groupOf(g, 5, 0), 1);
  assert.equal(groupOf(g, Number.NaN, 0), -1);
});

test('fixed-1s: empty 1 s groups merge forward; the result matches the worked example', () => {
  const v = views();
  const g = fitGroups(parseBuckets('fixed-1s'), v.len, v.spent, v.item, 3);
  // [0,4) holds the 3 s views (closed at edge 4); [4,8) the 7 s views (edge 8); the 12 s remainder pops edge 8.
  assert.deepEqual(g.edgesS, [4]);
  near(g.stats[1].mean, 6);
});

test('equi-quantile:3: edges at the 1/3 and 2/3 order statistics, ties collapsed', () => {
  const v = views();
  const g = fitGroups(parseBuckets('equi-quantile:3'), v.len, v.spent, v.item, 3);
  // Sorted lengths: 20x3, 20x7, 5x12; sorted[15] = 3 (not above the minimum, dropped), sorted[30] = 7.
  assert.deepEqual(g.edgesS, [7]);
  near(g.stats[0].mean, 2);
  near(g.stats[1].std, MERGED_STD);
});

test('a zero-spread group merges with its neighbour', () => {
  const len = Float32Array.from([...Array(20).fill(3), ...Array(20).fill(7)]);
  const spent = Float32Array.from([...Array(20).fill(2), ...Array.from({ length: 20 }, (_, k) => (k % 2 ? 8 : 4))]);
  const g = fitGroups(parseBuckets('fixed-5s'), len, spent, new Int32Array(40), 1);
  // The 3 s group has 20 views all watched 2 s (std 0): it cannot close, so it joins the 7 s views.
  assert.deepEqual(g.edgesS, []);
  assert.equal(g.stats[0].count, 40);
});

test('item: items with >= 20 views and spread get their own group, the rest their length group', () => {
  const v = views();
  const g = fitGroups(parseBuckets('item'), v.len, v.spent, v.item, 4);
  // Fallback equi-quantile:10 edges: sorted[22] = 7 and sorted[40] = 12; the 12 s remainder (5 views) pops 12.
  assert.deepEqual(g.edgesS, [7]);
  assert.deepEqual([...g.itemGroup!], [2, 3, -1, -1]);
  assert.equal(groupOf(g, 3, 0), 2);
  assert.equal(groupOf(g, 12, 2), 1); // item 2 (5 views) falls back to its length group
  assert.equal(groupOf(g, 12, 3), 1); // item 3 has no training views
  near(g.stats[2].mean, 2);
  near(g.stats[3].mean, 6); near(g.stats[3].std, 2);
  // The length group's statistics cover all training views of its range (the 7 s and the 12 s views).
  near(g.stats[1].mean, 6); near(g.stats[1].std, MERGED_STD);
});

test('each label on a worked example', () => {
  const v = views();
  const g = fitGroups(parseBuckets('fixed-5s'), v.len, v.spent, v.item, 3);
  // Group 0: mean 2, std 1. A 3 s video watched 3.5 s: WTG = (3.5 - 2)/1 = 1.5 -> binary 1; pcc = 3.5/3.
  assert.equal(labelOf('wtg', 'regression', g, 0, 3, 3.5), 1.5);
  assert.equal(labelOf('wtg', 'binary', g, 0, 3, 3.5), 1);
  assert.equal(labelOf('wtg', 'binary', g, 0, 3, 1.5), 0);
  // p90: 2.7/3 = 0.9 -> 1; pcc98: 0.9 < 0.98 -> 0; regression gives the completion.
  assert.equal(labelOf('p90', 'binary', g, 0, 3, 2.7), 1);
  assert.equal(labelOf('pcc98', 'binary', g, 0, 3, 2.7), 0);
  assert.equal(labelOf('pcc98', 'binary', g, 0, 3, 2.94), 1);
  near(labelOf('p90', 'regression', g, 0, 3, 2.7), 0.9);
  // wtg:pcc: group 0 completions are 1/3 and 1 (mean 2/3, std 1/3); a completion of 1 -> (1 - 2/3)/(1/3) = 1.
  near(labelOf('wtg:pcc', 'regression', g, 0, 3, 3), 1);
  // wtg-quantile: group 0 values are ten 1s and ten 3s; its 21 points are 1 (0..45%) ... 3; 2 s lies between.
  const q = labelOf('wtg-quantile', 'regression', g, 0, 3, 2);
  assert.ok(q > 0.4 && q < 0.6, String(q));
  assert.equal(labelOf('wtg-quantile', 'binary', g, 0, 3, 3.5), 1);
  assert.equal(labelOf('wtg-quantile', 'binary', g, 0, 3, 0.5), 0);
  // Unknown length: no label.
  assert.ok(Number.isNaN(labelOf('wtg', 'binary', g, -1, Number.NaN, 3)));
});

test('quantileOf interpolates between points and takes the middle of ties', () => {
  const pts = Array.from({ length: 21 }, (_, j) => j);
  assert.equal(quantileOf(pts, 10), 0.5);       // equal to point 10 -> 10/20
  near(quantileOf(pts, 10.5), 0.525);           // halfway between points 10 and 11 -> 10.5/20
  assert.equal(quantileOf(pts, -1), 0);
  assert.equal(quantileOf(pts, 99), 1);
  assert.equal(quantileOf(Array(21).fill(5), 5), 0.5); // all tied -> (0 + 20)/2/20
});

test('bucket and label specs are validated with the accepted forms', () => {
  assert.throws(() => parseBuckets('equi:3'), /fixed-1s, fixed-5s, equi-quantile:K, item/);
  assert.equal(parseBuckets('equi-quantile').spec, 'equi-quantile:10');
});
