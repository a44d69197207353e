// The paired bootstrap of one report scope (overall, a day or a duration group): resamples the scope's users,
// recomputes every metric of both versions on the same draw from per-user sums, and returns the 95% interval of
// candidate minus baseline per metric.
import { resampledAuc, sortForAuc, type SortedForAuc } from './auc';
import { bootstrapResamples, percentileInterval, type BootstrapOptions } from './bootstrap';
import type { UnitTable } from './unit-table';

/** A report scope: the lists (units) and the input rows it covers. */
export interface Scope {
  units: Int32Array;
  rows: Int32Array;
}

/** Paired bootstrap over the users of a scope: per metric, the 95% interval of candidate minus baseline. */
export function bootstrapScope(
  tc: UnitTable, tb: UnitTable, scope: Scope, unitUser: Int32Array, rowUnit: Int32Array,
  cand: ArrayLike<number>, base: ArrayLike<number>, label: ArrayLike<number>, opts: BootstrapOptions, aucBudget: number,
): ([number, number] | null)[] {
  const M = tc.specs.length;
  const clusterOf = new Map<number, number>();
  for (const u of scope.units) if (!clusterOf.has(unitUser[u])) clusterOf.set(unitUser[u], clusterOf.size);
  const C = clusterOf.size;
  // Per user, the sums each resample adds up, interleaved for one sequential read: for most metrics candidate
  // and baseline are averaged over the same lists (weight = the user's evaluated lists, or impressions for
  // gauc), so one column of per-user differences and a shared weight column suffice; a metric whose defined
  // lists differ between the versions (e.g. WTG unknown in one top K) keeps four columns.
  // Identical columns are stored once (with short lists, every K beyond the list length gives the same values).
  const cols: Float64Array[] = [];
  const byHash = new Map<number, number[]>();
  const add = (col: Float64Array): number => {
    let h = 0;
    for (let c = 0; c < col.length; c++) h = (Math.imul(h, 31) + Math.round(col[c] * 1e6)) | 0;
    const same = byHash.get(h) ?? [];
    for (const j of same) if (cols[j].every((x, c) => x === col[c])) return j;
    cols.push(col);
    byHash.set(h, [...same, cols.length - 1]);
    return cols.length - 1;
  };
  const weightCol = (w: (u: number) => number) => {
    const col = new Float64Array(C);
    for (const u of scope.units) if (tc.eligible[u]) col[clusterOf.get(unitUser[u])!] += w(u);
    return add(col);
  };
  const listsCol = weightCol(() => 1);
  const imprCol = weightCol((u) => tc.impressions[u]);
  const plan: { num: number[]; den: number[] }[] = [];
  for (let m = 0; m < M; m++) {
    if (tc.specs[m].kind === 'auc') { plan.push({ num: [], den: [] }); continue; }
    const gw = tc.specs[m].kind === 'gauc';
    const sc = new Float64Array(C), nc = new Float64Array(C), sb = new Float64Array(C), nb = new Float64Array(C);
    let shared = true;
    for (const u of scope.units) {
      if (!tc.eligible[u]) continue;
      const c = clusterOf.get(unitUser[u])!;
      const w = gw ? tc.impressions[u] : 1;
      const vc = tc.values[u * M + m], vb = tb.values[u * M + m];
      if (Number.isNaN(vc) || Number.isNaN(vb)) shared = false;
      if (!Number.isNaN(vc)) { sc[c] += w * vc; nc[c] += w; }
      if (!Number.isNaN(vb)) { sb[c] += w * vb; nb[c] += w; }
    }
    if (shared) {
      for (let c = 0; c < C; c++) sc[c] -= sb[c];
      plan.push({ num: [add(sc)], den: [gw ? imprCol : listsCol] });
    } else {
      plan.push({ num: [add(sc), add(sb)], den: [add(nc), add(nb)] });
    }
  }
  const S = cols.length;
  const sums = new Float64Array(C * S);
  cols.forEach((col, j) => { for (let c = 0; c < C; c++) sums[c * S + j] = col[c]; });
  const aucIdx = tc.specs.findIndex((s) => s.kind === 'auc');
  let aucSorted: [SortedForAuc, SortedForAuc] | null = null;
  if (aucIdx >= 0 && scope.rows.length * opts.resamples <= aucBudget) {
    const R = scope.rows.length;
    const rc = new Int32Array(R), s1 = new Float64Array(R), s2 = new Float64Array(R), l = new Float64Array(R);
    scope.rows.forEach((i, j) => { rc[j] = clusterOf.get(unitUser[rowUnit[i]])!; s1[j] = cand[i]; s2[j] = base[i]; l[j] = label[i]; });
    aucSorted = [sortForAuc(s1, l, rc), sortForAuc(s2, l, rc)];
  }
  const deltas = Array.from({ length: M }, () => new Float64Array(opts.resamples));
  const acc = new Float64Array(S);
  bootstrapResamples(C, opts, (cnt, b) => {
    acc.fill(0);
    for (let c = 0; c < C; c++) {
      const k = cnt[c];
      if (k === 0) continue;
      const o = c * S;
      for (let j = 0; j < S; j++) acc[j] += k * sums[o + j];
    }
    for (let m = 0; m < M; m++) {
      const p = plan[m];
      if (p.num.length === 1) deltas[m][b] = acc[p.num[0]] / acc[p.den[0]];
      else if (p.num.length === 2) deltas[m][b] = acc[p.num[0]] / acc[p.den[0]] - acc[p.num[1]] / acc[p.den[1]];
    }
    if (aucSorted) deltas[aucIdx][b] = resampledAuc(aucSorted[0], cnt) - resampledAuc(aucSorted[1], cnt);
    else if (aucIdx >= 0) deltas[aucIdx][b] = NaN;
  });
  return deltas.map((d) => percentileInterval(d));
}
