// The promotion gate: a per-model policy of metric thresholds (MLflow's MetricThreshold: an absolute
// minimum, a minimum absolute change and a minimum relative change against the baseline), generalised so
// that a change may be negative — a tolerance below the baseline — and checked on EVERY held-out day, since
// the seed's lesson was "inconsistent results across days". Pure functions: no database, no network.
import { invalid } from '../core/errors';

/** One metric's conditions; every condition given must hold. */
export interface MetricThreshold {
  /** A metric name of the evaluation report, such as `recall@10`, `map` or `gauc`. */
  metric: string;
  /** Absolute bound: candidate >= minValue (<= when lowerIsBetter). */
  minValue?: number;
  /** candidate - baseline >= this (baseline - candidate when lowerIsBetter); -0.005 is a tolerance of 0.005. */
  minAbsoluteChange?: number;
  /** (candidate - baseline) / |baseline| >= this (sign flipped when lowerIsBetter); -0.01 tolerates 1% worse. */
  minRelativeChange?: number;
  /** For losses and errors: smaller values are better. */
  lowerIsBetter?: boolean;
}

/** A model's gate policy. */
export interface GatePolicy {
  /** The rules; each must hold on every held-out day. */
  thresholds: MetricThreshold[];
  /** Also check the overall (all held-out days pooled) values, besides every day. */
  includeOverall?: boolean;
}

/** The policy of a model that has none stored: recall@10, recall@50, map and gauc each >= baseline - 0.005. */
export const DEFAULT_GATE_POLICY: GatePolicy = {
  thresholds: ['recall@10', 'recall@50', 'map', 'gauc'].map((metric) => ({ metric, minAbsoluteChange: -0.005 })),
  includeOverall: false,
};

/** Per-scope metric values of one version: overall and by held-out day (YYYY-MM-DD). */
export interface MetricSeries {
  overall: Record<string, number>;
  byDay: Record<string, Record<string, number>>;
}

/** What the gate compares: the candidate's and the baseline's values on the same held-out rows. */
export interface GateInput {
  candidate: MetricSeries;
  baseline: MetricSeries;
}

/** One checked condition: a row of the table that a refusal shows. */
export interface GateCheck {
  metric: string;
  /** `overall` or a held-out day. */
  scope: string;
  /** `min_value`, `min_absolute_change` or `min_relative_change`. */
  condition: string;
  candidate: number | null;
  baseline: number | null;
  /** The bound the candidate's value was held to (>= it, or <= it when lower is better). */
  threshold: number | null;
  /** `>=` or `<=`. */
  op: '>=' | '<=';
  passed: boolean;
  /** Why it failed when a value is missing. */
  note?: string;
}

/** The outcome of a gate. */
export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
  /** The held-out days checked. */
  days: string[];
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Validates a policy (from an RPC or the database) and returns it normalised; INVALID_ARGUMENT otherwise. */
export function checkPolicy(p: GatePolicy): GatePolicy {
  if (!p || !Array.isArray(p.thresholds) || p.thresholds.length === 0) {
    throw invalid('policy: give at least one metric threshold, e.g. recall@10>=baseline-0.005');
  }
  if (p.thresholds.length > 50) throw invalid(`policy: ${p.thresholds.length} thresholds given, at most 50 allowed`);
  const thresholds = p.thresholds.map((t, i) => {
    if (!t.metric || !/^[a-z][a-z0-9_@.]{0,63}$/.test(t.metric)) {
      throw invalid(`policy.thresholds[${i}].metric: "${t.metric}" is not a metric name such as recall@10, map or gauc`);
    }
    const out: MetricThreshold = { metric: t.metric };
    for (const k of ['minValue', 'minAbsoluteChange', 'minRelativeChange'] as const) {
      const v = t[k];
      if (v === undefined || v === null) continue;
      if (!finite(v)) throw invalid(`policy.thresholds[${i}].${k}: ${String(v)} is not a finite number`);
      out[k] = v;
    }
    if (out.minValue === undefined && out.minAbsoluteChange === undefined && out.minRelativeChange === undefined) {
      throw invalid(`policy.thresholds[${i}] (${t.metric}): give min_value, min_absolute_change or min_relative_change`);
    }
    if (t.lowerIsBetter) out.lowerIsBetter = true;
    return out;
  });
  return { thresholds, includeOverall: !!p.includeOverall };
}

