// Per-list metric values for every unit of a ranking, in one flat typed array, plus the list facts the
// aggregation needs (impressions, one-class flags). Lists are not re-sorted per metric: each reads the ranking.

import type { MetricSpec } from './definitions';
import * as lm from './list-metrics';
import { listOf, type RankedList, type RankedUnits } from './ranked-list';

/** Values per unit and metric: `values[u * specs.length + m]` (NaN where undefined for that list). */
export interface UnitTable {
  specs: MetricSpec[];
  nUnits: number;
  values: Float64Array;
  /** Candidates per unit. */
  impressions: Int32Array;
  /** 1 where the unit has >= 1 relevant and >= 1 non-relevant row (it is averaged), else 0. */
  eligible: Uint8Array;
  /** Relevant rows per unit. */
  nRel: Int32Array;
}

/** One list's value of a list-level metric (every kind but the global 'auc'; 'gauc' gives the list's AUC). */
export function listValue(spec: MetricSpec, l: RankedList): number {
  const k = spec.k ?? 0;
  switch (spec.kind) {
    case 'recall': return lm.recallAtK(l, k);
    case 'recall_capped': return lm.recallCappedAtK(l, k);
    case 'map': return lm.averagePrecision(l);
    case 'map_k': return lm.averagePrecisionAtK(l, k);
    case 'mrr': return lm.reciprocalRank(l);
    case 'hit_rate': return lm.hitRateAtK(l, k);
    case 'ndcg': return lm.ndcgAtK(l, k);
    case 'wtg_gain': return lm.wtgGainAtK(l, k);
    case 'wtg_dcg': return lm.wtgDcgAtK(l, k);
    case 'watch_time': return lm.watchTimeAtK(l, k);
    case 'pcc98_rate': return lm.pcc98RateAtK(l, k);
    case 'gauc': return lm.listAuc(l);
    case 'auc': return NaN;
  }
}

/** Computes every list-level metric of every unit of `ranked`. */
export function unitTable(ranked: RankedUnits, specs: MetricSpec[]): UnitTable {
  const nUnits = ranked.offsets.length - 1;
  const M = specs.length;
  const values = new Float64Array(nUnits * M);
  const impressions = new Int32Array(nUnits);
  const eligible = new Uint8Array(nUnits);
  for (let u = 0; u < nUnits; u++) {
    const l = listOf(ranked, u);
    const n = l.end - l.start;
    impressions[u] = n;
    eligible[u] = l.nRel > 0 && l.nRel < n ? 1 : 0;
    for (let m = 0; m < M; m++) values[u * M + m] = eligible[u] ? listValue(specs[m], l) : NaN;
  }
  return { specs, nUnits, values, impressions, eligible, nRel: ranked.nRel };
}
