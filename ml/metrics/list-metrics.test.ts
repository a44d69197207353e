// Hand-worked cases for every per-list metric; the expected values are derived in the comments.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { rankList } from './ranked-list';
import * as m from './list-metrics';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

// One user, five candidates given in a shuffled row order. Ranked by score they read:
//   rank 1: score .9 rel 1 wtg  1.0 ts 10 pcc 1.00
//   rank 2: score .8 rel 0 wtg -0.5 ts 20 pcc 0.50
//   rank 3: score .7 rel 1 wtg  2.0 ts 30 pcc 0.99
//   rank 4: score .6 rel 0 wtg  0.3 ts  5 pcc NaN (unknown length)
//   rank 5: score .5 rel 0 wtg -1.0 ts  1 pcc 0.10
const rows = [
  { s: 0.6, l: 0, w: 0.3, t: 5, c: NaN },
  { s: 0.9, l: 1, w: 1.0, t: 10, c: 1.0 },
  { s: 0.5, l: 0, w: -1.0, t: 1, c: 0.1 },
  { s: 0.7, l: 1, w: 2.0, t: 30, c: 0.99 },
  { s: 0.8, l: 0, w: -0.5, t: 20, c: 0.5 },
];
const list = rankList({
  score: rows.map((r) => r.s), label: rows.map((r) => r.l), wtg: rows.map((r) => r.w),
  timespentS: rows.map((r) => r.t), pcc: rows.map((r) => r.c),
});

test('recall@K divides by |relevant|; recall_capped@K by min(K, |relevant|)', () => {
  // |rel| = 2. Top 1 holds 1 relevant: recall@1 = 1/2, capped = 1/min(1,2) = 1.
  close(m.recallAtK(list, 1), 0.5);
  close(m.recallCappedAtK(list, 1), 1);
  // Top 2 still holds 1: recall@2 = 1/2, capped = 1/2.
  close(m.recallAtK(list, 2), 0.5);
  close(m.recallCappedAtK(list, 2), 0.5);
  // Top 3 holds both: 2/2 = 1 for both; K beyond the list length reads the whole list.
  close(m.recallAtK(list, 3), 1);
  close(m.recallCappedAtK(list, 100), 1);
});

test('hit_rate@K is 1 once a relevant row is in the top K', () => {
  close(m.hitRateAtK(list, 1), 1);
  const miss = rankList({ score: [3, 2, 1], label: [0, 0, 1] });
  // The only relevant row is at rank 3: hit@2 = 0, hit@3 = 1.
  close(m.hitRateAtK(miss, 2), 0);
  close(m.hitRateAtK(miss, 3), 1);
});

test('AP over the full ranking, AP@K and reciprocal rank', () => {
  // Relevant at ranks 1 and 3: precision there is 1/1 and 2/3; AP = (1 + 2/3) / 2 = 5/6.
  close(m.averagePrecision(list), 5 / 6);
  // AP@2: only rank 1 counts, 1/1, divided by min(2, 2) = 2 -> 0.5.
  close(m.averagePrecisionAtK(list, 2), 0.5);
  // AP@1: 1/1 divided by min(1, 2) = 1 -> 1.
  close(m.averagePrecisionAtK(list, 1), 1);
  // First relevant at rank 1.
  close(m.reciprocalRank(list), 1);
  // [0,0,1]: first relevant at rank 3 -> 1/3; AP = (1/3)/1.
  const late = rankList({ score: [3, 2, 1], label: [0, 0, 1] });
  close(m.reciprocalRank(late), 1 / 3);
  close(m.averagePrecision(late), 1 / 3);
});

test('NDCG@K with binary gains and log2 discounts', () => {
  // DCG@3 = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5; IDCG@3 = 1/log2(2) + 1/log2(3) = 1 + 0.6309298 = 1.6309298.
  close(m.ndcgAtK(list, 3), 1.5 / (1 + 1 / Math.log2(3)));
  close(m.ndcgAtK(list, 3), 0.9197207, 1e-7);
  // NDCG@1: the top row is relevant: 1/1.
  close(m.ndcgAtK(list, 1), 1);
});

test('per-list AUC counts pairs, ties 1/2', () => {
  // Relevant at ranks 1 and 3, non-relevant at 2, 4, 5: rank 1 beats 3, rank 3 beats 2 -> 5 of 6 pairs.
  close(m.listAuc(list), 5 / 6);
  // Scores [.5,.5,.5,.1], labels [1,0,0,1]: the first relevant ties two non-relevant (2 x 1/2 = 1), the second
  // is below both (0): AUC = 1 / (2*2) = 0.25.
  close(m.listAuc(rankList({ score: [0.5, 0.5, 0.5, 0.1], label: [1, 0, 0, 1] })), 0.25);
  // One class only: undefined.
  assert.ok(Number.isNaN(m.listAuc(rankList({ score: [1, 2], label: [1, 1] }))));
});

test('ties in top-K put non-relevant rows first (worst case for the model)', () => {
  // Same list as above: ranked as 0(.5), 0(.5), 1(.5), 1(.1): first relevant at rank 3.
  const tied = rankList({ score: [0.5, 0.5, 0.5, 0.1], label: [1, 0, 0, 1] });
  close(m.reciprocalRank(tied), 1 / 3);
  close(m.recallAtK(tied, 2), 0);
  // A constant scorer gets no credit from the row order either.
  close(m.recallAtK(rankList({ score: [1, 1, 1], label: [1, 0, 0] }), 1), 0);
});

test('watch-time metrics of the top K: WTG gain, WTG DCG (ln), watch time, pcc98 rate', () => {
  // Top 2 WTG: 1.0, -0.5 -> mean 0.25.
  close(m.wtgGainAtK(list, 2), 0.25);
  // DCG@3 = 1/ln 2 + (-0.5)/ln 3 + 2/ln 4 = 1.4426950 - 0.4551196 + 1.4426950 = 2.4302705.
  close(m.wtgDcgAtK(list, 3), 2.4302705, 1e-7);
  // Watch time of top 2: 10 + 20 = 30 s; of the whole list: 66 s.
  close(m.watchTimeAtK(list, 2), 30);
  close(m.watchTimeAtK(list, 10), 66);
  // pcc >= 0.98 in the top 3: 1.00 and 0.99 of 3 -> 2/3; top 5: the unknown length is skipped -> 2/4.
  close(m.pcc98RateAtK(list, 3), 2 / 3);
  close(m.pcc98RateAtK(list, 5), 0.5);
});

test('lists without relevant rows give NaN; K must be >= 1', () => {
  const none = rankList({ score: [1, 2], label: [0, 0] });
  for (const v of [m.recallAtK(none, 5), m.recallCappedAtK(none, 5), m.averagePrecision(none), m.reciprocalRank(none), m.ndcgAtK(none, 5), m.hitRateAtK(none, 5)]) {
    assert.ok(Number.isNaN(v));
  }
  assert.throws(() => m.recallAtK(list, 0), RangeError);
  assert.throws(() => rankList({ score: [NaN], label: [1] }), /finite/);
});
