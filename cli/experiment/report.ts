// The experiment's report: every row against the baseline row and the five sanity baselines, per protocol,
// overall and per held-out day, with intervals that include seed variance where several seeds were trained;
// the seed document's claims beside what was measured (reproduced / not reproduced / not testable, with the
// numbers); which metrics cannot tell models apart here; and the score-vs-length correlation of each row.
// Built from the stored evaluation reports (docs/evaluation.md), so it adds no statistics of its own beyond
// reading them: the seed-pooled intervals are the group evaluation's (`group` key of the report).
import type { ClaimSpec, ExperimentSpec, RowSpec } from './spec';
import { claimScope, ownAgainst, type EvaluationNeed, type Plan } from './plan';
import type { LengthCorrelation } from './correlation';
import { SANITY_NAMES, type SanityName } from '../../ml/metrics/sanity';

/** What the runner measured, as the report reads it. */
export interface Measured {
  /** Every evaluation of the plan by key, with its stored report. */
  evaluations: Record<string, { need: EvaluationNeed; id: string; report: any }>;
  /** Every dataset of the plan by key. */
  datasets: Record<string, { id: string; label: string; task: string; buckets: string; window: string; counts: Record<string, number>; summary: any }>;
  /** Per row: its versions (first seed first) and each one's training seconds. */
  rows: Record<string, { versions: string[]; training_seconds: number[]; dataset_ids: string[] }>;
  /** Per row: the score-vs-length correlation of its own evaluation's viewed lists (first seed). */
  correlations: Record<string, LengthCorrelation | null>;
}

/** One metric of one row against one reference (the baseline row or a sanity baseline). */
export interface Cell {
  candidate: number | null;
  baseline: number | null;
  delta: number | null;
  /** The interval over users only (the mean of the seeds' user-bootstrap spreads where several seeds ran). */
  ci95_user: [number, number] | null;
  /** The interval with the spread across seeds added; null with one seed. */
  ci95_pooled: [number, number] | null;
  seeds: number;
}

/** The interval a decision uses: the pooled one where seeds were trained, else the user one. */
export function decisive(c: Cell | null | undefined): [number, number] | null {
  return c ? c.ci95_pooled ?? c.ci95_user : null;
}

type Protocol = 'viewed' | 'catalog';

/** One evaluation of a row, as the report shows it. */
export interface RowEvaluation {
  evaluation_id: string;
  /** The per-seed evaluations of a group evaluation, first seed first. */
  member_evaluations: string[];
  dataset: string;
  dataset_id: string;
  target: string;
  against: string;
  protocols: Partial<Record<Protocol, {
    /** Metric -> the row against the `against` row (absent when the evaluation had none). */
    overall: Record<string, Cell>;
    by_day: Record<string, Record<string, Cell>>;
    /** Sanity baseline -> metric -> the row against it. */
    sanity: Partial<Record<SanityName, Record<string, Cell>>>;
    sanity_by_day: Partial<Record<SanityName, Record<string, Record<string, Cell>>>>;
    /** Metric -> beats every sanity baseline (decisive interval above 0 overall, delta > 0 on every gated day), with what it lost to. */
    beats_sanity: Record<string, { beats: boolean; lost: string[] }>;
    informative: Record<string, { informative: boolean; reason: string | null }>;
    days: Record<string, { lists: number; gated: boolean }>;
    median_list_length: number | null;
    /** The first seed's metrics per duration group (length quartiles), the row's and the `against` row's. */
    by_group: Record<string, Record<string, { candidate: number | null; baseline: number | null }>>;
  }>>;
}

/** A claim of the seed document and what was measured. */
export interface ClaimResult {
  row: string;
  text: string;
  expect: ClaimSpec['expect'];
  metrics: string[];
  against: string;
  target: string;
  protocol: Protocol;
  verdict: 'reproduced' | 'not reproduced' | 'not testable';
  /** The numbers behind the verdict, in words. */
  detail: string;
  /** Per metric: the cell compared. */
  numbers: Record<string, Cell | { candidate: number; against: number } | null>;
  evaluation_id: string | null;
}

