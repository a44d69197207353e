// Sampled catalog negatives: rows of items a user did NOT view, added to the training (and validation) rows.
//
// Every row of a dataset is a view, so a model trained on them alone learns P(target | viewed): it never sees an
// item the user skipped, and cannot tell a popular item from one that nobody is shown. Ranking a whole catalog
// (the catalog protocol, Retrieve) asks for P(viewed and target), and there such a model loses to "most viewed
// first". The usual remedy of two-tower retrieval is negative sampling: for each view, k items drawn uniformly
// from the catalog (never one the user viewed in these rows) enter with the user's inputs of that view and the
// lowest label (0, or the lowest regression target: a view of 0 seconds). The sampled item's inputs are those of
// its newest row at or before the view's time (else its first row), so no input is from after the view.
// Uniform sampling (not in proportion to views) leaves the popularity signal in: the catalog's lists are uniform
// over items too. The rows only change what training reads; the model, its export and its serving do not change.
import type { FeatureBatch, FeatureLayout } from '../features/layout';
import { Rng } from '../model/rng';

/** Rows with what sampling needs: their user and item indices and times. */
export interface SampledRows {
  batch: FeatureBatch;
  label: Float32Array;
  lengthS: Float32Array;
  userIdx: Int32Array;
  itemIdx: Int32Array;
  ts: Float64Array;
}

/** Per item, its rows (indices into the pool) in time order. */
interface ItemRows {
  items: number[];
  rows: Map<number, { idx: Int32Array; ts: Float64Array }>;
}

function itemRowsOf(pool: SampledRows): ItemRows {
  const byItem = new Map<number, number[]>();
  for (let r = 0; r < pool.batch.n; r++) {
    const it = pool.itemIdx[r];
    let a = byItem.get(it);
    if (!a) byItem.set(it, (a = []));
    a.push(r);
  }
  const rows = new Map<number, { idx: Int32Array; ts: Float64Array }>();
  for (const [it, a] of byItem) {
    a.sort((x, y) => pool.ts[x] - pool.ts[y] || x - y);
    rows.set(it, { idx: Int32Array.from(a), ts: Float64Array.from(a, (r) => pool.ts[r]) });
  }
  return { items: [...rows.keys()].sort((a, b) => a - b), rows };
}

/** The pool row of `item` to take its inputs from at time t: its newest at or before t, else its first. */
function rowAt(r: { idx: Int32Array; ts: Float64Array }, t: number): number {
  let lo = 0, hi = r.ts.length; // first index with ts > t
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (r.ts[mid] <= t) lo = mid + 1; else hi = mid;
  }
  return r.idx[Math.max(0, lo - 1)];
}

/**
 * `rows` followed by k sampled negatives per row: the user's inputs of the row, the inputs of an item drawn
 * uniformly from the items of `pool` that the user has no row of (in `rows` or `pool`), label `negLabel`. The draw is
 * seeded, so a run is reproducible. A user who viewed every item gets no negatives.
 */
export function withNegatives(rows: SampledRows, pool: SampledRows, layout: FeatureLayout, k: number, negLabel: number, seed: number): SampledRows {
  if (!(Number.isInteger(k) && k >= 0)) throw new Error(`negatives: ${k} is not a whole number >= 0`);
  if (k === 0 || rows.batch.n === 0) return rows;
  const ir = itemRowsOf(pool);
  const viewed = new Map<number, Set<number>>();
  for (const src of [rows, pool]) {
    for (let r = 0; r < src.batch.n; r++) {
      let s = viewed.get(src.userIdx[r]);
      if (!s) viewed.set(src.userIdx[r], (s = new Set()));
      s.add(src.itemIdx[r]);
    }
  }
  const rng = new Rng(seed);
  const src: number[] = [], from: number[] = [];
  const nItems = ir.items.length;
  for (let r = 0; r < rows.batch.n; r++) {
    const seen = viewed.get(rows.userIdx[r])!;
    if (seen.size >= nItems) continue;
    for (let j = 0; j < k; j++) {
      let it: number;
      // Rejection sampling; the tries are bounded because at least one item is unseen.
      do it = ir.items[rng.int(nItems)]; while (seen.has(it));
      src.push(r);
      from.push(rowAt(ir.rows.get(it)!, rows.ts[r]));
    }
  }
  const m = src.length;
  const n = rows.batch.n + m;
  const uc = layout.userCat.length, ud = layout.userDenseDim, ic = layout.itemCat.length, id = layout.itemDenseDim;
  const b = rows.batch, p = pool.batch;
  const out: FeatureBatch = { n, userCat: new Int32Array(n * uc), userDense: new Float32Array(n * ud), itemCat: new Int32Array(n * ic),
    itemDense: new Float32Array(n * id), itemAge: new Float32Array(n) };
  out.userCat.set(b.userCat.subarray(0, b.n * uc));
  out.userDense.set(b.userDense.subarray(0, b.n * ud));
  out.itemCat.set(b.itemCat.subarray(0, b.n * ic));
  out.itemDense.set(b.itemDense.subarray(0, b.n * id));
  out.itemAge.set(b.itemAge.subarray(0, b.n));
  const label = new Float32Array(n), lengthS = new Float32Array(n), userIdx = new Int32Array(n), itemIdx = new Int32Array(n), ts = new Float64Array(n);
  label.set(rows.label); lengthS.set(rows.lengthS); userIdx.set(rows.userIdx); itemIdx.set(rows.itemIdx); ts.set(rows.ts);
  for (let j = 0; j < m; j++) {
    const o = b.n + j, r = src[j], q = from[j];
    out.userCat.set(b.userCat.subarray(r * uc, (r + 1) * uc), o * uc);
    out.userDense.set(b.userDense.subarray(r * ud, (r + 1) * ud), o * ud);
    out.itemCat.set(p.itemCat.subarray(q * ic, (q + 1) * ic), o * ic);
    out.itemDense.set(p.itemDense.subarray(q * id, (q + 1) * id), o * id);
    out.itemAge[o] = p.itemAge[q];
    label[o] = negLabel;
    lengthS[o] = pool.lengthS[q];
    userIdx[o] = rows.userIdx[r];
    itemIdx[o] = pool.itemIdx[q];
    ts[o] = rows.ts[r];
  }
  return { batch: out, label, lengthS, userIdx, itemIdx, ts };
}

/** The label of a sampled negative: 0 for a binary target, the lowest training target for a regression one. */
export function negativeLabel(task: 'binary' | 'regression', trainLabels: Float32Array): number {
  if (task === 'binary') return 0;
  let lo = Infinity;
  for (const y of trainLabels) if (Number.isFinite(y) && y < lo) lo = y;
  return Number.isFinite(lo) ? lo : 0;
}
