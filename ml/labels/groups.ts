// Duration groups and their statistics. Groups are fitted on the training part of the window before the
// user/item filters (docs/design.md, "Labels"), so labels do not depend on the filters that depend on labels.
// A group with fewer than MIN_GROUP_VIEWS views or zero spread merges with its neighbour: walking groups in
// length order, a group is closed once it has enough views and spread, and a bad remainder at the end joins
// the group before it. Under `item`, an item with fewer views or no spread (or no training views at all) uses
// its equi-quantile group instead. A length group's statistics cover all training views of its length range.
import type { BucketScheme } from './spec';

/** The fewest training views a group may have. */
export const MIN_GROUP_VIEWS = 20;
/** Quantile points stored per group for the D2Q label: 0%, 5%, ..., 100%. */
export const QUANTILE_POINTS = 21;

/** Mean, population standard deviation and count of one group. */
export interface Stat {
  mean: number;
  std: number;
  count: number;
}

/** Fitted duration groups. */
export interface DurationGroups {
  scheme: string;
  /** Ascending upper bounds: a length L is in group g = the number of edges <= L. */
  edgesS: number[];
  /** Per item (log item index): its own group, or -1 to use the length groups. Only for `item`. */
  itemGroup?: Int32Array;
  /** Statistics of watch time (seconds) per group. */
  stats: Stat[];
  /** Statistics of completion per group (for wtg:pcc). */
  pccStats: Stat[];
  /** Per group, QUANTILE_POINTS ascending quantiles of watch time (for wtg-quantile; empty unless asked for). */
  quantiles: number[][];
}

/** The group of a view: its item's own group, else its length group; -1 when the length is unknown. */
export function groupOf(g: Pick<DurationGroups, 'edgesS' | 'itemGroup'>, lengthS: number, item: number): number {
  if (!(lengthS > 0)) return -1;
  if (g.itemGroup && item >= 0 && item < g.itemGroup.length && g.itemGroup[item] >= 0) return g.itemGroup[item];
  const e = g.edgesS;
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (e[mid] <= lengthS) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class Acc {
  n = 0; s = 0; ss = 0; p = 0; pp = 0;
  add(v: number, c: number): void { this.n++; this.s += v; this.ss += v * v; this.p += c; this.pp += c * c; }
  merge(o: Acc): void { this.n += o.n; this.s += o.s; this.ss += o.ss; this.p += o.p; this.pp += o.pp; }
  variance(): number { return this.n > 0 ? Math.max(0, this.ss / this.n - (this.s / this.n) ** 2) : 0; }
  good(): boolean { return this.n >= MIN_GROUP_VIEWS && this.variance() > 1e-9 * Math.max(1, (this.s / this.n) ** 2); }
}

/** Running mean and population variance (Welford), so group statistics need no per-group value arrays. */
class Welford {
  n = 0; mean = 0; m2 = 0;
  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }
  stat(): Stat {
    if (this.n === 0) return { mean: 0, std: 1, count: 0 };
    const std = Math.sqrt(this.m2 / this.n);
    return { mean: this.mean, std: std > 0 ? std : 1, count: this.n };
  }
}