/** The whole report (report.json). */
export interface ExperimentReport {
  title: string;
  description: string;
  experiment_id: string;
  generated_at: string;
  command: string;
  code_version: string;
  server: string;
  wall_seconds: number;
  counts: Record<string, number>;
  model: string;
  baseline: string;
  seeds: number;
  first_seed: number;
  interval_note: string;
  data: ExperimentSpec['data'] & { datasets: { key: string; id: string; label: string; task: string; buckets: string; counts: Record<string, number> }[] };
  metrics: string[];
  ks: number[];
  rows: {
    name: string;
    seed_row: string;
    recipe: Omit<RowSpec, 'claims' | 'name' | 'seed_row'>;
    versions: string[];
    training_seconds: number[];
    own: RowEvaluation | null;
    reference: RowEvaluation | null;
    correlation: LengthCorrelation | null;
  }[];
  claims: ClaimResult[];
  /** Statements the numbers support, in words (which rows beat what, which metrics cannot tell models apart). */
  findings: string[];
  spec: ExperimentSpec;
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const pair = (x: unknown): [number, number] | null => (Array.isArray(x) && x.length === 2 && num(x[0]) !== null && num(x[1]) !== null ? [x[0], x[1]] : null);

function fromGroup(g: any, seeds: number): Cell | null {
  if (!g) return null;
  return { candidate: num(g.candidate_mean), baseline: num(g.baseline_mean), delta: num(g.delta), ci95_user: pair(g.ci95_user), ci95_pooled: pair(g.ci95_pooled), seeds: Number(g.seeds ?? seeds) };
}

function fromDelta(d: any): Cell | null {
  if (!d) return null;
  return { candidate: num(d.candidate), baseline: num(d.baseline), delta: num(d.delta), ci95_user: pair(d.ci95), ci95_pooled: null, seeds: 1 };
}

/** The protocol section of a stored report (reports made before protocols carry the viewed one at the top). */
function protocolOf(report: any, p: Protocol): any {
  return report?.protocols?.[p] ?? (p === 'viewed' && !report?.protocols ? report : undefined);
}

/** Reads one evaluation into the report's shape. */
export function rowEvaluation(id: string, need: EvaluationNeed, datasetId: string, report: any, metrics: string[]): RowEvaluation {
  const group = report?.group;
  const out: RowEvaluation = {
    evaluation_id: id, member_evaluations: (group?.members ?? []).map((m: any) => String(m.evaluation_id)), dataset: need.dataset, dataset_id: datasetId,
    target: need.target, against: need.against, protocols: {},
  };
  for (const p of ['viewed', 'catalog'] as Protocol[]) {
    const pr = protocolOf(report, p);
    if (!pr) continue;
    const gp = group?.protocols?.[p];
    const seeds = Number(group?.seeds ?? 1);
    const pick = (gsrc: any, dsrc: any, m: string): Cell | null => (gp ? fromGroup(gsrc?.[m], seeds) : fromDelta(dsrc?.[m]));
    const names = (pr.metrics as string[] | undefined) ?? Object.keys(pr.overall ?? {});
    const all = [...new Set([...metrics.filter((m) => names.includes(m)), ...names])];
    const days = Object.keys(pr.by_day ?? {}).sort();
    const overall: Record<string, Cell> = {};
    const byDay: Record<string, Record<string, Cell>> = {};
    if (need.against) {
      for (const m of all) { const c = pick(gp?.overall, pr.delta?.overall, m); if (c) overall[m] = c; }
      for (const d of days) {
        byDay[d] = {};
        for (const m of all) { const c = pick(gp?.by_day?.[d], pr.delta?.by_day?.[d], m); if (c) byDay[d][m] = c; }
      }
    }
    const sanity: RowEvaluation['protocols']['viewed'] extends infer T ? T extends { sanity: infer S } ? S : never : never = {};
    const sanityByDay: Partial<Record<SanityName, Record<string, Record<string, Cell>>>> = {};
    for (const s of SANITY_NAMES) {
      if (!pr.sanity?.[s]) continue;
      sanity[s] = {};
      sanityByDay[s] = {};
      for (const m of all) {
        const c = gp ? fromGroup(gp.sanity?.[s]?.overall?.[m], seeds) : fromDelta(pr.sanity[s].delta?.overall?.[m]);
        if (c) sanity[s]![m] = c;
      }
      for (const d of days) {
        sanityByDay[s]![d] = {};
        for (const m of all) {
          const c = gp ? fromGroup(gp.sanity?.[s]?.by_day?.[d]?.[m], seeds) : fromDelta(pr.sanity[s].delta?.by_day?.[d]?.[m]);
          if (c) sanityByDay[s]![d][m] = c;
        }
      }
    }
    const dayInfo: Record<string, { lists: number; gated: boolean }> = {};
    for (const [d, x] of Object.entries(pr.days ?? {})) dayInfo[d] = { lists: Number((x as any).lists), gated: !!(x as any).gated };
    const gated = Object.entries(dayInfo).filter(([, x]) => x.gated).map(([d]) => d);
    const beats: Record<string, { beats: boolean; lost: string[] }> = {};
    for (const m of all) {
      const lost: string[] = [];
      for (const s of Object.keys(sanity) as SanityName[]) {
        const ci = decisive(sanity[s]![m]);
        if (!ci || ci[0] <= 0) { lost.push(`${s} (overall)`); continue; }
        const bad = gated.filter((d) => !((sanityByDay[s]?.[d]?.[m]?.delta ?? -Infinity) > 0));
        if (bad.length) lost.push(`${s} (${bad.join(', ')})`);
      }
      beats[m] = { beats: Object.keys(sanity).length > 0 && lost.length === 0, lost };
    }
    const byGroup: Record<string, Record<string, { candidate: number | null; baseline: number | null }>> = {};
    for (const [g, ms] of Object.entries(pr.by_group ?? {})) {
      byGroup[g] = {};
      for (const m of all) byGroup[g][m] = { candidate: num((ms as any)?.[m]), baseline: num(pr.baseline?.by_group?.[g]?.[m]) };
    }
    out.protocols[p] = {
      overall, by_day: byDay, sanity, sanity_by_day: sanityByDay, beats_sanity: beats,
      informative: pr.informative ?? {}, days: dayInfo, median_list_length: num(pr.median_list_length), by_group: byGroup,
    };
  }
  return out;
}

const f4 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(4));
const s4 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(4)}`);
/** "+0.0123 [95% -0.0040, +0.0290]" (the decisive interval). */
export function cellText(c: Cell | null | undefined): string {
  if (!c) return 'n/a';
  const ci = decisive(c);
  return `${s4(c.delta)}${ci ? ` [${s4(ci[0])}, ${s4(ci[1])}]` : ''}`;
}

/** Checks one claim against the evaluations. */
function checkClaim(spec: ExperimentSpec, plan: Plan, m: Measured, r: RowSpec, c: ClaimSpec, evalOf: (row: string, against: string, dataset: string, target: string) => RowEvaluation | null): ClaimResult {
  const base: Omit<ClaimResult, 'verdict' | 'detail' | 'numbers' | 'evaluation_id'> = {
    row: r.name, text: c.text, expect: c.expect, metrics: c.metrics, against: c.against, target: c.target, protocol: c.protocol,
  };
  if (c.expect === 'not-testable') return { ...base, verdict: 'not testable', detail: c.why, numbers: {}, evaluation_id: null };
  if (c.metrics.every((x) => x === 'training_seconds')) {
    const mine = m.rows[r.name]?.training_seconds.filter(Number.isFinite) ?? [];
    const theirs = m.rows[c.against]?.training_seconds.filter(Number.isFinite) ?? [];
    if (!mine.length || !theirs.length) return { ...base, verdict: 'not testable', detail: 'training times were not recorded', numbers: {}, evaluation_id: null };
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    const [a, b] = [mean(mine), mean(theirs)];
    const separated = c.expect === 'lower' ? Math.max(...mine) < Math.min(...theirs) : c.expect === 'higher' ? Math.min(...mine) > Math.max(...theirs) : false;
    const detail = `mean training time ${a.toFixed(1)} s (seeds: ${mine.map((x) => x.toFixed(0)).join(', ')}) vs ${c.against} ${b.toFixed(1)} s (${theirs.map((x) => x.toFixed(0)).join(', ')}); ` +
      `${separated ? 'every seed' : 'not every seed'} ${c.expect === 'lower' ? 'faster' : 'slower'} (wall time on a shared machine, with early stopping: a rough measure)`;
    return { ...base, verdict: separated ? 'reproduced' : 'not reproduced', detail, numbers: { training_seconds: { candidate: a, against: b } }, evaluation_id: null };
  }
  const ref = spec.evaluation.reference ? plan.datasets.find((d) => d.label === spec.evaluation.reference!.label && d.task === spec.evaluation.reference!.task && d.buckets === spec.evaluation.reference!.buckets)?.key ?? null : null;
  const scope = claimScope(spec, r, c, plan.evalOn, ref);
  const ev = evalOf(r.name, c.against, scope.dataset, scope.target);
  const pr = ev?.protocols[c.protocol];
  if (!ev || !pr) return { ...base, verdict: 'not testable', detail: `no ${c.protocol}-protocol evaluation of ${r.name} against ${c.against} on ${scope.dataset}`, numbers: {}, evaluation_id: ev?.evaluation_id ?? null };
  const numbers: ClaimResult['numbers'] = {};
  const parts: string[] = [];
  const outcomes: ('yes' | 'no' | 'untestable')[] = [];
  for (const metric of c.metrics) {
    const cell = pr.overall[metric] ?? null;
    numbers[metric] = cell;
    const info = pr.informative[metric];
    if (c.expect === 'uninformative') {
      const uninf = info ? !info.informative : false;
      outcomes.push(uninf ? 'yes' : 'no');
      parts.push(`${metric}: ${uninf ? `uninformative here (${info!.reason})` : 'tells models apart here (not saturated, the sanity baselines differ)'}`);
      continue;
    }
    if (!cell || cell.delta === null) { outcomes.push('untestable'); parts.push(`${metric}: not in the report`); continue; }
    if (info && !info.informative) { outcomes.push('untestable'); parts.push(`${metric}: cannot tell models apart here (${info.reason})`); continue; }
    const ci = decisive(cell);
    const body = `${metric} ${f4(cell.candidate)} vs ${c.against} ${f4(cell.baseline)}, ${cellText(cell)}`;
    if (c.expect === 'consistent' || c.expect === 'inconsistent') {
      const days = Object.entries(pr.days).filter(([, x]) => x.gated).map(([d]) => d);
      const signs = days.map((d) => Math.sign(pr.by_day[d]?.[metric]?.delta ?? 0));
      const same = signs.length > 1 && signs.every((s) => s === signs[0] && s !== 0);
      const ok = c.expect === 'consistent' ? same : !same;
      outcomes.push(ok ? 'yes' : 'no');
      parts.push(`${metric} per gated day: ${days.map((d) => `${d} ${s4(pr.by_day[d]?.[metric]?.delta)}`).join(', ')} (${same ? 'one sign on every day' : 'the sign changes'})`);
      continue;
    }
    if (!ci) { outcomes.push('untestable'); parts.push(`${body}: no interval`); continue; }
    let ok: boolean;
    let why: string;
    if (c.expect === 'higher') { ok = ci[0] > 0; why = ok ? 'higher, the interval is above 0' : ci[1] < 0 ? 'lower: the interval is below 0' : 'the interval includes 0: not shown'; }
    else if (c.expect === 'lower') { ok = ci[1] < 0; why = ok ? 'lower, the interval is below 0' : ci[0] > 0 ? 'higher: the interval is above 0' : 'the interval includes 0: not shown'; }
    else { ok = ci[0] >= -c.margin && ci[1] <= c.margin; why = ok ? `equal within ±${c.margin}: the interval lies inside` : `the interval is not inside ±${c.margin}`; }
    outcomes.push(ok ? 'yes' : 'no');
    parts.push(`${body}: ${why}`);
  }
  const verdict: ClaimResult['verdict'] = outcomes.every((x) => x === 'untestable') ? 'not testable'
    : outcomes.every((x) => x === 'yes') ? 'reproduced' : 'not reproduced';
  return { ...base, verdict, detail: `${c.protocol} protocol, target ${scope.target} on ${m.datasets[scope.dataset]?.id ?? scope.dataset}: ${parts.join('; ')}`, numbers, evaluation_id: ev.evaluation_id };
}

/** Builds the report from what the runner measured. */
export function buildReport(spec: ExperimentSpec, plan: Plan, m: Measured, run: { experimentId: string; codeVersion: string; command: string; wallSeconds: number; counts: object; addr: string }): ExperimentReport {
  const metrics = spec.evaluation.metrics;
  const evals = new Map<string, RowEvaluation>();
  for (const [key, e] of Object.entries(m.evaluations)) evals.set(key, rowEvaluation(e.id, e.need, m.datasets[e.need.dataset]?.id ?? '', e.report, metrics));
  const evalOf = (row: string, against: string, dataset: string, target: string) => evals.get(`${row}|${against}|${dataset}|${target}`) ?? null;
  const ref = spec.evaluation.reference ? plan.datasets.find((d) => d.label === spec.evaluation.reference!.label && d.task === spec.evaluation.reference!.task && d.buckets === spec.evaluation.reference!.buckets)?.key ?? null : null;
  const rows: ExperimentReport['rows'] = spec.rows.map((r) => {
    const against = ownAgainst(spec, r.name);
    const { name, seed_row, claims: _c, ...recipe } = r;
    return {
      name, seed_row, recipe, versions: m.rows[r.name]?.versions ?? [], training_seconds: m.rows[r.name]?.training_seconds ?? [],
      own: evalOf(r.name, against, plan.evalOn[r.name], r.label),
      reference: ref ? evalOf(r.name, against, ref, spec.evaluation.reference!.label) : null,
      correlation: m.correlations[r.name] ?? null,
    };
  });
  const claims = spec.rows.flatMap((r) => r.claims.map((c) => checkClaim(spec, plan, m, r, c, evalOf)));
  const seeds = spec.seeds;
  const interval_note = seeds > 1
    ? `Intervals are 95% and include seed variance: each row is ${seeds} versions trained with seeds ${spec.seed}..${spec.seed + seeds - 1}; ` +
      'a row\'s delta is the mean of its seeds\' deltas (seed i against the baseline\'s seed i), and its interval adds the spread across seeds to the ' +
      'paired user bootstrap of each seed (ci95_pooled); the user-only interval is in report.json (ci95_user).'
    : 'One seed per row: intervals are 95% paired bootstraps over users only, with no seed variance (run with --seeds N for that).';
  const findings = findingsOf(spec, rows);
  return {
    title: spec.name, description: spec.description, experiment_id: run.experimentId, generated_at: new Date().toISOString(), command: run.command,
    code_version: run.codeVersion, server: run.addr, wall_seconds: Math.round(run.wallSeconds), counts: run.counts as Record<string, number>,
    model: spec.model, baseline: spec.baseline, seeds, first_seed: spec.seed, interval_note,
    data: { ...spec.data, datasets: plan.datasets.map((d) => ({ key: d.key, id: m.datasets[d.key]?.id ?? '', label: d.label, task: d.task, buckets: d.buckets, counts: m.datasets[d.key]?.counts ?? {} })) },
    metrics, ks: spec.evaluation.ks, rows, claims, findings, spec,
  };
}

/** Plain statements: which rows beat the sanity baselines and the baseline row, and which metrics cannot tell models apart. */
function findingsOf(spec: ExperimentSpec, rows: ExperimentReport['rows']): string[] {
  const out: string[] = [];
  for (const p of ['catalog', 'viewed'] as Protocol[]) {
    for (const metric of spec.evaluation.metrics) {
      const own = rows.filter((r) => r.own?.protocols[p]);
      if (!own.length) continue;
      const beat = own.filter((r) => r.own!.protocols[p]!.beats_sanity[metric]?.beats).map((r) => r.name);
      const notBeat = own.filter((r) => r.own!.protocols[p]!.beats_sanity[metric] && !r.own!.protocols[p]!.beats_sanity[metric].beats);
      const uninformative = own.filter((r) => r.own!.protocols[p]!.informative[metric] && !r.own!.protocols[p]!.informative[metric].informative).map((r) => r.name);
      if (uninformative.length) out.push(`${p} ${metric}: cannot tell models apart on the lists of ${uninformative.join(', ')} (${own.find((r) => uninformative.includes(r.name))!.own!.protocols[p]!.informative[metric].reason}).`);
      if (p === 'catalog' && notBeat.length + beat.length > 0) {
        out.push(`catalog ${metric} on each row's own target: ${beat.length ? `${beat.join(', ')} beat every sanity baseline on every gated day` : 'no row beats every sanity baseline on every gated day'}` +
          `${notBeat.length ? `; ${notBeat.map((r) => `${r.name} does not (loses to or ties ${r.own!.protocols[p]!.beats_sanity[metric].lost.join(', ')})`).join('; ')}` : ''}.`);
      }
      const vsBase = rows.filter((r) => r.name !== spec.baseline && r.reference?.protocols[p]?.overall[metric] && r.reference.protocols[p]!.informative[metric]?.informative !== false);
      if (vsBase.length) {
        const up = vsBase.filter((r) => (decisive(r.reference!.protocols[p]!.overall[metric])?.[0] ?? 0) > 0).map((r) => r.name);
        const down = vsBase.filter((r) => (decisive(r.reference!.protocols[p]!.overall[metric])?.[1] ?? 0) < 0).map((r) => r.name);
        const none = vsBase.filter((r) => !up.includes(r.name) && !down.includes(r.name)).map((r) => r.name);
        out.push(`${p} ${metric} on the reference target against ${spec.baseline}: ${up.length ? `better: ${up.join(', ')}` : 'no row is better'}` +
          `${down.length ? `; worse: ${down.join(', ')}` : ''}${none.length ? `; not distinguishable (interval includes 0): ${none.join(', ')}` : ''}.`);
      }
    }
  }
  return out;
}
