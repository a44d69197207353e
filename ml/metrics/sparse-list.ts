// Rank metrics of a long list with few relevant candidates, without sorting it: the catalog protocol ranks every
// item of a dataset for each user-day, and only the relevant items' ranks matter to recall, MAP, MRR, hit rate,
// NDCG and the per-list AUC. Each relevant item's rank under the documented order (ranked-list.ts: score
// descending, non-relevant first among equal scores, then item index ascending) is counted in one pass over the
// list, O(n * |relevant|), and the values equal those of unitTable over the sorted list.
import type { MetricSpec } from './definitions';

/** Whether every metric of `specs` can be computed from the relevant rows' ranks (no outcome columns, no global AUC). */
export function rankOnly(specs: MetricSpec[]): boolean {
  return specs.every((s) => ['recall', 'recall_capped', 'map', 'map_k', 'mrr', 'hit_rate', 'ndcg', 'gauc'].includes(s.kind));
}

/**
 * Writes the metrics of one list into `out[offset .. offset + specs.length)` (NaN for a list with one class).
 * The list is the indices i < n with `member[i] = 1` (all of them without `member`), scored by `score[i]`; `rel`
 * holds the relevant indices (members, ascending, distinct). Returns the list's length.
 */
export function sparseListValues(specs: MetricSpec[], score: ArrayLike<number>, n: number, member: Uint8Array | null,
  rel: Int32Array, out: Float64Array, offset: number, scratch: Float64Array = new Float64Array(rel.length * 3)): number {
  let len = n;
  if (member) { len = 0; for (let i = 0; i < n; i++) len += member[i]; }
  const R = rel.length;
  const nNeg = len - R;
  if (R === 0 || nNeg === 0) {
    for (let m = 0; m < specs.length; m++) out[offset + m] = NaN;
    return len;
  }
  // Per relevant r: members scoring above it and equal to it (r itself included), in one pass each.
  const greater = scratch.subarray(0, R), equal = scratch.subarray(R, 2 * R);
  for (let k = 0; k < R; k++) {
    const s = score[rel[k]];
    let g = 0, e = 0;
    if (member) {
      for (let i = 0; i < n; i++) { if (!member[i]) continue; const x = score[i]; if (x > s) g++; else if (x === s) e++; }
    } else {
      for (let i = 0; i < n; i++) { const x = score[i]; if (x > s) g++; else if (x === s) e++; }
    }
    greater[k] = g; equal[k] = e;
  }
  valuesFromCounts(specs, score, rel, len, scratch, out, offset);
  return len;
}

/**
 * As sparseListValues for a scorer whose scores do not depend on the user (popular, item_prior, shortest,
 * longest): `sorted` holds the n scores ascending (once per day), so the members above and equal to a relevant
 * item are two binary searches less the few left-out items, O(log n + |excluded|) per relevant item.
 */
export function sparseListValuesSorted(specs: MetricSpec[], score: ArrayLike<number>, sorted: Float64Array, excluded: Int32Array, len: number,
  rel: Int32Array, out: Float64Array, offset: number, scratch: Float64Array = new Float64Array(rel.length * 3)): number {
  const R = rel.length;
  if (R === 0 || len - R === 0) {
    for (let m = 0; m < specs.length; m++) out[offset + m] = NaN;
    return len;
  }
  const n = sorted.length;
  const greater = scratch.subarray(0, R), equal = scratch.subarray(R, 2 * R);
  for (let k = 0; k < R; k++) {
    const s = score[rel[k]];
    // lo = first index with sorted[i] >= s; hi = first index with sorted[i] > s.
    let lo = 0, hi = n;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < s) lo = mid + 1; else hi = mid; }
    let lo2 = lo, hi2 = n;
    while (lo2 < hi2) { const mid = (lo2 + hi2) >> 1; if (sorted[mid] <= s) lo2 = mid + 1; else hi2 = mid; }
    let g = n - lo2, e = lo2 - lo;
    for (let j = 0; j < excluded.length; j++) { const x = score[excluded[j]]; if (x > s) g--; else if (x === s) e--; }
    greater[k] = g; equal[k] = e;
  }
  valuesFromCounts(specs, score, rel, len, scratch, out, offset);
  return len;
}

/** The metrics of a list from, per relevant item, the members above it (scratch[0..R)) and tied with it (scratch[R..2R)). */
function valuesFromCounts(specs: MetricSpec[], score: ArrayLike<number>, rel: Int32Array, len: number, scratch: Float64Array, out: Float64Array, offset: number): void {
  const R = rel.length;
  const nNeg = len - R;
  const greater = scratch.subarray(0, R), equal = scratch.subarray(R, 2 * R), rank = scratch.subarray(2 * R, 3 * R);
  // rank = 1 + non-relevant at or above its score + relevant ranked before it (higher score, or equal score and a
  // lower index). AUC numerator: non-relevant strictly below + 1/2 of non-relevant tied.
  let aucNum = 0;
  for (let k = 0; k < R; k++) {
    const s = score[rel[k]];
    let gRel = 0, eRel = 0, before = 0;
    for (let q = 0; q < R; q++) {
      const x = score[rel[q]];
      if (x > s) { gRel++; before++; } else if (x === s) { eRel++; if (q < k) before++; }
    }
    const negAbove = greater[k] - gRel, negTied = equal[k] - eRel;
    rank[k] = 1 + negAbove + negTied + before;
    aucNum += (nNeg - negAbove - negTied) + 0.5 * negTied;
  }
  rank.sort();
  const auc = aucNum / (R * nNeg);
  for (let m = 0; m < specs.length; m++) {
    const sp = specs[m];
    const K = Math.floor(sp.k ?? 0);
    let v: number;
    switch (sp.kind) {
      case 'recall': case 'recall_capped': case 'hit_rate': {
        let h = 0;
        for (let k = 0; k < R && rank[k] <= K; k++) h++;
        v = sp.kind === 'recall' ? h / R : sp.kind === 'recall_capped' ? h / Math.min(K, R) : h > 0 ? 1 : 0;
        break;
      }
      case 'map': { let sum = 0; for (let k = 0; k < R; k++) sum += (k + 1) / rank[k]; v = sum / R; break; }
      case 'map_k': { let sum = 0; for (let k = 0; k < R && rank[k] <= K; k++) sum += (k + 1) / rank[k]; v = sum / Math.min(K, R); break; }
      case 'mrr': v = 1 / rank[0]; break;
      case 'ndcg': {
        let dcg = 0;
        for (let k = 0; k < R && rank[k] <= K; k++) dcg += 1 / Math.log2(rank[k] + 1);
        let idcg = 0;
        for (let i = 1; i <= Math.min(K, R); i++) idcg += 1 / Math.log2(i + 1);
        v = dcg / idcg;
        break;
      }
      case 'gauc': v = auc; break;
      default: throw new RangeError(`${sp.name}: not a rank metric; the sparse ranking computes ${['recall', 'map', 'mrr', 'hit_rate', 'ndcg', 'gauc'].join(', ')}`);
    }
    out[offset + m] = v;
  }
}