function checksFor(t: MetricThreshold, scope: string, cand: number | undefined, base: number | undefined): GateCheck[] {
  const op: '>=' | '<=' = t.lowerIsBetter ? '<=' : '>=';
  const sign = t.lowerIsBetter ? -1 : 1;
  const out: GateCheck[] = [];
  const c = finite(cand) ? cand : null;
  const b = finite(base) ? base : null;
  const row = (condition: string, threshold: number | null, note?: string): GateCheck => {
    const passed = c !== null && threshold !== null && (op === '>=' ? c >= threshold - 1e-12 : c <= threshold + 1e-12);
    return { metric: t.metric, scope, condition, candidate: c, baseline: b, threshold, op, passed,
      ...(note ? { note } : c === null ? { note: 'the candidate has no value for this metric here' } : {}) };
  };
  if (t.minValue !== undefined) out.push(row('min_value', t.minValue));
  if (t.minAbsoluteChange !== undefined) {
    out.push(b === null ? row('min_absolute_change', null, 'the baseline has no value for this metric here')
      : row('min_absolute_change', b + sign * t.minAbsoluteChange));
  }
  if (t.minRelativeChange !== undefined) {
    out.push(b === null ? row('min_relative_change', null, 'the baseline has no value for this metric here')
      : row('min_relative_change', b + sign * t.minRelativeChange * Math.abs(b)));
  }
  return out;
}

/**
 * Applies a policy. Every threshold is checked on every held-out day of the candidate or the baseline (a day
 * that one of them lacks fails: they must be evaluated on the same days), and overall when the policy says so.
 * A report with no per-day values fails: the gate cannot show that the policy holds on every day.
 */
export function evaluateGate(policy: GatePolicy, input: GateInput): GateResult {
  const days = [...new Set([...Object.keys(input.candidate.byDay), ...Object.keys(input.baseline.byDay)])].sort();
  const checks: GateCheck[] = [];
  for (const t of policy.thresholds) {
    for (const day of days) checks.push(...checksFor(t, day, input.candidate.byDay[day]?.[t.metric], input.baseline.byDay[day]?.[t.metric]));
    if (policy.includeOverall) checks.push(...checksFor(t, 'overall', input.candidate.overall[t.metric], input.baseline.overall[t.metric]));
  }
  if (days.length === 0) {
    checks.push({ metric: '*', scope: 'by_day', condition: 'every_day', candidate: null, baseline: null, threshold: null, op: '>=',
      passed: false, note: 'the evaluation report has no per-day metrics (by_day); re-run the evaluation' });
  }
  return { passed: checks.every((c) => c.passed), checks, days };
}

function numbers(obj: unknown, pick?: 'candidate' | 'baseline'): Record<string, number> {
  const out: Record<string, number> = {};
  if (!obj || typeof obj !== 'object') return out;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (!pick && finite(v)) out[k] = v;
    else if (pick && v && typeof v === 'object' && finite((v as Record<string, unknown>)[pick])) out[k] = (v as Record<string, number>)[pick];
  }
  return out;
}

function series(node: unknown, pick?: 'candidate' | 'baseline'): MetricSeries | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Record<string, unknown>;
  if (!n.overall && !n.by_day && !n.byDay) return undefined;
  const byDayRaw = (n.by_day ?? n.byDay ?? {}) as Record<string, unknown>;
  const byDay: Record<string, Record<string, number>> = {};
  for (const [day, m] of Object.entries(byDayRaw)) byDay[day] = numbers(m, pick);
  return { overall: numbers(n.overall, pick), byDay };
}

/** Reads `{day: {metric: {delta}}}` or `{metric: {delta}}`, giving baseline = candidate - delta. */
function baselineFromDelta(cand: MetricSeries, delta: unknown): MetricSeries | undefined {
  if (!delta || typeof delta !== 'object') return undefined;
  const d = delta as Record<string, unknown>;
  const value = (x: unknown): number | undefined => (finite(x) ? x : x && typeof x === 'object' && finite((x as Record<string, unknown>).delta)
    ? (x as Record<string, number>).delta : undefined);
  const sub = (c: Record<string, number>, dm: unknown) => {
    const out: Record<string, number> = {};
    if (!dm || typeof dm !== 'object') return out;
    for (const [k, v] of Object.entries(c)) {
      const dv = value((dm as Record<string, unknown>)[k]);
      if (dv !== undefined) out[k] = v - dv;
    }
    return out;
  };
  const byDayD = (d.by_day ?? {}) as Record<string, unknown>;
  const overallD = d.overall ?? d;
  const byDay: Record<string, Record<string, number>> = {};
  for (const day of Object.keys(cand.byDay)) byDay[day] = sub(cand.byDay[day], byDayD[day]);
  return { overall: sub(cand.overall, overallD), byDay };
}

