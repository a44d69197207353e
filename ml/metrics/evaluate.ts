// One evaluation report from scored rows: a candidate's scores (and optionally a baseline's on the same rows)
// give metrics overall, per day and per duration group, the candidate-minus-baseline delta with its relative
// gain and a paired bootstrap 95% interval over users, a "consistent across days" flag, the user counts and the
// definitions. The evaluation service and `modelops metrics compute` both print this shape.

import { globalAuc } from './auc';
import { DEFAULT_BOOTSTRAP, type BootstrapOptions } from './bootstrap';
import { bootstrapScope, type Scope } from './scope-bootstrap';
import { DEFAULT_KS, definitionOf, metricSpecs, type MetricSpec } from './definitions';
import { rankUnits } from './ranked-list';
import { unitTable, type UnitTable } from './unit-table';

/** Re-exported: callers build report groups with it. */
export { lengthQuantileGroups } from './length-groups';

/** Rows to evaluate: one per (user, candidate) impression. */
export interface EvalRows {
  /** Dense user index per row (0..nUsers-1). */
  user: Int32Array;
  /** The number of distinct users (the bound of `user`). */
  nUsers: number;
  /** Relevance: label > 0 is relevant. */
  label: ArrayLike<number>;
  /** Item index per row: the tie key of the top-K order. */
  item?: ArrayLike<number>;
  /** Day index per row into `days` (lists are per user and day); absent: one list per user. */
  day?: Int32Array;
  /** Day names (YYYY-MM-DD) indexed by `day`. */
  days?: string[];
  /** Duration-group index per row into `groups` (-1: no group, e.g. unknown length). */
  group?: Int32Array;
  /** Group names (length ranges such as "8.0-<15.2s") indexed by `group`. */
  groups?: string[];
  /** WTG per row (NaN unknown): the gains of wtg_gain@K and wtg_dcg@K. */
  wtg?: ArrayLike<number>;
  /** Watch time in seconds per row: watch_time@K. */
  timespentS?: ArrayLike<number>;
  /** Completion (timespent / length, NaN unknown) per row: pcc98_rate@K. */
  pcc?: ArrayLike<number>;
}

/** Options of an evaluation. */
export interface EvaluateOptions {
  /** Cut-offs K of the @K metrics (default DEFAULT_KS). */
  ks?: number[];
  /** Bootstrap settings for the delta intervals (false: no intervals). */
  bootstrap?: BootstrapOptions | false;
  /** Rows x resamples above which the global-AUC interval is skipped (each resample is a pass over rows). */
  aucBootstrapBudget?: number;
}

/** Metric name -> value (null where undefined, e.g. no evaluated list). */
export type MetricSet = Record<string, number | null>;

/** Candidate minus baseline for one metric. */
export interface DeltaEntry {
  /** The candidate's value. */
  candidate: number | null;
  /** The baseline's value on the same rows. */
  baseline: number | null;
  /** candidate - baseline. */
  delta: number | null;
  /** delta / |baseline| (null when the baseline is 0 or undefined). */
  relative: number | null;
  /** Paired bootstrap 95% percentile interval of delta over users (null when not computed). */
  ci95: [number, number] | null;
}

/** Who was evaluated in a scope. */
export interface UserCounts {
  /** Scored rows (impressions) in the scope. */
  rows: number;
  /** Distinct users in the scope. */
  users: number;
  /** User(-day) lists in the scope. */
  lists: number;
  /** Lists with >= 1 relevant and >= 1 non-relevant row: the ones averaged. */
  evaluated: number;
  /** Lists excluded for having one class: only relevant rows, only non-relevant rows. */
  only_relevant: number;
  /** Lists excluded for having only non-relevant rows. */
  only_non_relevant: number;
  /** Relevant rows (label > 0) in the scope: the label balance of the target. */
  relevant: number;
}

