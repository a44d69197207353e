// The promotion gate: a per-model policy that names the evaluation it reads (target, protocol, dataset), the
// metric thresholds (MLflow's MetricThreshold: an absolute minimum, a minimum absolute change and a minimum
// relative change against the baseline, where a change may be negative — a tolerance below the baseline) and
// the sanity baselines the candidate must beat. Thresholds are checked on EVERY gated test day, since the
// seed's lesson was "inconsistent results across days"; a metric the evaluation marks uninformative and a
// day it marks not gated are shown as skipped and never counted. The must-beat rule reads 95% intervals of
// the candidate's delta: users resampled for one version's evaluation, users and training seeds pooled for a
// seed group's (services/registry/gate-group.ts). Pure functions: no database, no network.
import { invalid } from '../../core/errors';
import { LABELS } from '../../ml/labels/spec';
import { bareDatasetId } from './gate-report';

/** The evaluation protocols a gate can read: the lists the user viewed, or the whole item catalog. */
export const GATE_PROTOCOLS = ['viewed', 'catalog'] as const;
/** One of GATE_PROTOCOLS. */
export type GateProtocol = (typeof GATE_PROTOCOLS)[number];
/** The sanity baselines every evaluation report computes on the same lists as the candidate. */
export const SANITY_BASELINES = ['random', 'popular', 'item_prior', 'shortest', 'longest'] as const;
/** One of SANITY_BASELINES. */
export type SanityName = (typeof SANITY_BASELINES)[number];
/** The protocol of a policy that names none: the catalog is how two-tower retrieval models are judged. */
export const DEFAULT_PROTOCOL: GateProtocol = 'catalog';
/** The sanity baselines of a policy that names none. */
export const DEFAULT_MUST_BEAT: readonly SanityName[] = ['random', 'popular'];

/**
 * The 95% intervals a gate decides on: `user` (the users resampled: one version's evaluation, or a group of one
 * seed) or `pooled` (users and training seeds: a seed group's evaluation, ci95_pooled).
 */
export type IntervalKind = 'user' | 'pooled';
/** The largest min_seeds a policy may ask for: one training request trains at most 20 seeds (services/training/service.ts). */
export const MAX_GATE_SEEDS = 20;

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
  /** The rules; each must hold on every gated test day. */
  thresholds: MetricThreshold[];
  /** Also check the overall (all test days pooled) values, besides every day. */
  includeOverall?: boolean;
  /** The target label the evaluation must be of; absent: the label of the gate's dataset. */
  target?: string;
  /** The protocol the evaluation must include; absent: DEFAULT_PROTOCOL. */
  protocol?: GateProtocol;
  /** The dataset the evaluation must be on; absent: the candidate's training dataset. */
  datasetId?: string;
  /** The sanity baselines the candidate must beat on every counted metric; absent: DEFAULT_MUST_BEAT, [] none. */
  mustBeat?: SanityName[];
  /** The evaluation must be a seed group's of at least this many seeds; absent or 0: any evaluation. */
  minSeeds?: number;
}

/**
 * The policy of a model that has none stored: the catalog protocol on the candidate's training dataset and its
 * label, `gauc`, `map` and `recall@50` each >= baseline - 0.005 on every gated test day, and beating `random`
 * and `popular`.
 */
export const DEFAULT_GATE_POLICY: GatePolicy = {
  thresholds: ['gauc', 'map', 'recall@50'].map((metric) => ({ metric, minAbsoluteChange: -0.005 })),
  includeOverall: false,
  protocol: DEFAULT_PROTOCOL,
  mustBeat: [...DEFAULT_MUST_BEAT],
};

/** Per-scope metric values of one version: overall and by test day (YYYY-MM-DD). */
export interface MetricSeries {
  overall: Record<string, number>;
  byDay: Record<string, Record<string, number>>;
}

/** Whether a metric can tell models apart in an evaluation, with the reason when it cannot. */
export interface Informativeness {
  informative: boolean;
  reason: string | null;
}