/**
 * Extracts the candidate's and the baseline's values from an evaluation report (DESIGN.md "Conventions:
 * Evaluation"). Accepted layouts, first match wins:
 * 1. `{candidate: {overall, by_day}, baseline: {overall, by_day}}` (also under `versions` or `series`);
 * 2. `{overall, by_day}` of the candidate with `baseline: {overall, by_day}`;
 * 3. values that are objects `{candidate, baseline}` inside `overall` / `by_day`;
 * 4. the candidate's `{overall, by_day}` with `delta` (`{overall: {m: {delta}}, by_day: {day: {m: {delta}}}}`),
 *    baseline = candidate - delta.
 */
export function gateInputFromReport(report: Record<string, unknown>): GateInput {
  const holders = [report, report.versions, report.series].filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
  for (const h of holders) {
    const c = series(h.candidate);
    const b = series(h.baseline);
    if (c && b) return { candidate: c, baseline: b };
  }
  const top = series(report);
  const b = series(report.baseline);
  if (top && b) return { candidate: top, baseline: b };
  const pc = series(report, 'candidate');
  const pb = series(report, 'baseline');
  if (pc && pb && Object.keys(pb.overall).length + Object.values(pb.byDay).reduce((s, m) => s + Object.keys(m).length, 0) > 0) {
    return { candidate: pc, baseline: pb };
  }
  if (top) {
    const fromDelta = baselineFromDelta(top, report.delta);
    if (fromDelta) return { candidate: top, baseline: fromDelta };
  }
  return { candidate: top ?? { overall: {}, byDay: {} }, baseline: { overall: {}, byDay: {} } };
}

/**
 * Parses a threshold expression of `modelops gate set`:
 * `recall@10>=baseline-0.005` (min_absolute_change -0.005), `map>=baseline*0.99` (min_relative_change -0.01),
 * `gauc>=0.6` (min_value 0.6), and the same with `<=` for metrics where lower is better.
 */
export function parseThreshold(expr: string): MetricThreshold {
  const m = /^\s*([a-z][a-z0-9_@.]*)\s*(>=|<=)\s*(.+?)\s*$/.exec(expr);
  if (!m) throw invalid(`threshold "${expr}": expected METRIC>=baseline-0.005, METRIC>=baseline*0.99 or METRIC>=0.6`);
  const [, metric, op, rhs] = m;
  const lower = op === '<=';
  const t: MetricThreshold = { metric, ...(lower ? { lowerIsBetter: true } : {}) };
  const sign = lower ? -1 : 1;
  const rel = /^baseline\s*\*\s*([0-9.eE+-]+)$/.exec(rhs);
  const abs = /^baseline\s*(?:([+-])\s*([0-9.eE+-]+))?$/.exec(rhs);
  if (rel) {
    const f = Number(rel[1]);
    if (!finite(f)) throw invalid(`threshold "${expr}": "${rel[1]}" is not a number`);
    t.minRelativeChange = sign * (f - 1);
  } else if (abs) {
    const x = abs[2] === undefined ? 0 : Number(abs[2]) * (abs[1] === '-' ? -1 : 1);
    if (!finite(x)) throw invalid(`threshold "${expr}": "${abs[2]}" is not a number`);
    t.minAbsoluteChange = sign * x;
  } else {
    const v = Number(rhs);
    if (rhs === '' || !finite(v)) throw invalid(`threshold "${expr}": "${rhs}" is not a number or baseline[+-]X or baseline*F`);
    t.minValue = v;
  }
  // Normalise -0 from "baseline" alone.
  for (const k of ['minAbsoluteChange', 'minRelativeChange'] as const) if (t[k] === 0) t[k] = 0;
  return t;
}

/** The expression parseThreshold reads for one condition of a threshold (for tables and `gate show`). */
export function formatThreshold(t: MetricThreshold): string[] {
  const op = t.lowerIsBetter ? '<=' : '>=';
  const sign = t.lowerIsBetter ? -1 : 1;
  const out: string[] = [];
  const r = (x: number) => Number(x.toPrecision(12));
  if (t.minValue !== undefined) out.push(`${t.metric}${op}${t.minValue}`);
  if (t.minAbsoluteChange !== undefined) {
    const x = r(sign * t.minAbsoluteChange);
    out.push(`${t.metric}${op}baseline${x === 0 ? '' : x > 0 ? `+${x}` : `${x}`}`);
  }
  if (t.minRelativeChange !== undefined) out.push(`${t.metric}${op}baseline*${r(1 + sign * t.minRelativeChange)}`);
  return out;
}