/** The report (docs/evaluation.md); `overall`/`by_day`/`by_group` are the candidate's. */
export interface EvaluationReport {
  /** The cut-offs K used. */
  ks: number[];
  /** Metric names in report order (recall@K, map, gauc, ...). */
  metrics: string[];
  /** The candidate's metrics over all held-out days pooled. */
  overall: MetricSet;
  /** The candidate's metrics per held-out day. */
  by_day: Record<string, MetricSet>;
  /** The candidate's metrics per duration group. */
  by_group: Record<string, MetricSet>;
  /** The baseline's metrics on the same rows; null without a baseline. */
  baseline: { overall: MetricSet; by_day: Record<string, MetricSet>; by_group: Record<string, MetricSet> } | null;
  /** Candidate minus baseline per metric and scope, with intervals; null without a baseline. */
  delta: {
    overall: Record<string, DeltaEntry>;
    by_day: Record<string, Record<string, DeltaEntry>>;
    by_group: Record<string, Record<string, DeltaEntry>>;
    /** Per metric: every day's delta has the sign of the overall delta (null without days or delta). */
    consistent_across_days: Record<string, boolean | null>;
  } | null;
  /** Who was evaluated, overall and per scope. */
  users: UserCounts & { by_day: Record<string, UserCounts>; by_group: Record<string, UserCounts> };
  /** Each metric's definition, so every number names its meaning. */
  definitions: Record<string, string>;
  /** The interval settings (resamples, seed); null without intervals. */
  bootstrap: (BootstrapOptions & { unit: 'user'; level: 0.95 }) | null;
}


const nul = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Dense ids for the pairs (a, b), numbered in (a, b) order so that sums over units run in the same order
 * whatever the order of the input rows (bit-identical reports). Returns the id per row (-1 where b < 0), the id
 * count and one row of each id.
 */
function pairIds(a: Int32Array, b: Int32Array | undefined, nB: number): { id: Int32Array; n: number; first: Int32Array } {
  const n = a.length;
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bi = b ? b[i] : 0;
    key[i] = bi < 0 ? -1 : a[i] * nB + bi;
  }
  const sortedKeys = Float64Array.from(new Set(key)).sort();
  const start = sortedKeys.length > 0 && sortedKeys[0] < 0 ? 1 : 0;
  const idOf = new Map<number, number>();
  for (let j = start; j < sortedKeys.length; j++) idOf.set(sortedKeys[j], j - start);
  const id = new Int32Array(n);
  const first = new Int32Array(sortedKeys.length - start).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = key[i] < 0 ? -1 : idOf.get(key[i])!;
    id[i] = v;
    if (v >= 0 && first[v] < 0) first[v] = i;
  }
  return { id, n: first.length, first };
}

function scopesBy(unitKey: Int32Array, rowUnit: Int32Array | null, nKeys: number): Scope[] {
  const units: number[][] = Array.from({ length: nKeys }, () => []);
  const rows: number[][] = Array.from({ length: nKeys }, () => []);
  for (let u = 0; u < unitKey.length; u++) if (unitKey[u] >= 0) units[unitKey[u]].push(u);
  if (rowUnit) {
    for (let i = 0; i < rowUnit.length; i++) {
      const u = rowUnit[i];
      if (u >= 0 && unitKey[u] >= 0) rows[unitKey[u]].push(i);
    }
  }
  return units.map((us, k) => ({ units: Int32Array.from(us), rows: Int32Array.from(rows[k]) }));
}

function aggregate(t: UnitTable, scope: Scope, score: ArrayLike<number> | null, label: ArrayLike<number> | null): Float64Array {
  const M = t.specs.length;
  const sum = new Float64Array(M), cnt = new Float64Array(M);
  for (const u of scope.units) {
    if (!t.eligible[u]) continue;
    for (let m = 0; m < M; m++) {
      const v = t.values[u * M + m];
      if (Number.isNaN(v)) continue;
      const w = t.specs[m].kind === 'gauc' ? t.impressions[u] : 1;
      sum[m] += w * v;
      cnt[m] += w;
    }
  }
  const out = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    if (t.specs[m].kind === 'auc') {
      if (!score || !label) { out[m] = NaN; continue; }
      const s = new Float64Array(scope.rows.length), l = new Float64Array(scope.rows.length);
      scope.rows.forEach((i, j) => { s[j] = score[i]; l[j] = label[i]; });
      out[m] = globalAuc(s, l);
    } else out[m] = cnt[m] === 0 ? NaN : sum[m] / cnt[m];
  }
  return out;
}

