// The metric library (the Metrics seam of docs/design.md): per-list ranking metrics, AUC/GAUC, the seeded bootstrap, the report
// builder shared by evaluation, training and rollout, and the rank correlations of shadow scoring.
// Definitions live in each function's doc comment.
export { rankList, rankUnits, listOf, type RankedList, type RankedUnits, type RankInput, type RankedColumns } from './ranked-list';
export {
  recallAtK, recallCappedAtK, hitRateAtK, averagePrecision, averagePrecisionAtK, reciprocalRank, ndcgAtK, listAuc,
  wtgGainAtK, wtgDcgAtK, watchTimeAtK, pcc98RateAtK,
} from './list-metrics';
export { globalAuc, weightedAuc, ascendingOrder, gauc } from './auc';
export { bootstrapResamples, percentileInterval, pairedMeanDiffInterval, mulberry32, DEFAULT_BOOTSTRAP, type BootstrapOptions } from './bootstrap';
export { DEFAULT_KS, metricSpecs, definitionOf, type MetricSpec, type MetricKind } from './definitions';
export { unitTable, listValue, type UnitTable } from './unit-table';
export { ranks, spearman, kendallTauB, topKCorrelation } from './rank-correlation';
export {
  evaluateRanking, lengthQuantileGroups, type EvalRows, type EvaluateOptions, type EvaluationReport, type MetricSet,
  type DeltaEntry, type UserCounts,
} from './evaluate';
