// One protocol's report: the candidate (and baseline) as evaluateRanking reports them, plus the sanity
// baselines scored on the same lists with the candidate's delta against each, whether each metric can tell
// scorers apart at all on these lists (saturation), whether the candidate beats every sanity baseline, and which
// test days have enough lists to be used by a gate.
import type { BootstrapOptions } from './bootstrap';
import { reportFromTables, type DeltaEntry, type EvaluationReport, type ListSet, type MetricSet, type ScorerTables } from './evaluate';
import { SANITY_NAMES, type SanityName } from './sanity';
import { metricSpecs, type MetricSpec } from './definitions';

/** A test day with fewer evaluated lists than this is reported but not gated (a partial day at the cut). */
export const MIN_GATED_LISTS = 200;

/** One sanity baseline in a protocol report. */
export interface SanityEntry {
  overall: MetricSet;
  by_day: Record<string, MetricSet>;
  /** The candidate minus this baseline, with the paired bootstrap interval. */
  delta: { overall: Record<string, DeltaEntry>; by_day: Record<string, Record<string, DeltaEntry>> };
}

/** The report of one protocol (viewed or catalog). */
export interface ProtocolReport extends EvaluationReport {
  /** The sanity baselines on the same lists (all five in an evaluation; those computable in `metrics compute`). */
  sanity: Partial<Record<SanityName, SanityEntry>>;
  /** Per metric: false where K >= the median evaluated list length, or where every sanity baseline gets the same value. */
  informative: Record<string, { informative: boolean; reason: string | null }>;
  /** Per metric: the candidate's delta interval is above 0 overall and its point delta > 0 on every gated day, against each baseline. */
  beats_baselines: Record<string, { beats: boolean; by_baseline: Partial<Record<SanityName, boolean>> }>;
  /** Per test day: evaluated lists and whether a gate may use the day. */
  days: Record<string, { lists: number; gated: boolean; reason: string | null }>;
  /** The median number of candidates of the evaluated lists. */
  median_list_length: number;
}

/** Options of a protocol report. */
export interface ProtocolReportOptions {
  /** The cut-offs (the report's `ks`; default: those of the specs). */
  ks?: number[];
  bootstrap?: BootstrapOptions | false;
  aucBootstrapBudget?: number;
  minGatedLists?: number;
}

/** The median candidates per evaluated list (lists with both classes); 0 without any. */
export function medianListLength(t: ScorerTables): number {
  const lens: number[] = [];
  for (let u = 0; u < t.day.nUnits; u++) if (t.day.eligible[u]) lens.push(t.day.impressions[u]);
  if (lens.length === 0) return 0;
  lens.sort((a, b) => a - b);
  const h = lens.length >> 1;
  return lens.length % 2 ? lens[h] : (lens[h - 1] + lens[h]) / 2;
}

/** Whether every value is the same (all null counts as the same). */
function allEqual(values: (number | null)[]): boolean {
  if (values.length < 2) return false;
  const first = values[0];
  return values.every((v) => (v === null || first === null ? v === first : Math.abs(v - first) <= 1e-12 * Math.max(1, Math.abs(first))));
}

/** Builds a protocol report from the per-list tables of the candidate, the baseline and the sanity baselines over `ls`. */
export function protocolReport(ls: ListSet, cand: ScorerTables, base: ScorerTables | null,
  sanity: Partial<Record<SanityName, ScorerTables>>, opts: ProtocolReportOptions = {}): ProtocolReport {
  const main = reportFromTables(ls, cand, base, opts);
  const entries: Partial<Record<SanityName, SanityEntry>> = {};
  const names = SANITY_NAMES.filter((s) => sanity[s]);
  for (const s of names) {
    const r = reportFromTables(ls, cand, sanity[s]!, { ...opts, groupDeltas: false });
    entries[s] = { overall: r.baseline!.overall, by_day: r.baseline!.by_day, delta: { overall: r.delta!.overall, by_day: r.delta!.by_day } };
  }
  const median = medianListLength(cand);
  const minLists = opts.minGatedLists ?? MIN_GATED_LISTS;
  const days: ProtocolReport['days'] = {};
  for (const [d, u] of Object.entries(main.users.by_day)) {
    const gated = u.evaluated >= minLists;
    days[d] = { lists: u.evaluated, gated, reason: gated ? null : `${u.evaluated} evaluated lists, fewer than ${minLists}: reported, not gated` };
  }
  const informative: ProtocolReport['informative'] = {};
  const beats: ProtocolReport['beats_baselines'] = {};
  for (const spec of ls.specs) {
    const m = spec.name;
    let reason: string | null = null;
    if (spec.k !== undefined && spec.k >= median) reason = `K = ${spec.k} >= the median evaluated list length ${median}: nearly every list fits in the top K`;
    else if (names.length >= 2 && allEqual(names.map((s) => entries[s]!.overall[m]))) {
      reason = `every sanity baseline gets ${entries[names[0]]!.overall[m] ?? 'no value'}: the metric does not tell rankings apart on these lists`;
    }
    informative[m] = { informative: reason === null, reason };
    const by: Partial<Record<SanityName, boolean>> = {};
    for (const s of names) {
      const d = entries[s]!.delta;
      const ci = d.overall[m]?.ci95;
      by[s] = !!ci && ci[0] > 0 &&
        Object.entries(days).filter(([, x]) => x.gated).every(([day]) => (d.by_day[day]?.[m]?.delta ?? 0) > 0);
    }
    beats[m] = { beats: names.length > 0 && names.every((s) => by[s]), by_baseline: by };
  }
  return { ...main, sanity: entries, informative, beats_baselines: beats, days, median_list_length: median };
}

/** The catalog protocol's metrics: those computed from relevant items' ranks (outcomes of unviewed items are unknown). */
export function catalogSpecs(ks: number[]): MetricSpec[] {
  return metricSpecs(ks, { wtg: false, timespentS: false, pcc: false }).filter((s) => s.kind !== 'auc');
}

/** The definition of the catalog protocol, as the report states it. */
export const CATALOG_DEFINITION = 'each user-day list is every item of the dataset\'s item set, scored on the item inputs as of 00:00 (market time zone) of that day ' +
  'with the user\'s features and context of the user\'s first view that day; items the user viewed in the dataset\'s rows before that day are left out ' +
  '(also when viewed again that day); relevant = items viewed that day whose target label is 1 (items viewed that day with an undefined target count as not relevant). ' +
  'Reported: rank metrics only (recall, MAP, MRR, hit rate, NDCG, GAUC): watch-time outcomes of items not shown are unknown, and global AUC would pool users x items rows; ' +
  'no duration groups (by_group is empty)';

/** The definition of the viewed protocol, as the report states it. */
export const VIEWED_DEFINITION = 'each user-day list is the items the user viewed that day (the test rows), ranked by the model; relevant = target label 1';