function toSet(specs: MetricSpec[], v: Float64Array): MetricSet {
  const o: MetricSet = {};
  specs.forEach((s, m) => { o[s.name] = nul(v[m]); });
  return o;
}

function counts(t: UnitTable, scope: Scope, unitUser: Int32Array): UserCounts {
  const users = new Set<number>();
  let evaluated = 0, onlyRel = 0, onlyNon = 0, relevant = 0;
  for (const u of scope.units) {
    users.add(unitUser[u]);
    relevant += t.nRel[u];
    if (t.eligible[u]) evaluated++;
    else if (t.nRel[u] > 0) onlyRel++;
    else onlyNon++;
  }
  // Rows = the scope's candidates: each row is in exactly one of its lists.
  let rows = 0;
  for (const u of scope.units) rows += t.impressions[u];
  return { rows, users: users.size, lists: scope.units.length, evaluated, only_relevant: onlyRel, only_non_relevant: onlyNon, relevant };
}

function deltaSet(specs: MetricSpec[], c: Float64Array, b: Float64Array, ci: ([number, number] | null)[] | null): Record<string, DeltaEntry> {
  const o: Record<string, DeltaEntry> = {};
  specs.forEach((s, m) => {
    // Sums over different orders leave ~1e-17 residues where both versions are equal: call those 0.
    let d = c[m] - b[m];
    if (Math.abs(d) <= 1e-12 * Math.max(1, Math.abs(c[m]), Math.abs(b[m]))) d = 0;
    o[s.name] = { candidate: nul(c[m]), baseline: nul(b[m]), delta: nul(d), relative: b[m] !== 0 ? nul(d / Math.abs(b[m])) : null, ci95: ci ? ci[m] : null };
  });
  return o;
}


/**
 * The lists of a report and whom they belong to, shared by every scorer of the same rows: lists per (user, day)
 * for the overall and per-day scopes, and per (user, day, duration group) for the group scopes. The row maps
 * are null where the rows are not kept (the catalog protocol streams its lists); global AUC then is undefined.
 */
export interface ListSet {
  specs: MetricSpec[];
  /** User and day of each (user, day) list. */
  unitUser: Int32Array;
  unitDay: Int32Array;
  /** Day names indexed by unitDay; empty when the rows carry no days (one list per user). */
  dayNames: string[];
  /** The list of each input row (-1: none), or null without rows. */
  rowUnit: Int32Array | null;
  /** The per-group lists, or null without duration groups. */
  group: { unitUser: Int32Array; unitGroup: Int32Array; names: string[]; rowUnit: Int32Array | null } | null;
  /** The rows' relevance, for global AUC (null without rows). */
  label: ArrayLike<number> | null;
}

/** One scorer's per-list metric values over a ListSet, and its row scores where rows are kept (global AUC). */
export interface ScorerTables {
  day: UnitTable;
  group: UnitTable | null;
  score: ArrayLike<number> | null;
}

/** Extra options of reportFromTables. */
export interface TableReportOptions extends EvaluateOptions {
  /** false: no per-group deltas and intervals (the sanity comparisons report overall and per day only). */
  groupDeltas?: boolean;
}

/** The metrics of rows with the given optional columns at cut-offs `ks` (the specs of a viewed-protocol report). */
export function rowSpecs(rows: EvalRows, ks: number[] = DEFAULT_KS): MetricSpec[] {
  return metricSpecs(ks, { wtg: !!rows.wtg, timespentS: !!rows.timespentS, pcc: !!rows.pcc });
}

