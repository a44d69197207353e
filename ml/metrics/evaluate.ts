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

/** The report (DESIGN.md "Conventions: Evaluation"); `overall`/`by_day`/`by_group` are the candidate's. */
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

function scopesBy(unitKey: Int32Array, rowUnit: Int32Array, nKeys: number): Scope[] {
  const units: number[][] = Array.from({ length: nKeys }, () => []);
  const rows: number[][] = Array.from({ length: nKeys }, () => []);
  for (let u = 0; u < unitKey.length; u++) if (unitKey[u] >= 0) units[unitKey[u]].push(u);
  for (let i = 0; i < rowUnit.length; i++) {
    const u = rowUnit[i];
    if (u >= 0 && unitKey[u] >= 0) rows[unitKey[u]].push(i);
  }
  return units.map((us, k) => ({ units: Int32Array.from(us), rows: Int32Array.from(rows[k]) }));
}

function aggregate(t: UnitTable, scope: Scope, score: ArrayLike<number>, label: ArrayLike<number>): Float64Array {
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
  return { rows: scope.rows.length, users: users.size, lists: scope.units.length, evaluated, only_relevant: onlyRel, only_non_relevant: onlyNon, relevant };
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
 * Evaluates `candidate` scores (and `baseline` scores of the same rows, if given) on `rows`. Lists are a user's
 * rows on one day (one per user without days); per-group metrics rank each user's candidates within the group.
 */
export function evaluateRanking(rows: EvalRows, candidate: ArrayLike<number>, baseline: ArrayLike<number> | null = null, opts: EvaluateOptions = {}): EvaluationReport {
  const n = rows.user.length;
  for (const [name, col] of [['candidate', candidate], ['baseline', baseline], ['label', rows.label]] as const) {
    if (col && col.length !== n) throw new RangeError(`${name} has ${col.length} values for ${n} rows`);
  }
  const ks = opts.ks ?? DEFAULT_KS;
  const specs = metricSpecs(ks, { wtg: !!rows.wtg, timespentS: !!rows.timespentS, pcc: !!rows.pcc });
  const boot = opts.bootstrap === false ? null : opts.bootstrap ?? DEFAULT_BOOTSTRAP;
  const aucBudget = opts.aucBootstrapBudget ?? 3e8;
  const days = rows.days ?? [];
  const nDays = rows.day ? Math.max(days.length, ...Array.from(new Set(rows.day)).map((d) => d + 1)) : 1;
  const dayName = (d: number) => days[d] ?? `day-${d}`;
  const input = (score: ArrayLike<number>) => ({ score, label: rows.label, tieKey: rows.item, wtg: rows.wtg, timespentS: rows.timespentS, pcc: rows.pcc });

  // Lists per (user, day): overall and per-day scopes share them.
  const dayUnits = pairIds(rows.user, rows.day, nDays);
  const unitUser = new Int32Array(dayUnits.n), unitDay = new Int32Array(dayUnits.n);
  dayUnits.first.forEach((i, u) => { unitUser[u] = rows.user[i]; unitDay[u] = rows.day ? rows.day[i] : 0; });
  const tables = (unit: Int32Array, nUnits: number) => {
    const tc = unitTable(rankUnits(input(candidate), unit, nUnits), specs);
    const tb = baseline ? unitTable(rankUnits(input(baseline), unit, nUnits), specs) : null;
    return { tc, tb };
  };
  const dayT = tables(dayUnits.id, dayUnits.n);
  const overallScope = scopesBy(new Int32Array(dayUnits.n), dayUnits.id, 1)[0];
  const dayScopes = rows.day ? scopesBy(unitDay, dayUnits.id, nDays) : [];

  // Lists per (user, day, group) for the duration-group scopes.
  let groupT: ReturnType<typeof tables> | null = null;
  let groupScopes: Scope[] = [];
  let groupUnitUser = new Int32Array(0);
  let groupUnits: ReturnType<typeof pairIds> | null = null;
  const nGroups = rows.group ? Math.max(rows.groups?.length ?? 0, ...Array.from(new Set(rows.group)).map((g) => g + 1)) : 0;
  if (rows.group && nGroups > 0) {
    const dg = new Int32Array(n);
    for (let i = 0; i < n; i++) dg[i] = rows.group[i] < 0 ? -1 : (rows.day ? rows.day[i] : 0) * nGroups + rows.group[i];
    groupUnits = pairIds(rows.user, dg, nDays * nGroups);
    groupT = tables(groupUnits.id, groupUnits.n);
    groupUnitUser = new Int32Array(groupUnits.n);
    const unitGroup = new Int32Array(groupUnits.n);
    groupUnits.first.forEach((i, u) => { groupUnitUser[u] = rows.user[i]; unitGroup[u] = rows.group![i]; });
    groupScopes = scopesBy(unitGroup, groupUnits.id, nGroups);
  }
  const groupName = (g: number) => rows.groups?.[g] ?? `group-${g}`;

  const named = <T>(scopes: Scope[], name: (k: number) => string, f: (s: Scope) => T): Record<string, T> => {
    const o: Record<string, T> = {};
    scopes.forEach((s, k) => { if (s.units.length > 0) o[name(k)] = f(s); });
    return o;
  };
  const agg = (t: UnitTable, score: ArrayLike<number>) => (s: Scope) => aggregate(t, s, score, rows.label);

  const cOverall = agg(dayT.tc, candidate)(overallScope);
  const cDays = named(dayScopes, dayName, agg(dayT.tc, candidate));
  const cGroups = groupT ? named(groupScopes, groupName, agg(groupT.tc, candidate)) : {};
  const setOf = (v: Float64Array) => toSet(specs, v);
  const mapSets = (o: Record<string, Float64Array>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, setOf(v)]));

  let baselineOut: EvaluationReport['baseline'] = null;
  let delta: EvaluationReport['delta'] = null;
  if (baseline && dayT.tb) {
    const bOverall = agg(dayT.tb, baseline)(overallScope);
    const bDays = named(dayScopes, dayName, agg(dayT.tb, baseline));
    const bGroups = groupT?.tb ? named(groupScopes, groupName, agg(groupT.tb, baseline)) : {};
    baselineOut = { overall: setOf(bOverall), by_day: mapSets(bDays), by_group: mapSets(bGroups) };
    const ci = (t: { tc: UnitTable; tb: UnitTable | null }, s: Scope, unitUserOf: Int32Array, rowUnit: Int32Array) =>
      boot ? bootstrapScope(t.tc, t.tb!, s, unitUserOf, rowUnit, candidate, baseline, rows.label, boot, aucBudget) : null;
    const overallDelta = deltaSet(specs, cOverall, bOverall, ci(dayT, overallScope, unitUser, dayUnits.id));
    const byDay = named(dayScopes, dayName, (s) => s);
    const dayDeltas = Object.fromEntries(Object.entries(byDay).map(([d, s]) =>
      [d, deltaSet(specs, cDays[d], bDays[d], ci(dayT, s, unitUser, dayUnits.id))]));
    const byGroup = named(groupScopes, groupName, (s) => s);
    const groupDeltas = groupT && groupUnits ? Object.fromEntries(Object.entries(byGroup).map(([g, s]) =>
      [g, deltaSet(specs, cGroups[g], bGroups[g], ci(groupT!, s, groupUnitUser, groupUnits!.id))])) : {};
    const consistent: Record<string, boolean | null> = {};
    for (const s of specs) {
      const o = overallDelta[s.name].delta;
      const perDay = Object.values(dayDeltas).map((d) => d[s.name].delta).filter((x): x is number => x !== null);
      consistent[s.name] = o === null || perDay.length === 0 ? null : o !== 0 && perDay.every((x) => Math.sign(x) === Math.sign(o));
    }
    delta = { overall: overallDelta, by_day: dayDeltas, by_group: groupDeltas, consistent_across_days: consistent };
  }

  const users = {
    ...counts(dayT.tc, overallScope, unitUser),
    by_day: named(dayScopes, dayName, (s) => counts(dayT.tc, s, unitUser)),
    by_group: groupT ? named(groupScopes, groupName, (s) => counts(groupT!.tc, s, groupUnitUser)) : {},
  };
  return {
    ks, metrics: specs.map((s) => s.name),
    overall: setOf(cOverall), by_day: mapSets(cDays), by_group: mapSets(cGroups),
    baseline: baselineOut, delta, users,
    definitions: Object.fromEntries(specs.map((s) => [s.name, definitionOf(s)])),
    bootstrap: boot && baseline ? { ...boot, unit: 'user', level: 0.95 } : null,
  };
}
