// The metric names of the platform (docs/design.md, "Evaluation") and the one-sentence definition that
// every report carries beside its numbers ("every number names its definition").

/** The cut-offs reported when none are given. */
export const DEFAULT_KS = [5, 10, 50, 100];

/** Which optional columns the rows carry; watch-time metrics exist only where their column does. */
export interface AvailableColumns {
  wtg: boolean;
  timespentS: boolean;
  pcc: boolean;
}

/** How a metric is computed from one ranked list and aggregated over lists. */
export type MetricKind =
  | 'recall' | 'recall_capped' | 'map' | 'map_k' | 'mrr' | 'hit_rate' | 'ndcg' | 'wtg_gain' | 'wtg_dcg'
  | 'watch_time' | 'pcc98_rate' | 'gauc' | 'auc';

/** A metric of a report: its name (such as "recall@10"), kind and cut-off. */
export interface MetricSpec {
  name: string;
  kind: MetricKind;
  k?: number;
}

const AVG = 'averaged over evaluated lists (a user\'s candidates on a day with >= 1 relevant and >= 1 non-relevant)';

/** The definition text of a metric. */
export function definitionOf(spec: MetricSpec): string {
  const K = spec.k;
  switch (spec.kind) {
    case 'recall': return `|relevant in top ${K}| / |relevant|, ${AVG}`;
    case 'recall_capped': return `|relevant in top ${K}| / min(${K}, |relevant|), ${AVG}`;
    case 'map': return `AP over the full ranking, (1/|relevant|) * sum over relevant ranks i of precision@i, ${AVG}`;
    case 'map_k': return `sum over relevant ranks i <= ${K} of precision@i, divided by min(${K}, |relevant|), ${AVG}`;
    case 'mrr': return `1 / rank of the first relevant row, ${AVG}`;
    case 'hit_rate': return `1 if any relevant row is in the top ${K}, else 0, ${AVG} (it is 1 whenever a list has <= ${K} candidates)`;
    case 'ndcg': return `DCG@${K} / IDCG@${K} with binary gains and log2(rank+1) discounts, ${AVG}`;
    case 'wtg_gain': return `mean WTG of the top ${K} rows (unknown WTG skipped), ${AVG}`;
    case 'wtg_dcg': return `sum over ranks i <= ${K} of WTG_i / ln(i+1) (DVR; unknown WTG adds 0), ${AVG}`;
    case 'watch_time': return `total watch time in seconds of the top ${K} rows, ${AVG}`;
    case 'pcc98_rate': return `share of the top ${K} rows watched to >= 98% of their length (unknown length skipped), ${AVG}`;
    case 'gauc': return 'impression-weighted mean of per-list AUC (ties count 1/2) over lists with both classes; one-class lists excluded and counted in users';
    case 'auc': return 'global AUC over all rows in scope pooled across users (ties count 1/2)';
  }
}

/** The metrics a report carries, in display order, for cut-offs `ks` and the available columns. */
export function metricSpecs(ks: number[], cols: AvailableColumns): MetricSpec[] {
  for (const k of ks) if (!Number.isInteger(k) || k < 1) throw new RangeError(`K must be a positive integer, got ${k}`);
  const out: MetricSpec[] = [];
  for (const k of ks) out.push({ name: `recall@${k}`, kind: 'recall', k });
  for (const k of ks) out.push({ name: `recall_capped@${k}`, kind: 'recall_capped', k });
  out.push({ name: 'map', kind: 'map' });
  for (const k of ks) out.push({ name: `map@${k}`, kind: 'map_k', k });
  out.push({ name: 'mrr', kind: 'mrr' }, { name: 'gauc', kind: 'gauc' }, { name: 'auc', kind: 'auc' });
  for (const k of ks) out.push({ name: `hit_rate@${k}`, kind: 'hit_rate', k });
  for (const k of ks) out.push({ name: `ndcg@${k}`, kind: 'ndcg', k });
  if (cols.wtg) for (const k of ks) out.push({ name: `wtg_gain@${k}`, kind: 'wtg_gain', k });
  if (cols.wtg) for (const k of ks) out.push({ name: `wtg_dcg@${k}`, kind: 'wtg_dcg', k });
  if (cols.timespentS) for (const k of ks) out.push({ name: `watch_time@${k}`, kind: 'watch_time', k });
  if (cols.pcc) for (const k of ks) out.push({ name: `pcc98_rate@${k}`, kind: 'pcc98_rate', k });
  return out;
}