/** Groups rows into lists: per (user, day), and per (user, day, duration group) when the rows carry groups. */
export function listSetOf(rows: EvalRows, specs: MetricSpec[]): ListSet {
  const n = rows.user.length;
  const days = rows.days ?? [];
  const nDays = rows.day ? Math.max(days.length, ...Array.from(new Set(rows.day)).map((d) => d + 1)) : 1;
  const dayUnits = pairIds(rows.user, rows.day, nDays);
  const unitUser = new Int32Array(dayUnits.n), unitDay = new Int32Array(dayUnits.n);
  dayUnits.first.forEach((i, u) => { unitUser[u] = rows.user[i]; unitDay[u] = rows.day ? rows.day[i] : 0; });
  const dayNames = rows.day ? Array.from({ length: nDays }, (_, d) => days[d] ?? `day-${d}`) : [];
  let group: ListSet['group'] = null;
  const nGroups = rows.group ? Math.max(rows.groups?.length ?? 0, ...Array.from(new Set(rows.group)).map((g) => g + 1)) : 0;
  if (rows.group && nGroups > 0) {
    const dg = new Int32Array(n);
    for (let i = 0; i < n; i++) dg[i] = rows.group[i] < 0 ? -1 : (rows.day ? rows.day[i] : 0) * nGroups + rows.group[i];
    const gu = pairIds(rows.user, dg, nDays * nGroups);
    const gUser = new Int32Array(gu.n), gGroup = new Int32Array(gu.n);
    gu.first.forEach((i, u) => { gUser[u] = rows.user[i]; gGroup[u] = rows.group![i]; });
    group = { unitUser: gUser, unitGroup: gGroup, names: Array.from({ length: nGroups }, (_, g) => rows.groups?.[g] ?? `group-${g}`), rowUnit: gu.id };
  }
  return { specs, unitUser, unitDay, dayNames, rowUnit: dayUnits.id, group, label: rows.label };
}

/** Ranks one scorer's rows within every list of `ls` and computes each list's metrics. */
export function tablesOf(rows: EvalRows, ls: ListSet, score: ArrayLike<number>): ScorerTables {
  if (score.length !== rows.user.length) throw new RangeError(`scores have ${score.length} values for ${rows.user.length} rows`);
  const input = { score, label: rows.label, tieKey: rows.item, wtg: rows.wtg, timespentS: rows.timespentS, pcc: rows.pcc };
  const day = unitTable(rankUnits(input, ls.rowUnit!, ls.unitUser.length), ls.specs);
  const group = ls.group ? unitTable(rankUnits(input, ls.group.rowUnit!, ls.group.unitUser.length), ls.specs) : null;
  return { day, group, score };
}

/**
 * Evaluates `candidate` scores (and `baseline` scores of the same rows, if given) on `rows`. Lists are a user's
 * rows on one day (one per user without days); per-group metrics rank each user's candidates within the group.
 */
export function evaluateRanking(rows: EvalRows, candidate: ArrayLike<number>, baseline: ArrayLike<number> | null = null, opts: EvaluateOptions = {}): EvaluationReport {
  const n = rows.user.length;
  for (const [name, col] of [['candidate', candidate], ['baseline', baseline], ['label', rows.label]] as const) {
    if (col && col.length !== n) throw new RangeError(`${name} has ${col.length} values for ${n} rows`);
  }
  const ls = listSetOf(rows, rowSpecs(rows, opts.ks ?? DEFAULT_KS));
  return reportFromTables(ls, tablesOf(rows, ls, candidate), baseline ? tablesOf(rows, ls, baseline) : null, opts);
}