/** Whether the gate may use a test day (a partial day at the cut may not), with the reason when not. */
export interface DayUse {
  lists?: number;
  gated: boolean;
  reason: string | null;
}

/** Whether the candidate beats the sanity baselines on one metric. */
export interface BeatsBaselines {
  beats: boolean;
  by_baseline: Partial<Record<string, boolean>>;
}

/**
 * What the gate compares: the candidate's and the baseline's values on the same test rows, plus what the
 * evaluation says about them. `informative`, `days` and `beats` are absent in reports made before saturation
 * checks and sanity baselines existed; the gate then counts every metric and day and skips the must-beat rule.
 */
export interface GateInput {
  candidate: MetricSeries;
  baseline: MetricSeries;
  /** Per metric: informative or not. */
  informative?: Record<string, Informativeness>;
  /** Per test day: whether the gate may use it. */
  days?: Record<string, DayUse>;
  /** Per metric: whether the candidate beats each sanity baseline. */
  beats?: Record<string, BeatsBaselines>;
  /** The sanity baselines' values, to show beside the candidate's. */
  sanity?: Partial<Record<string, MetricSeries>>;
  /** The intervals `beats` was decided on; absent: `user`. */
  intervals?: IntervalKind;
  /** Per metric and sanity baseline: the overall 95% interval of the candidate's delta that `beats` read. */
  beatsCi?: Record<string, Partial<Record<string, [number, number] | null>>>;
  /** The seed group of a group evaluation and its number of seeds; absent for one version's evaluation. */
  group?: { name: string; seeds: number };
}

/** One checked condition: a row of the table that a refusal shows. */
export interface GateCheck {
  metric: string;
  /** `overall`, a test day, or `every day` for a metric skipped as a whole. */
  scope: string;
  /**
   * `min_value`, `min_absolute_change`, `min_relative_change`, `beats:<sanity baseline>`, `informative` (a
   * skipped metric, or a policy with no counted metric) or `gated_day` (a skipped day).
   */
  condition: string;
  candidate: number | null;
  /** The baseline version's value, or the sanity baseline's for a `beats:` row. */
  baseline: number | null;
  /** The bound the candidate's value was held to (>= it, or <= it when lower is better). */
  threshold: number | null;
  /** `>=`, `<=`, or `>` for a `beats:` row. */
  op: '>=' | '<=' | '>';
  /** Whether the condition held (false for a skipped row: it was not checked). */
  passed: boolean;
  /** True when the row was not counted: an uninformative metric, a day that is not gated. */
  skipped?: boolean;
  /** Why it failed without a comparison, or why it was skipped. */
  note?: string;
  /** For a `beats:` row: the overall 95% interval of the candidate's delta against the sanity baseline (GateResult.intervals says which kind). */
  ci95?: [number, number] | null;
}

/** The outcome of a gate. */
export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
  /** The test days checked (gated ones only). */
  days: string[];
  /** The kind of 95% interval the must-beat rule read: `pooled` for a seed group's evaluation, else `user`. */
  intervals: IntervalKind;
  /** The training seeds behind the values: the group's size, 1 for one version's evaluation. */
  seeds: number;
  /** The seed group of a group evaluation; null for one version's evaluation. */
  seedGroup: string | null;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const DATASET_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/** Validates a policy (from an RPC or the database) and returns it normalised, defaults filled; INVALID_ARGUMENT otherwise. */
