// The evaluation a promotion gate reads: whether a record is the one the gate asks for (candidate, baseline,
// dataset, target, protocol), the command that makes one, and the reading of its report — the candidate's and
// the baseline's values and, per protocol, what the evaluation says about them (informative metrics, gated
// days, the sanity baselines). Reports written before protocols existed are the viewed protocol's, with
// nothing said about saturation. A seed group's evaluation is read through its `group` part (services/registry/gate-group.ts).
import type { BeatsBaselines, DayUse, GateInput, GateProtocol, Informativeness, MetricSeries } from './promotion-gate';
import { groupGateInput } from './gate-group';
import { COMPLETED_EVALUATION_STATES, type EvaluationRecord } from '../../registry/evaluation-store';
import type { ModelVersion } from '../../registry/version-store';

/** A dataset id without the resource prefix `datasets/`. */
export function bareDatasetId(id: string): string {
  return (id ?? '').replace(/^datasets\//, '');
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

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
 * Extracts the candidate's and the baseline's values from an evaluation report (ml/metrics/evaluate.ts's
 * shape, or one protocol's section of it). Accepted layouts, first match wins:
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

/** The protocol an evaluation was made with: `viewed`, `catalog` or `both` (`viewed` when it says none: it predates protocols). */
export function evaluationProtocol(params: Record<string, unknown> | null | undefined, report?: Record<string, unknown> | null): string {
  const p = params?.protocol ?? report?.protocol;
  return typeof p === 'string' && p ? p : 'viewed';
}

const objectOr = <T>(x: unknown): T | undefined => (x && typeof x === 'object' && !Array.isArray(x) ? (x as T) : undefined);

/** What the gate reads of one protocol of a report, or why it cannot. */
export type ProtocolInput =
  | { input: GateInput; legacy: boolean; missing?: undefined }
  | { missing: string; input?: undefined; legacy?: undefined };

/**
 * The gate's input for one protocol of a report: `report.protocols[protocol]` with its `informative`, `days`,
 * `beats_baselines` and `sanity` (user-bootstrap intervals). A group evaluation's report (`report.group`) is
 * read as the group's means and pooled intervals instead. A report without `protocols` was made before
 * protocols and saturation checks: it serves the viewed protocol as it is (`legacy`), and never the catalog one.
 */
export function gateInputForProtocol(report: Record<string, unknown>, protocol: GateProtocol): ProtocolInput {
  const protocols = objectOr<Record<string, unknown>>(report.protocols);
  if (!protocols) {
    if (protocol === 'viewed') return { input: gateInputFromReport(report), legacy: true };
    return { missing: `its report was made before protocols existed and holds the viewed lists only, not the ${protocol} protocol` };
  }
  const section = objectOr<Record<string, unknown>>(protocols[protocol]);
  if (!section) {
    return { missing: `its report has no ${protocol} protocol (it has ${Object.keys(protocols).join(', ') || 'none'})` };
  }
  const input: GateInput = gateInputFromReport(section);
  const informative = objectOr<Record<string, Informativeness>>(section.informative);
  const days = objectOr<Record<string, DayUse>>(section.days);
  const beats = objectOr<Record<string, BeatsBaselines>>(section.beats_baselines);
  if (informative) input.informative = informative;
  if (days) input.days = days;
  if (beats) input.beats = beats;
  const sanity = objectOr<Record<string, unknown>>(section.sanity);
  if (sanity) {
    input.sanity = {};
    input.beatsCi = {};
    for (const [name, node] of Object.entries(sanity)) {
      const s = series(node);
      if (s) input.sanity[name] = s;
      const overall = objectOr<Record<string, { ci95?: unknown }>>(objectOr<Record<string, unknown>>(objectOr<Record<string, unknown>>(node)?.delta)?.overall);
      for (const [m, d] of Object.entries(overall ?? {})) {
        const ci = d?.ci95;
        (input.beatsCi[m] ??= {})[name] = Array.isArray(ci) && ci.length === 2 && ci.every(finite) ? [ci[0], ci[1]] : null;
      }
    }
  }
  input.intervals = 'user';
  const group = objectOr<Record<string, unknown>>(report.group);
  if (group) {
    const g = groupGateInput(group, protocol, input);
    return typeof g === 'string' ? { missing: g } : { input: g, legacy: false };
  }
  return { input, legacy: false };
}

/** What the evaluation a gate reads must be of. */
export interface GateScope {
  target: string;
  protocol: GateProtocol;
  datasetId: string;
}

/** Quotes a word for a POSIX shell when it needs it (version names may hold any text). */
function shellWord(s: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The `modelops evaluate` command that makes the evaluation a gate asks for; with `group`, the seed group's evaluation. */
export function evaluateCommand(model: string, candidate: string, baseline: string, scope: GateScope, group?: string): string {
  const what = group ? `--group ${shellWord(group)}` : shellWord(candidate);
  return `modelops evaluate ${shellWord(model)} ${what} --baseline ${shellWord(baseline)} --dataset ${shellWord(scope.datasetId)} `
    + `--target ${shellWord(scope.target)} --protocol ${scope.protocol}`;
}

/**
 * How an evaluation differs from the one a gate asks for, one phrase per difference ("its target is pcc98, the
 * gate's is wtg"); empty when it matches. An evaluation made with both protocols serves either.
 */
export function evaluationMismatch(ev: EvaluationRecord,
  want: { model: string; candidate: ModelVersion; baseline: { number: number; name: string }; scope: GateScope }): string[] {
  const out: string[] = [];
  if (ev.model !== want.model) return [`it is an evaluation of model ${ev.model}, not ${want.model}`];
  const group = typeof ev.params?.group === 'string' ? ev.params.group : '';
  if (ev.candidate !== want.candidate.number) {
    // A seed group is promoted as its first version: that is the version its evaluation records as the candidate.
    out.push(group ? `it is the evaluation of seed group "${group}", which is promoted as its first version `
      + `("${typeof ev.params?.candidateName === 'string' ? ev.params.candidateName : group}", version ${ev.candidate}), not "${want.candidate.name}"`
      : `its candidate is version ${ev.candidate}, the promotion's is version ${want.candidate.number} ("${want.candidate.name}")`);
  }
  if (ev.baseline !== want.baseline.number) {
    out.push(`its baseline is ${ev.baseline === null ? 'none' : `version ${ev.baseline}`}, the gate's is version ${want.baseline.number} ("${want.baseline.name}")`);
  }
  if (bareDatasetId(ev.datasetId) !== want.scope.datasetId) out.push(`its dataset is ${bareDatasetId(ev.datasetId) || 'none'}, the gate's is ${want.scope.datasetId}`);
  if (ev.target !== want.scope.target) out.push(`its target is ${ev.target || 'none'}, the gate's is ${want.scope.target}`);
  const protocol = evaluationProtocol(ev.params, ev.report);
  if (protocol !== 'both' && protocol !== want.scope.protocol) out.push(`its protocol is ${protocol}, the gate's is ${want.scope.protocol}`);
  if (!COMPLETED_EVALUATION_STATES.includes(ev.state.toLowerCase())) out.push(`its state is ${ev.state}, not succeeded`);
  else if (!ev.report) out.push('it has no report');
  return out;
}
