// Metrics of one ranked list (one user's candidates on a day), each a pure function of a RankedList. Ranks are
// 1-based; "top K" is the first min(K, n) positions of the documented order (ranked-list.ts). Every metric that
// needs relevant rows returns NaN for a list without one (the aggregation excludes such lists and counts them).

import type { RankedList } from './ranked-list';

function topEnd(l: RankedList, k: number): number {
  if (!(k >= 1)) throw new RangeError(`K must be >= 1, got ${k}`);
  return Math.min(l.end, l.start + Math.floor(k));
}

function hitsInTop(l: RankedList, k: number): number {
  const e = topEnd(l, k);
  let h = 0;
  for (let p = l.start; p < e; p++) h += l.rel[p];
  return h;
}

/** recall@K: relevant rows in the top K divided by all relevant rows of the list, |rel ∩ top K| / |rel|. */
export function recallAtK(l: RankedList, k: number): number {
  return l.nRel === 0 ? NaN : hitsInTop(l, k) / l.nRel;
}

/**
 * recall_capped@K: relevant rows in the top K divided by min(K, |rel|), so that a list with more relevant rows
 * than K can still reach 1 (sometimes also called R-precision@K).
 */
export function recallCappedAtK(l: RankedList, k: number): number {
  return l.nRel === 0 ? NaN : hitsInTop(l, k) / Math.min(Math.floor(k), l.nRel);
}

/** hit_rate@K: 1 if at least one relevant row is in the top K, else 0. */
export function hitRateAtK(l: RankedList, k: number): number {
  return l.nRel === 0 ? NaN : hitsInTop(l, k) > 0 ? 1 : 0;
}

/**
 * AP (average precision, full ranking): the mean, over the relevant rows, of precision at each relevant row's
 * rank, (1/|rel|) Σ_{i: rel_i} hits(i)/i. MAP is its mean over lists.
 */
export function averagePrecision(l: RankedList): number {
  if (l.nRel === 0) return NaN;
  let hits = 0;
  let sum = 0;
  for (let p = l.start; p < l.end; p++) {
    if (l.rel[p]) {
      hits++;
      sum += hits / (p - l.start + 1);
    }
  }
  return sum / l.nRel;
}

/** AP@K (map@K over lists): Σ_{i<=K: rel_i} hits(i)/i divided by min(K, |rel|). */
export function averagePrecisionAtK(l: RankedList, k: number): number {
  if (l.nRel === 0) return NaN;
  const e = topEnd(l, k);
  let hits = 0;
  let sum = 0;
  for (let p = l.start; p < e; p++) {
    if (l.rel[p]) {
      hits++;
      sum += hits / (p - l.start + 1);
    }
  }
  return sum / Math.min(Math.floor(k), l.nRel);
}

/** Reciprocal rank (MRR over lists): 1 / rank of the first relevant row. */
export function reciprocalRank(l: RankedList): number {
  for (let p = l.start; p < l.end; p++) if (l.rel[p]) return 1 / (p - l.start + 1);
  return NaN;
}

/**
 * NDCG@K with binary gains: DCG@K / IDCG@K where DCG@K = Σ_{i<=K} rel_i / log2(i+1) and IDCG@K is the DCG of
 * min(K, |rel|) relevant rows at the top.
 */
export function ndcgAtK(l: RankedList, k: number): number {
  if (l.nRel === 0) return NaN;
  const e = topEnd(l, k);
  let dcg = 0;
  for (let p = l.start; p < e; p++) if (l.rel[p]) dcg += 1 / Math.log2(p - l.start + 2);
  let idcg = 0;
  const m = Math.min(Math.floor(k), l.nRel);
  for (let i = 1; i <= m; i++) idcg += 1 / Math.log2(i + 1);
  return dcg / idcg;
}

/**
 * Per-list AUC: the probability that a random relevant row scores above a random non-relevant one, ties
 * counting 1/2 (equivalently, the Mann-Whitney U from average ranks over |rel|·|non-rel|). NaN for a list
 * with one class only.
 */
export function listAuc(l: RankedList): number {
  const n = l.end - l.start;
  const nNeg = n - l.nRel;
  if (l.nRel === 0 || nNeg === 0) return NaN;
  // Walk tie groups from the top: each relevant row beats every non-relevant row below its group and half of
  // the non-relevant rows of its own group.
  let negAbove = 0;
  let u = 0;
  let p = l.start;
  while (p < l.end) {
    const s = l.score[p];
    let pos = 0, neg = 0;
    while (p < l.end && l.score[p] === s) {
      if (l.rel[p]) pos++; else neg++;
      p++;
    }
    u += pos * (nNeg - negAbove - neg) + 0.5 * pos * neg;
    negAbove += neg;
  }
  return u / (l.nRel * nNeg);
}

/** wtg_gain@K: the mean WTG of the top K rows (rows with unknown WTG skipped; NaN if none is known). */
export function wtgGainAtK(l: RankedList, k: number): number {
  if (!l.wtg) return NaN;
  const e = topEnd(l, k);
  let sum = 0, cnt = 0;
  for (let p = l.start; p < e; p++) {
    const w = l.wtg[p];
    if (!Number.isNaN(w)) { sum += w; cnt++; }
  }
  return cnt === 0 ? NaN : sum / cnt;
}

/** wtg_dcg@K: Σ_{i<=K} WTG_i / ln(i+1), the DVR paper's DCG over WTG with the natural log (unknown WTG adds 0). */
export function wtgDcgAtK(l: RankedList, k: number): number {
  if (!l.wtg) return NaN;
  const e = topEnd(l, k);
  let sum = 0;
  for (let p = l.start; p < e; p++) {
    const w = l.wtg[p];
    if (!Number.isNaN(w)) sum += w / Math.log(p - l.start + 2);
  }
  return sum;
}

/** watch_time@K: the total watch time in seconds of the top K rows. */
export function watchTimeAtK(l: RankedList, k: number): number {
  if (!l.timespentS) return NaN;
  const e = topEnd(l, k);
  let sum = 0;
  for (let p = l.start; p < e; p++) sum += l.timespentS[p];
  return sum;
}

/** pcc98_rate@K: the share of the top K rows watched to >= 98% of their length (rows of unknown length skipped). */
export function pcc98RateAtK(l: RankedList, k: number): number {
  if (!l.pcc) return NaN;
  const e = topEnd(l, k);
  let done = 0, cnt = 0;
  for (let p = l.start; p < e; p++) {
    const c = l.pcc[p];
    if (!Number.isNaN(c)) { cnt++; if (c >= 0.98) done++; }
  }
  return cnt === 0 ? NaN : done / cnt;
}
