// Hand-made evaluation reports in the shape the evaluation service writes (one section per protocol with
// `informative`, `days`, `beats_baselines` and `sanity`), for tests of the promotion gate.

/** Metric values by name. */
export type Metrics = Record<string, number>;

const SANITY = ['random', 'popular', 'item_prior', 'shortest', 'longest'] as const;

/** What one protocol's section says besides the candidate's and the baseline's values. */
export interface SectionSpec {
  /** The candidate's values per test day. */
  candidate: Record<string, Metrics>;
  /** The baseline's values per test day. */
  baseline: Record<string, Metrics>;
  /** Metrics marked uninformative, with the reason. */
  uninformative?: Record<string, string>;
  /** Test days marked not gated, with their evaluated lists and the reason. */
  notGated?: Record<string, { lists: number; reason: string }>;
  /** Per metric, the sanity baselines the candidate does NOT beat (it beats all others). */
  losesTo?: Record<string, string[]>;
}

/** The mean over days of each metric: a stand-in for the pooled value (the gate checks days). */
function mean(byDay: Record<string, Metrics>): Metrics {
  const days = Object.values(byDay);
  const out: Metrics = {};
  for (const m of Object.keys(days[0] ?? {})) out[m] = days.reduce((s, d) => s + d[m], 0) / days.length;
  return out;
}

/** One protocol's section of a report. */
export function protocolSection(s: SectionSpec): Record<string, unknown> {
  const days = Object.keys(s.candidate);
  const metrics = Object.keys(s.candidate[days[0]] ?? {});
  const flat = (x: number) => Object.fromEntries(metrics.map((m) => [m, x]));
  return {
    overall: mean(s.candidate), by_day: s.candidate, by_group: {},
    baseline: { overall: mean(s.baseline), by_day: s.baseline, by_group: {} },
    delta: null, users: { rows: 0, users: 0, lists: 0, evaluated: 0, only_relevant: 0, only_non_relevant: 0, relevant: 0, by_day: {}, by_group: {} },
    sanity: Object.fromEntries(SANITY.map((n) => [n, { overall: flat(0.1), by_day: Object.fromEntries(days.map((d) => [d, flat(0.1)])), delta: { overall: {}, by_day: {} } }])),
    informative: Object.fromEntries(metrics.map((m) => [m, { informative: !s.uninformative?.[m], reason: s.uninformative?.[m] ?? null }])),
    beats_baselines: Object.fromEntries(metrics.map((m) => {
      const lost = s.losesTo?.[m] ?? [];
      return [m, { beats: lost.length === 0, by_baseline: Object.fromEntries(SANITY.map((n) => [n, !lost.includes(n)])) }];
    })),
    days: Object.fromEntries(days.map((d) => [d, s.notGated?.[d] ? { lists: s.notGated[d].lists, gated: false, reason: s.notGated[d].reason }
      : { lists: 500, gated: true, reason: null }])),
    median_list_length: 3,
  };
}

/** A whole report: the given protocols, the top level = the viewed section (as today's readers expect). */
export function evaluationReport(o: { viewed?: SectionSpec; catalog?: SectionSpec; target: string; datasetId: string }): Record<string, unknown> {
  const protocols: Record<string, unknown> = {};
  if (o.viewed) protocols.viewed = protocolSection(o.viewed);
  if (o.catalog) protocols.catalog = protocolSection(o.catalog);
  const top = (protocols.viewed ?? {}) as Record<string, unknown>;
  return {
    protocols, overall: top.overall, by_day: top.by_day, by_group: {}, baseline: top.baseline, delta: null, users: top.users,
    definitions: {}, target: o.target, dataset_id: o.datasetId,
    protocol: o.viewed && o.catalog ? 'both' : o.catalog ? 'catalog' : 'viewed',
  };
}

/** The same values on every day: `{day: metrics}` for the given days. */
export function everyDay(days: string[], metrics: Metrics): Record<string, Metrics> {
  return Object.fromEntries(days.map((d) => [d, { ...metrics }]));
}