function quantilesOf(values: number[]): number[] {
  if (values.length === 0) return new Array<number>(QUANTILE_POINTS).fill(0);
  const v = Float64Array.from(values).sort();
  return Array.from({ length: QUANTILE_POINTS }, (_, j) => {
    const pos = (j / (QUANTILE_POINTS - 1)) * (v.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
  });
}

/** Candidate edges of a length-ordered scheme, from the sorted training lengths. */
function candidateEdges(scheme: { kind: 'fixed'; widthS: number } | { kind: 'equi-quantile'; k: number }, sorted: Float64Array): number[] {
  const n = sorted.length;
  if (n === 0) return [];
  const edges: number[] = [];
  if (scheme.kind === 'fixed') {
    const max = sorted[n - 1];
    for (let e = scheme.widthS; e <= max; e += scheme.widthS) edges.push(e);
  } else {
    for (let j = 1; j < scheme.k; j++) {
      const e = sorted[Math.floor((j * n) / scheme.k)];
      if (e > sorted[0] && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
    }
  }
  return edges;
}

/** Merges bad groups into neighbours (see the top of this file) and returns the kept edges. */
function mergeEdges(edges: number[], accs: Acc[]): number[] {
  const kept: number[] = [];
  let cur = new Acc();
  for (let g = 0; g < accs.length; g++) {
    cur.merge(accs[g]);
    if (g < edges.length && cur.good()) {
      kept.push(edges[g]);
      cur = new Acc();
    }
  }
  // A bad remainder (the last group) joins the group before it.
  if (!cur.good() && kept.length > 0) kept.pop();
  return kept;
}

/**
 * Fits groups on training views: `lengthS`, `timespentS` and `item` per view (views of unknown length are
 * skipped). `nItems` sizes the item table of the `item` scheme.
 */
export function fitGroups(scheme: BucketScheme, lengthS: ArrayLike<number>, timespentS: ArrayLike<number>, item: ArrayLike<number>, nItems: number,
  opts: { quantiles?: boolean } = { quantiles: true }): DurationGroups {
  let known = 0;
  for (let k = 0; k < lengthS.length; k++) if (lengthS[k] > 0) known++;
  const idx = new Int32Array(known);
  const sorted = new Float64Array(known);
  for (let k = 0, j = 0; k < lengthS.length; k++) {
    if (lengthS[k] > 0) {
      idx[j] = k;
      sorted[j++] = lengthS[k];
    }
  }
  // A loop, not Float64Array.from(idx, map): the mapped form calls through the iterator protocol per value.
  sorted.sort();
  const base = scheme.kind === 'item' ? { kind: 'equi-quantile' as const, k: scheme.fallbackK } : scheme;
  const cand = candidateEdges(base, sorted);
  const accs = Array.from({ length: cand.length + 1 }, () => new Acc());
  for (const k of idx) accs[groupOf({ edgesS: cand }, lengthS[k], -1)].add(timespentS[k], timespentS[k] / lengthS[k]);
  const edgesS = mergeEdges(cand, accs);
  let itemGroup: Int32Array | undefined;
  const nLen = edgesS.length + 1;
  let nGroups = nLen;
  if (scheme.kind === 'item') {
    const per = new Map<number, Acc>();
    for (const k of idx) {
      let a = per.get(item[k]);
      if (!a) per.set(item[k], (a = new Acc()));
      a.add(timespentS[k], timespentS[k] / lengthS[k]);
    }
    itemGroup = new Int32Array(nItems).fill(-1);
    for (const [i, a] of [...per.entries()].sort((x, y) => x[0] - y[0])) if (a.good()) itemGroup[i] = nGroups++;
  }
  const fitted = { edgesS, itemGroup };
  // Length groups take every training view of their length range (so a fallback item gets the stable statistics
  // of its length); an item's own group takes that item's views.
  const ts = Array.from({ length: nGroups }, () => new Welford());
  const pc = Array.from({ length: nGroups }, () => new Welford());
  const vals: number[][] | undefined = opts.quantiles ? Array.from({ length: nGroups }, () => []) : undefined;
  for (const k of idx) {
    const spent = timespentS[k];
    const pcc = spent / lengthS[k];
    const lg = groupOf({ edgesS }, lengthS[k], -1);
    ts[lg].add(spent);
    pc[lg].add(pcc);
    vals?.[lg].push(spent);
    const g = itemGroup ? groupOf(fitted, lengthS[k], item[k]) : lg;
    if (g !== lg) {
      ts[g].add(spent);
      pc[g].add(pcc);
      vals?.[g].push(spent);
    }
  }
  return {
    scheme: scheme.spec, edgesS, itemGroup, stats: ts.map((w) => w.stat()), pccStats: pc.map((w) => w.stat()),
    quantiles: vals ? vals.map(quantilesOf) : [],
  };
}
