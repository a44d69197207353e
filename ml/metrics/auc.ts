// AUC over many rows (global AUC), its weighted form (used by the bootstrap), and GAUC over per-user AUCs.
// Ties count 1/2 everywhere (the average-rank rule), as in listAuc.

/**
 * Global AUC: the probability that a random relevant row (label > 0) of the whole set scores above a random
 * non-relevant one, ties counting 1/2, pooling all users. NaN when one class is absent or any score is NaN (a
 * diverged model has no AUC). Sort-based: O(n log n).
 */
export function globalAuc(score: ArrayLike<number>, label: ArrayLike<number>): number {
  const n = score.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(score[i])) return NaN;
    if (label[i] > 0) nPos++;
  }
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(n - nPos);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (label[i] > 0) pos[a++] = score[i]; else neg[b++] = score[i];
  }
  if (pos.length === 0 || neg.length === 0) return NaN;
  pos.sort();
  neg.sort();
  // For each relevant score, count non-relevant scores strictly below it and equal to it.
  let u = 0;
  let lo = 0; // neg[0..lo) < s
  let hi = 0; // neg[0..hi) <= s
  for (let i = 0; i < pos.length; i++) {
    const s = pos[i];
    while (lo < neg.length && neg[lo] < s) lo++;
    if (hi < lo) hi = lo;
    while (hi < neg.length && neg[hi] <= s) hi++;
    u += lo + 0.5 * (hi - lo);
  }
  return u / (pos.length * neg.length);
}

/** Row indices in ascending score order (computed once, reused by every weighted AUC of a bootstrap). */
export function ascendingOrder(score: ArrayLike<number>): Int32Array {
  const order = new Int32Array(score.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => score[a] - score[b]);
}

/**
 * Weighted global AUC: as globalAuc with each row counted `weight(row)` times (a bootstrap resample's
 * multiplicity). `order` is ascendingOrder(score). NaN when either class has zero weight.
 */
export function weightedAuc(order: Int32Array, score: ArrayLike<number>, label: ArrayLike<number>, weight: (row: number) => number): number {
  let negBelow = 0, posW = 0, u = 0;
  let p = 0;
  while (p < order.length) {
    const s = score[order[p]];
    let pw = 0, nw = 0;
    while (p < order.length && score[order[p]] === s) {
      const i = order[p++];
      const w = weight(i);
      if (label[i] > 0) pw += w; else nw += w;
    }
    u += pw * (negBelow + 0.5 * nw);
    negBelow += nw;
    posW += pw;
  }
  return posW === 0 || negBelow === 0 ? NaN : u / (posW * negBelow);
}

/**
 * A version's rows in ascending score order, prepared for one weighted-AUC pass per resample: labels and users
 * in that order, and where each run of tied scores ends.
 */
export interface SortedForAuc {
  /** 1 where the row (in ascending score order) is relevant. */
  rel: Uint8Array;
  /** The resampling unit (user) of each row, in that order. */
  cluster: Int32Array;
  /** For each position, one past the last position of its run of tied scores. */
  tieEnd: Int32Array;
  /** Whether any two scores tie (the resampled AUC takes a faster path without ties). */
  hasTies: boolean;
}

/** Sorts a version's rows once for resampledAuc: labels and clusters in ascending score order, with tie runs. */
export function sortForAuc(score: ArrayLike<number>, label: ArrayLike<number>, cluster: Int32Array): SortedForAuc {
  const order = ascendingOrder(score);
  const n = order.length;
  const rel = new Uint8Array(n), cl = new Int32Array(n), tieEnd = new Int32Array(n);
  for (let p = 0; p < n; p++) { rel[p] = label[order[p]] > 0 ? 1 : 0; cl[p] = cluster[order[p]]; }
  for (let p = n - 1; p >= 0; p--) tieEnd[p] = p + 1 < n && score[order[p + 1]] === score[order[p]] ? tieEnd[p + 1] : p + 1;
  let hasTies = false;
  for (let p = 0; p < n && !hasTies; p++) hasTies = tieEnd[p] !== p + 1;
  return { rel, cluster: cl, tieEnd, hasTies };
}

/** weightedAuc specialised for the bootstrap: a row's weight is its user's multiplicity. */
export function resampledAuc(s: SortedForAuc, counts: Int32Array): number {
  let negBelow = 0, posW = 0, u = 0;
  const n = s.rel.length;
  if (!s.hasTies) {
    for (let p = 0; p < n; p++) {
      const w = counts[s.cluster[p]];
      if (s.rel[p]) { u += w * negBelow; posW += w; } else negBelow += w;
    }
    return posW === 0 || negBelow === 0 ? NaN : u / (posW * negBelow);
  }
  let p = 0;
  while (p < n) {
    const end = s.tieEnd[p];
    let pw = 0, nw = 0;
    for (; p < end; p++) {
      const w = counts[s.cluster[p]];
      if (s.rel[p]) pw += w; else nw += w;
    }
    u += pw * (negBelow + 0.5 * nw);
    negBelow += nw;
    posW += pw;
  }
  return posW === 0 || negBelow === 0 ? NaN : u / (posW * negBelow);
}

/**
 * GAUC: the impression-weighted mean of per-user AUC, Σ_u n_u·AUC_u / Σ_u n_u, over users with both classes
 * (users whose AUC is NaN, having one class only, are excluded; the caller counts them).
 */
export function gauc(userAuc: ArrayLike<number>, impressions: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let u = 0; u < userAuc.length; u++) {
    const a = userAuc[u];
    if (Number.isNaN(a)) continue;
    num += impressions[u] * a;
    den += impressions[u];
  }
  return den === 0 ? NaN : num / den;
}
