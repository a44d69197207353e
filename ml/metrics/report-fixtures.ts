// Hand-made evaluation reports in the shape the evaluation service writes (one section per protocol with
// `informative`, `days`, `beats_baselines` and `sanity`: the ProtocolReport of ./protocol-report.ts), for tests
// of the promotion gate. It lives beside the report it imitates, not under test/, because the gate's unit tests
// beside registry/ use it and code beside the tests imports no test/ fixture.

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

/** A seed group's pooled values for one protocol, as the evaluation service writes `report.group.protocols[p]`. */
export interface GroupSpec {
  /** The group's candidate means per test day. */
  candidate: Record<string, Metrics>;
  /** The baseline's means per test day. */
  baseline: Record<string, Metrics>;
  /** The overall intervals of the delta against every sanity baseline (whose value is 0.1 everywhere). */
  sanityCi: { user: [number, number]; pooled: [number, number] | null };
}

type Interval = [number, number] | null;

/** One GroupDelta: means, their delta and the two intervals (user-only and users + seeds). */
function groupDelta(c: number, b: number, seeds: number, user: Interval, pooled: Interval): Record<string, unknown> {
  return { candidate_mean: c, baseline_mean: b, delta: c - b, ci95_user: user, ci95_pooled: seeds >= 2 ? pooled : null,
    per_seed_delta: Array.from({ length: seeds }, () => c - b), seeds, se_user: null, sd_seed: null, se_pooled: null, df: null };
}

/** One protocol's `GroupProtocol`: against the baseline and against every sanity baseline (0.1 on every metric and day). */
export function groupProtocol(g: GroupSpec, seeds: number): Record<string, unknown> {
  const days = Object.keys(g.candidate);
  const mean = (byDay: Record<string, Metrics>, m: string) => days.reduce((s, d) => s + byDay[d][m], 0) / days.length;
  const metrics = Object.keys(g.candidate[days[0]] ?? {});
  const table = (pick: (m: string) => [number, number], user: Interval, pooled: Interval) =>
    Object.fromEntries(metrics.map((m) => [m, groupDelta(...pick(m), seeds, user, pooled)]));
  const scopes = (c: (m: string, d?: string) => number, b: (m: string, d?: string) => number, ci: { user: Interval; pooled: Interval }) => ({
    overall: table((m) => [c(m), b(m)], ci.user, ci.pooled),
    by_day: Object.fromEntries(days.map((d) => [d, table((m) => [c(m, d), b(m, d)], null, null)])),
  });
  const cand = (m: string, d?: string) => (d ? g.candidate[d][m] : mean(g.candidate, m));
  const base = (m: string, d?: string) => (d ? g.baseline[d][m] : mean(g.baseline, m));
  return {
    ...scopes(cand, base, { user: [-1, 1], pooled: [-1, 1] }),
    sanity: Object.fromEntries(SANITY.map((n) => [n, scopes(cand, () => 0.1, g.sanityCi)])),
  };
}

/** A report turned into a seed group's evaluation report: the given report is the first seed's, `group` pools `seeds` seeds. */
export function withGroup(report: Record<string, unknown>, o: { group: string; seeds: number; viewed?: GroupSpec; catalog?: GroupSpec }): Record<string, unknown> {
  const protocols: Record<string, unknown> = {};
  if (o.viewed) protocols.viewed = groupProtocol(o.viewed, o.seeds);
  if (o.catalog) protocols.catalog = groupProtocol(o.catalog, o.seeds);
  const members = Array.from({ length: o.seeds }, (_, i) => ({ candidate_version: i ? `${o.group}-s${i + 1}` : o.group, candidate_number: i + 2, seed: 42 + i,
    baseline_version: 'prod-p90', baseline_number: 1, evaluation_id: `ev-member-${i + 1}` }));
  return { ...report, group: { candidate_group: o.group, baseline_group: null, baseline_version: 'prod-p90', seeds: o.seeds, members, estimator: 'test', protocols } };
}