/** The report of a candidate (and a baseline) from their per-list tables over the same lists. */
export function reportFromTables(ls: ListSet, c: ScorerTables, b: ScorerTables | null, opts: TableReportOptions = {}): EvaluationReport {
  const specs = ls.specs;
  const ks = opts.ks ?? Array.from(new Set(specs.map((s) => s.k).filter((k): k is number => k !== undefined)));
  const boot = opts.bootstrap === false ? null : opts.bootstrap ?? DEFAULT_BOOTSTRAP;
  const aucBudget = opts.aucBootstrapBudget ?? 3e8;
  const nUnits = ls.unitUser.length;
  const hasDays = ls.dayNames.length > 0;
  const dayName = (d: number) => ls.dayNames[d];
  const overallScope = scopesBy(new Int32Array(nUnits), ls.rowUnit, 1)[0];
  const dayScopes = hasDays ? scopesBy(ls.unitDay, ls.rowUnit, ls.dayNames.length) : [];
  const g = ls.group;
  const groupScopes = g && c.group ? scopesBy(g.unitGroup, g.rowUnit, g.names.length) : [];
  const groupName = (k: number) => g!.names[k];

  const named = <T>(scopes: Scope[], name: (k: number) => string, f: (s: Scope) => T): Record<string, T> => {
    const o: Record<string, T> = {};
    scopes.forEach((s, k) => { if (s.units.length > 0) o[name(k)] = f(s); });
    return o;
  };
  const agg = (t: UnitTable, score: ArrayLike<number> | null) => (s: Scope) => aggregate(t, s, score, ls.label);

  const cOverall = agg(c.day, c.score)(overallScope);
  const cDays = named(dayScopes, dayName, agg(c.day, c.score));
  const cGroups = c.group ? named(groupScopes, groupName, agg(c.group, c.score)) : {};
  const setOf = (v: Float64Array) => toSet(specs, v);
  const mapSets = (o: Record<string, Float64Array>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, setOf(v)]));

  let baselineOut: EvaluationReport['baseline'] = null;
  let delta: EvaluationReport['delta'] = null;
  if (b) {
    const bOverall = agg(b.day, b.score)(overallScope);
    const bDays = named(dayScopes, dayName, agg(b.day, b.score));
    const bGroups = b.group ? named(groupScopes, groupName, agg(b.group, b.score)) : {};
    baselineOut = { overall: setOf(bOverall), by_day: mapSets(bDays), by_group: mapSets(bGroups) };
    const none = new Float64Array(0);
    const ci = (tc: UnitTable, tb: UnitTable, s: Scope, unitUserOf: Int32Array, rowUnit: Int32Array | null) =>
      boot ? bootstrapScope(tc, tb, s, unitUserOf, rowUnit ?? new Int32Array(0), c.score ?? none, b.score ?? none, ls.label ?? none, boot, aucBudget) : null;
    const overallDelta = deltaSet(specs, cOverall, bOverall, ci(c.day, b.day, overallScope, ls.unitUser, ls.rowUnit));
    const byDay = named(dayScopes, dayName, (s) => s);
    const dayDeltas = Object.fromEntries(Object.entries(byDay).map(([d, s]) =>
      [d, deltaSet(specs, cDays[d], bDays[d], ci(c.day, b.day, s, ls.unitUser, ls.rowUnit))]));
    const byGroup = named(groupScopes, groupName, (s) => s);
    const groupDeltas = g && c.group && b.group && opts.groupDeltas !== false ? Object.fromEntries(Object.entries(byGroup).map(([k, s]) =>
      [k, deltaSet(specs, cGroups[k], bGroups[k], ci(c.group!, b.group!, s, g.unitUser, g.rowUnit))])) : {};
    const consistent: Record<string, boolean | null> = {};
    for (const s of specs) {
      const o = overallDelta[s.name].delta;
      const perDay = Object.values(dayDeltas).map((d) => d[s.name].delta).filter((x): x is number => x !== null);
      consistent[s.name] = o === null || perDay.length === 0 ? null : o !== 0 && perDay.every((x) => Math.sign(x) === Math.sign(o));
    }
    delta = { overall: overallDelta, by_day: dayDeltas, by_group: groupDeltas, consistent_across_days: consistent };
  }

  const users = {
    ...counts(c.day, overallScope, ls.unitUser),
    by_day: named(dayScopes, dayName, (s) => counts(c.day, s, ls.unitUser)),
    by_group: c.group && g ? named(groupScopes, groupName, (s) => counts(c.group!, s, g.unitUser)) : {},
  };
  return {
    ks, metrics: specs.map((s) => s.name),
    overall: setOf(cOverall), by_day: mapSets(cDays), by_group: mapSets(cGroups),
    baseline: baselineOut, delta, users,
    definitions: Object.fromEntries(specs.map((s) => [s.name, definitionOf(s)])),
    bootstrap: boot && b ? { ...boot, unit: 'user', level: 0.95 } : null,
  };
}