export function checkPolicy(p: GatePolicy): GatePolicy {
  if (!p || !Array.isArray(p.thresholds) || p.thresholds.length === 0) {
    throw invalid('policy: give at least one metric threshold, e.g. gauc>=baseline-0.005');
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
  const out: GatePolicy = { thresholds, includeOverall: !!p.includeOverall };
  if (p.target) {
    if (!(LABELS as readonly string[]).includes(p.target)) throw invalid(`policy.target: "${p.target}" is not one of ${LABELS.join(', ')}`);
    out.target = p.target;
  }
  const protocol = p.protocol || DEFAULT_PROTOCOL;
  if (!(GATE_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw invalid(`policy.protocol: "${protocol}" is not one of ${GATE_PROTOCOLS.join(', ')}`);
  }
  out.protocol = protocol;
  if (p.datasetId) {
    const id = bareDatasetId(p.datasetId);
    if (!DATASET_ID.test(id)) throw invalid(`policy.dataset_id: "${p.datasetId}" is not a dataset id; list them with \`modelops data list\``);
    out.datasetId = id;
  }
  const mustBeat = p.mustBeat ?? [...DEFAULT_MUST_BEAT];
  for (const name of mustBeat) {
    if (!(SANITY_BASELINES as readonly string[]).includes(name)) {
      throw invalid(`policy.must_beat: "${name}" is not a sanity baseline; use ${SANITY_BASELINES.join(', ')} (or none)`);
    }
  }
  out.mustBeat = [...new Set(mustBeat)];
  const minSeeds = p.minSeeds ?? 0;
  if (!Number.isInteger(minSeeds) || minSeeds < 0 || minSeeds > MAX_GATE_SEEDS) {
    throw invalid(`policy.min_seeds: ${String(p.minSeeds)} is not a whole number from 0 (any evaluation) to ${MAX_GATE_SEEDS}`);
  }
  if (minSeeds > 0) out.minSeeds = minSeeds;
  return out;
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

const value = (x: number | undefined): number | null => (finite(x) ? x : null);

/** A row that is shown but not counted. */
function skippedRow(metric: string, scope: string, condition: string, note: string, candidate: number | null = null, baseline: number | null = null): GateCheck {
  return { metric, scope, condition, candidate, baseline, threshold: null, op: '>=', passed: false, skipped: true, note };
}

/** A row that fails the gate without a comparison. */
function refusalRow(scope: string, condition: string, note: string): GateCheck {
  return { metric: '*', scope, condition, candidate: null, baseline: null, threshold: null, op: '>=', passed: false, note };
}

/**
 * Applies a policy. Every threshold of an informative metric is checked on every gated test day of the
 * candidate or the baseline (a day that one of them lacks fails: they must be evaluated on the same days), and
 * overall when the policy says so; then, for each counted metric, the candidate must beat each of the policy's
 * sanity baselines (`beats` of the report, or of the seed group: services/registry/gate-group.ts). Uninformative metrics
 * and days that are not gated appear as skipped rows with the evaluation's reason. The gate fails when no metric
 * or no day is left to count, when the report has no per-day values (it cannot then show that the policy holds
 * on every day), and when the policy's min_seeds asks for a larger seed group than the evaluation's.
 */
export function evaluateGate(policy: GatePolicy, input: GateInput): GateResult {
  const all = [...new Set([...Object.keys(input.candidate.byDay), ...Object.keys(input.baseline.byDay)])].sort();
  const checks: GateCheck[] = [];
  const days: string[] = [];
  const intervals = input.intervals ?? 'user';
  const seeds = input.group?.seeds ?? 1;
  const minSeeds = policy.minSeeds ?? 0;
  if (minSeeds > 0) {
    const enough = !!input.group && input.group.seeds >= minSeeds;
    checks.push({ metric: '*', scope: 'evaluation', condition: 'min_seeds', candidate: input.group ? seeds : null, baseline: null, threshold: minSeeds,
      op: '>=', passed: enough, ...(enough ? {} : { note: input.group
        ? `the group evaluation pools ${seeds} seed(s); the gate policy asks for at least ${minSeeds}`
        : `the evaluation is of one version; the gate policy asks for a seed-group evaluation of at least ${minSeeds} seeds` }) });
  }
  for (const day of all) {
    const use = input.days?.[day];
    if (use && use.gated === false) {
      // The evaluation's reason already says how many lists the day had; without one, say it here.
      const why = use.reason ?? `the evaluation marks it as not gated${finite(use.lists) ? ` (${use.lists} evaluated lists)` : ''}`;
      checks.push(skippedRow('*', day, 'gated_day', `day not gated: ${why}`));
    } else {
      days.push(day);
    }
  }
  const counted: string[] = [];
  const uninformative: string[] = [];
  for (const t of policy.thresholds) {
    const info = input.informative?.[t.metric];
    if (info && info.informative === false) {
      const why = info.reason ?? 'the evaluation marks it as uninformative';
      if (!uninformative.some((u) => u.startsWith(`${t.metric} (`))) {
        uninformative.push(`${t.metric} (${why})`);
        checks.push(skippedRow(t.metric, 'every day', 'informative', `not informative: ${why}`,
          value(input.candidate.overall[t.metric]), value(input.baseline.overall[t.metric])));
      }
      continue;
    }
    if (!counted.includes(t.metric)) counted.push(t.metric);
    for (const day of days) checks.push(...checksFor(t, day, input.candidate.byDay[day]?.[t.metric], input.baseline.byDay[day]?.[t.metric]));
    if (policy.includeOverall) checks.push(...checksFor(t, 'overall', input.candidate.overall[t.metric], input.baseline.overall[t.metric]));
  }
  const mustBeat = policy.mustBeat ?? DEFAULT_MUST_BEAT;
  for (const metric of counted) {
    for (const name of mustBeat) {
      const condition = `beats:${name}`;
      const cand = value(input.candidate.overall[metric]);
      const other = value(input.sanity?.[name]?.overall[metric]);
      if (!input.beats) {
        checks.push(skippedRow(metric, 'overall', condition, 'not checked: the evaluation was made before sanity baselines existed', cand, other));
        continue;
      }
      const beats = input.beats[metric]?.by_baseline?.[name];
      const ci = input.beatsCi?.[metric]?.[name];
      const kind = intervals === 'pooled' ? `pooled (users + ${seeds} seeds)` : 'user-bootstrap';
      checks.push({ metric, scope: 'overall', condition, candidate: cand, baseline: other, threshold: null, op: '>', passed: beats === true,
        ...(ci !== undefined ? { ci95: ci } : {}),
        ...(beats === undefined ? { note: `the evaluation does not say whether ${metric} beats ${name}` }
          : beats ? {} : { note: ci === null ? `does not beat ${name}: the evaluation has no ${kind} 95% interval of the delta`
            : `does not beat ${name}: the ${kind} 95% interval of the delta${ci ? ` [${ci[0].toFixed(4)}, ${ci[1].toFixed(4)}]` : ''} is not above 0 overall, or the delta is not > 0 on every gated day` }) });
    }
  }
  if (counted.length === 0) {
    checks.push(refusalRow('every day', 'informative',
      `every metric of the gate policy is uninformative in this evaluation: ${uninformative.join('; ')}; the gate cannot tell the models apart with them, so add an informative metric (modelops gate set <model> --threshold ...)`));
  }
  if (all.length === 0) {
    checks.push(refusalRow('by_day', 'every_day', 'the evaluation report has no per-day metrics (by_day); re-run the evaluation'));
  } else if (days.length === 0) {
    checks.push(refusalRow('by_day', 'gated_day', 'no test day of the evaluation may be gated (each is marked not gated); evaluate on a dataset with more test days'));
  }
  return { passed: checks.every((c) => c.passed || c.skipped), checks, days, intervals, seeds, seedGroup: input.group?.name ?? null };
}

export { bareDatasetId, gateInputFromReport, gateInputForProtocol, evaluationProtocol } from './gate-report';

/** How a gate's intervals read in a sentence: "pooled 95% intervals (users + 3 seeds of group wtg-a)". */
export function intervalsPhrase(g: Pick<GateResult, 'intervals' | 'seeds' | 'seedGroup'>): string {
  if (g.intervals === 'pooled') return `pooled 95% intervals (users + ${g.seeds} seeds of group ${g.seedGroup ?? '?'})`;
  return g.seedGroup ? `user-bootstrap 95% intervals (group ${g.seedGroup} has one seed: no seed variance)`
    : 'user-bootstrap 95% intervals (one version: training-seed variance not included)';
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
