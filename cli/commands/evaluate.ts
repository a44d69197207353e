// `modelops evaluate`, `modelops compare` and `modelops evaluations list|show`: evaluate a version against a
// baseline on a dataset's held-out days, read stored evaluations, and put versions side by side.
import * as fs from 'node:fs';
import { bool, list, need, num, str, UsageError, type Command, type Io } from '../command';
import { call, clientOf, stream, targetOf, type Target } from '../client';
import { emit, isoTime, progressLine, table } from '../output';
import { parseKs } from './metrics';
import { reportTable, saturationLegend, usersLine } from '../../ml/metrics/report-table';
import type { EvaluationReport } from '../../ml/metrics/evaluate';
import type { ProtocolReport } from '../../ml/metrics/protocol-report';
import { SANITY_NAMES } from '../../ml/metrics/sanity';
import type { GroupReport } from '../../services/evaluation/seed-group';
import { plainProvenance, provenanceText } from '../provenance';
import type { ExportEvaluationScoresResponse__Output } from '../../proto/gen/modelops/v1/ExportEvaluationScoresResponse';
import type { CancelEvaluationResponse__Output } from '../../proto/gen/modelops/v1/CancelEvaluationResponse';
import type { Evaluation__Output } from '../../proto/gen/modelops/v1/Evaluation';
import type { CreateEvaluationResponse__Output } from '../../proto/gen/modelops/v1/CreateEvaluationResponse';
import type { GetEvaluationResponse__Output } from '../../proto/gen/modelops/v1/GetEvaluationResponse';
import type { ListEvaluationsResponse__Output } from '../../proto/gen/modelops/v1/ListEvaluationsResponse';
import type { CompareVersionsResponse__Output } from '../../proto/gen/modelops/v1/CompareVersionsResponse';
import { emitPage, pageFlags, pageOf } from '../paging';

const state = (s: string) => s.replace('EVALUATION_STATE_', '').toLowerCase();

/** The evaluation's fields for people and scripts (without the report). */
function plain(e: Evaluation__Output) {
  return {
    id: e.id, name: e.name, model: e.model, candidate_version: e.candidate_version, baseline_version: e.baseline_version || null,
    dataset_id: e.dataset_id, target: e.target, state: state(e.state), progress: e.progress, phase: e.phase, error: e.error || null,
    ks: e.ks, bootstrap_resamples: e.bootstrap_resamples, created_by: e.created_by, created: isoTime(e.create_time), updated: isoTime(e.update_time),
    protocol: e.protocol || 'viewed', kept_scores: e.kept_scores ? e.kept_scores.split(',') : [],
    group: e.group || null, baseline_group: e.baseline_group || null, member_evaluations: e.member_evaluations,
    provenance: plainProvenance(e.provenance),
  };
}

const f4 = (x: number | null | undefined) => (typeof x === 'number' ? `${x >= 0 ? '+' : ''}${x.toFixed(4)}` : '-');
const ci = (c: [number, number] | null) => (c ? `[${f4(c[0])}, ${f4(c[1])}]` : '-');

/** A seed group's pooled deltas for one protocol: per metric the means, the delta and both intervals, and each seed's delta. */
function printGroup(io: Io, name: string, g: GroupReport, metrics: string[]): void {
  const pr = g.protocols[name as 'viewed' | 'catalog'];
  if (!pr) return;
  const vs = g.baseline_group ? `group ${g.baseline_group}` : `${g.baseline_version}`;
  io.out(`\n== seed group ${g.candidate_group} vs ${vs}, protocol ${name}: ${g.seeds} seeds (${g.members.map((m) => `${m.candidate_version}${m.seed !== null ? ` seed ${m.seed}` : ''}`).join(', ')}) ==`);
  const rows = rowsOf(io, Object.keys(pr.overall), metrics).map((m) => {
    const d = pr.overall[m];
    return { metric: m, candidate: d.candidate_mean?.toFixed(4) ?? '-', baseline: d.baseline_mean?.toFixed(4) ?? '-', delta: f4(d.delta),
      '95% users': ci(d.ci95_user), '95% users+seeds': ci(d.ci95_pooled), 'per-seed delta': d.per_seed_delta.map(f4).join(' ') };
  });
  io.out(table(rows, ['metric', 'candidate', 'baseline', 'delta', '95% users', '95% users+seeds', 'per-seed delta']));
}

const PROTOCOL_ENUM: Record<string, string> = { viewed: 'EVALUATION_PROTOCOL_VIEWED', catalog: 'EVALUATION_PROTOCOL_CATALOG', both: 'EVALUATION_PROTOCOL_BOTH' };

/** Parses --protocol / --export-protocol (viewed, catalog or both). */
function protocolFlag(args: Parameters<Command['run']>[0], flag: string): string | undefined {
  const v = str(args, flag);
  if (v === undefined) return undefined;
  if (!PROTOCOL_ENUM[v]) throw new UsageError(`--${flag}: "${v}" is not a protocol; give viewed, catalog or both`);
  return v;
}

/** Streams an evaluation's kept scores into `file`, saying the row count and size on stderr before writing. */
async function exportScores(target: Target, id: string, protocol: string, file: string, io: Io): Promise<{ file: string; protocol: string; rows: number; bytes: number }> {
  let out: fs.WriteStream | null = null;
  let rows = 0, bytes = 0;
  try {
    for await (const m of stream<object, ExportEvaluationScoresResponse__Output>(target, clientOf('EvaluationService', target), 'ExportEvaluationScores',
      { name: id, protocol: PROTOCOL_ENUM[protocol] })) {
      if (!out) {
        rows = Number(m.rows); bytes = Number(m.size_bytes);
        io.err(`exporting ${rows} rows (${(bytes / 1e6).toFixed(1)} MB) of ${protocol} scores to ${file}\n`);
        out = fs.createWriteStream(file);
      }
      if (!out.write(m.data)) await new Promise<void>((r) => out!.once('drain', () => r()));
    }
  } finally {
    if (out) await new Promise((r) => out!.end(r));
  }
  return { file, protocol, rows, bytes };
}

async function getEvaluation(target: Target, name: string): Promise<Evaluation__Output> {
  const res = await call<object, GetEvaluationResponse__Output>(target, clientOf('EvaluationService', target), 'GetEvaluation', { name });
  return res.evaluation!;
}

/** Polls until the evaluation ends, drawing progress on stderr. */
async function follow(target: Target, e: Evaluation__Output, io: Io, pollMs = 500): Promise<Evaluation__Output> {
  let cur = e;
  let shown = '';
  while (state(cur.state) === 'pending' || state(cur.state) === 'running') {
    // On a terminal the bar redraws in place; elsewhere (logs, CI) print a line only when something changed.
    const line = `${cur.progress.toFixed(2)} ${cur.phase}`;
    if (io.tty || line !== shown) progressLine(io, cur.progress, cur.phase || state(cur.state));
    shown = line;
    await new Promise((r) => setTimeout(r, pollMs));
    cur = await getEvaluation(target, cur.id);
  }
  progressLine(io, cur.progress, state(cur.state));
  if (io.tty) io.err('\n');
  return cur;
}

/**
 * The metric rows a table prints: those asked for with --metrics (in that order), else all of the report's.
 * A name the report lacks (a typo, or a K not computed) is left out with a note on stderr: a row of "-" would
 * read as "no value" for a metric that does not exist.
 */
function rowsOf(io: Io, available: string[], asked: string[]): string[] {
  if (asked.length === 0) return available;
  const missing = asked.filter((m) => !available.includes(m));
  if (missing.length) io.err(`--metrics: not in this report: ${missing.join(', ')} (it has ${available.join(', ')})\n`);
  return asked.filter((m) => available.includes(m));
}

/** The report of one protocol as a table with its sanity rows, saturation marks and legend. */
function printProtocol(io: Io, name: string, pr: ProtocolReport | EvaluationReport, report: Record<string, unknown>, e: Evaluation__Output, metrics: string[]): void {
  const defs = (report.definitions ?? {}) as Record<string, string>;
  io.out(`\n== protocol ${name}: target ${e.target}, dataset ${e.dataset_id} ==`);
  if (defs[`protocol:${name}`]) io.out(defs[`protocol:${name}`]);
  io.out(usersLine(pr));
  if ('days' in pr) {
    io.out(`median evaluated list length ${pr.median_list_length}; lists per day: ${Object.entries(pr.days).sort().map(([d, x]) => `${d} ${x.lists}${x.gated ? '' : ' (not gated)'}`).join(', ')}`);
  }
  io.out('');
  const rows = rowsOf(io, pr.metrics, metrics);
  io.out(reportTable(pr, rows));
  if (Object.keys(pr.by_group).length > 0) {
    io.out('\nby duration group (video length quartiles):');
    io.out(reportTable(pr, rows, 'group'));
  }
  if ('informative' in pr) io.out(saturationLegend(pr));
}

/** Prints an evaluation with its report: per protocol, the metrics x days table, or the JSON document. */
function printEvaluation(io: Io, e: Evaluation__Output, metrics: string[], extra: Record<string, unknown> = {}): number {
  const report = e.report_json ? (JSON.parse(e.report_json) as EvaluationReport & { protocols?: Record<string, ProtocolReport>; definitions: Record<string, string>; group?: GroupReport }) : null;
  emit(io, { evaluation: plain(e), ...(report ?? {}), ...extra }, () => {
    io.out(`evaluation ${e.id}: ${e.candidate_version} vs ${e.baseline_version || '(no baseline)'} on dataset ${e.dataset_id}, target ${e.target}, protocol ${e.protocol || 'viewed'}: ${state(e.state)}`);
    if (e.error) io.out(`error: ${e.error}`);
    if (!report) return;
    // Evaluations made before protocols existed carry the viewed report at the top level only.
    const protocols: Record<string, ProtocolReport | EvaluationReport> = report.protocols ?? { viewed: report };
    for (const name of ['viewed', 'catalog']) if (protocols[name]) printProtocol(io, name, protocols[name], report as unknown as Record<string, unknown>, e, metrics);
    if (report.bootstrap) io.out(`\ndelta = candidate - baseline (relative gain); [95% paired bootstrap interval over users, ${report.bootstrap.resamples} resamples, seed ${report.bootstrap.seed}]`);
    if (report.group) {
      io.out(`\nthe tables above are the first seed's (${report.group.members[0]?.candidate_version}); the group pools every seed:`);
      for (const name of ['viewed', 'catalog']) printGroup(io, name, report.group, metrics);
      io.out(`means over seeds; 95% users: the seeds' user-bootstrap only; 95% users+seeds: adds the spread across seeds (docs/evaluation.md)`);
    }
    io.out(provenanceText(plain(e).provenance));
    io.out('definitions: --json (key "definitions") or docs/evaluation.md');
  });
  return state(e.state) === 'failed' || state(e.state) === 'cancelled' ? 1 : 0;
}

/** The CLI commands `evaluate`, `evaluations list|show` and `compare` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'evaluate',
    summary: 'Evaluate a version (or a seed group, --group) against a baseline on a dataset\'s held-out days: metrics per day and duration group, deltas and 95% intervals.',
    usage: '<model> <version-name> | <model> --group NAME',
    flags: {
      baseline: { type: 'string', description: 'The baseline version or alias (default: the model\'s baseline alias, else production).', placeholder: 'VERSION' },
      group: { type: 'string', description: 'Evaluate the seed group NAME (trained with train --seeds): every seed, pooled, with user-only and users+seeds intervals.', placeholder: 'NAME' },
      'baseline-group': { type: 'string', description: 'With --group: a baseline seed group of the same size, paired seed by seed (instead of --baseline).', placeholder: 'NAME' },
      dataset: { type: 'string', description: 'The dataset whose held-out rows are scored (default: the candidate\'s training dataset).', placeholder: 'ID' },
      target: { type: 'string', description: 'The target label: wtg, p90, pcc98, wtg:pcc, wtg-quantile (default: the dataset\'s label).', placeholder: 'LABEL' },
      k: { type: 'list', description: 'Cut-offs K (default 5,10,50,100; those of the model\'s gate policy are always added).', placeholder: 'K,...' },
      resamples: { type: 'number', description: 'Bootstrap resamples over users (default 1000, seeded).', placeholder: 'N' },
      metrics: { type: 'list', description: 'Rows of the printed table (default: all), e.g. recall@10,map,gauc.', placeholder: 'NAME,...' },
      protocol: { type: 'string', description: 'The lists ranked: viewed (the items each user viewed that day), catalog (every item of the dataset) or both (default).', placeholder: 'viewed|catalog|both' },
      'export-scores': { type: 'string', description: 'Also write the scored lists to this CSV (user, day, item, protocol, label, outcomes, candidate, baseline and sanity scores).', placeholder: 'FILE' },
      'export-protocol': { type: 'string', description: 'The protocol of --export-scores: viewed (default), catalog or both (catalog rows are users x days x items).', placeholder: 'viewed|catalog|both' },
      'no-wait': { type: 'boolean', description: 'Return once the evaluation is created, without waiting for its report.' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'evaluate <model> <version-name>');
      const group = str(args, 'group');
      const baselineGroup = str(args, 'baseline-group');
      if (baselineGroup && !group) throw new UsageError('--baseline-group: give the candidate group with --group NAME too');
      if (baselineGroup && str(args, 'baseline')) throw new UsageError('--baseline-group: give either --baseline VERSION or --baseline-group NAME, not both');
      if (group && args.positional[1]) throw new UsageError(`--group: the versions come from group "${group}"; leave out the version "${args.positional[1]}"`);
      const version = group ? '' : need(args, 1, '<version-name>', 'evaluate <model> <version-name> (or --group NAME)');
      const target = targetOf(args);
      const protocol = protocolFlag(args, 'protocol');
      const exportFile = str(args, 'export-scores');
      const exportProtocol = protocolFlag(args, 'export-protocol') ?? 'viewed';
      if (str(args, 'export-protocol') && !exportFile) throw new UsageError('--export-protocol: give --export-scores FILE too');
      if (exportFile && bool(args, 'no-wait')) throw new UsageError('--export-scores waits for the report; leave out --no-wait');
      if (exportFile && group) throw new UsageError('--export-scores: a group evaluation keeps no scores of its own; export a seed\'s with `modelops evaluations export <member-id>`');
      const res = await call<object, CreateEvaluationResponse__Output>(target, clientOf('EvaluationService', target), 'CreateEvaluation', {
        model, version, baseline: str(args, 'baseline') ?? '', dataset_id: str(args, 'dataset') ?? '', target: str(args, 'target') ?? '',
        ks: list(args, 'k').length ? parseKs(list(args, 'k')) : [], bootstrap_resamples: num(args, 'resamples') ?? 0,
        protocol: protocol ? PROTOCOL_ENUM[protocol] : 'EVALUATION_PROTOCOL_UNSPECIFIED',
        keep_scores: exportFile ? PROTOCOL_ENUM[exportProtocol] : 'EVALUATION_PROTOCOL_UNSPECIFIED',
        group: group ?? '', baseline_group: baselineGroup ?? '',
      });
      const created = res.evaluation!;
      if (bool(args, 'no-wait')) {
        emit(io, { evaluation: plain(created) }, () => io.out(`evaluation ${created.id} ${state(created.state)}; see \`modelops evaluations show ${created.id}\``));
        return 0;
      }
      const ended = await follow(target, created, io);
      const extra = exportFile && state(ended.state) === 'succeeded' ? { export: await exportScores(target, ended.id, exportProtocol, exportFile, io) } : {};
      return printEvaluation(io, ended, list(args, 'metrics'), extra);
    },
  },
  {
    name: 'evaluations show',
    summary: 'Show an evaluation and its report (metrics x days with baseline, delta and interval).',
    usage: '<evaluation-id>',
    flags: { metrics: { type: 'list', description: 'Rows of the printed table (default: all).', placeholder: 'NAME,...' } },
    async run(args, io) {
      const id = need(args, 0, '<evaluation-id>', 'evaluations show <evaluation-id>');
      return printEvaluation(io, await getEvaluation(targetOf(args), id), list(args, 'metrics'));
    },
  },
  {
    name: 'evaluations cancel',
    summary: 'Cancel a pending or running evaluation; it stops within a few seconds and ends cancelled.',
    usage: '<evaluation-id>',
    async run(args, io) {
      const id = need(args, 0, '<evaluation-id>', 'evaluations cancel <evaluation-id>');
      const target = targetOf(args);
      const res = await call<object, CancelEvaluationResponse__Output>(target, clientOf('EvaluationService', target), 'CancelEvaluation', { name: id });
      const e = res.evaluation!;
      emit(io, { evaluation: plain(e) }, () => io.out(`evaluation ${e.id}: ${state(e.state)}${e.error ? ` (${e.error})` : ''}`));
    },
  },
  {
    name: 'evaluations export',
    summary: 'Write the scores an evaluation kept to a CSV (the same file as evaluate --export-scores).',
    usage: '<evaluation-id>',
    flags: {
      out: { type: 'string', description: 'The CSV file to write.', placeholder: 'FILE' },
      protocol: { type: 'string', description: 'viewed (default), catalog or both; catalog scores exist when the evaluation was run with --export-protocol catalog or both.', placeholder: 'viewed|catalog|both' },
    },
    async run(args, io) {
      const id = need(args, 0, '<evaluation-id>', 'evaluations export <evaluation-id> --out FILE');
      const file = str(args, 'out');
      if (!file) throw new UsageError('--out: give the CSV file to write, e.g. --out scores.csv');
      const done = await exportScores(targetOf(args), id, protocolFlag(args, 'protocol') ?? 'viewed', file, io);
      emit(io, { export: done }, () => io.out(`wrote ${done.rows} rows (${(done.bytes / 1e6).toFixed(1)} MB) to ${done.file}`));
    },
  },
  {
    name: 'evaluations list',
    summary: 'List a model\'s evaluations, newest first.',
    usage: '<model>',
    flags: {
      version: { type: 'string', description: 'Only evaluations of this candidate version.', placeholder: 'VERSION' },
      ...pageFlags('Evaluations'),
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'evaluations list <model>');
      const target = targetOf(args);
      const res = await call<object, ListEvaluationsResponse__Output>(target, clientOf('EvaluationService', target), 'ListEvaluations', {
        model, version: str(args, 'version') ?? '', ...pageOf(args),
      });
      const rows = res.evaluations.map(plain);
      emitPage(io, 'evaluations', rows, res.next_page_token, () => {
        io.out(table(rows as Record<string, unknown>[], ['id', 'candidate_version', 'baseline_version', 'dataset_id', 'target', 'protocol', 'state', 'created']));
      });
    },
  },
  {
    name: 'compare',
    summary: 'Put two or more versions side by side from their stored evaluations on one dataset and target.',
    usage: '<model> <version> <version> [...]',
    flags: {
      dataset: { type: 'string', description: 'The dataset of the evaluations (default: that of the first version\'s newest one).', placeholder: 'ID' },
      target: { type: 'string', description: 'The target of the evaluations (default: that of the first version\'s newest one).', placeholder: 'LABEL' },
      day: { type: 'string', description: 'Show one held-out day instead of the overall values.', placeholder: 'YYYY-MM-DD' },
      metrics: { type: 'list', description: 'Rows of the printed table (default: all), e.g. recall@10,map,gauc (as evaluate).', placeholder: 'NAME,...' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'compare <model> <version> <version> [...]');
      const versions = args.positional.slice(1);
      const target = targetOf(args);
      const res = await call<object, CompareVersionsResponse__Output>(target, clientOf('EvaluationService', target), 'CompareVersions', {
        model, versions, dataset_id: str(args, 'dataset') ?? '', target: str(args, 'target') ?? '',
      });
      const day = str(args, 'day');
      const values = (v: CompareVersionsResponse__Output['versions'][number]) =>
        (day ? v.by_day.find((d) => d.day === day)?.metrics ?? {} : v.overall) as Record<string, number>;
      // The sanity baselines and saturation flags come from the first version's evaluation: every evaluation on
      // the same dataset and target ranks the same viewed lists, so they hold for every column.
      const first = res.versions[0] ? await getEvaluation(target, res.versions[0].evaluation_id) : null;
      const viewed = first?.report_json ? (JSON.parse(first.report_json) as { protocols?: { viewed?: ProtocolReport } }).protocols?.viewed : undefined;
      const sanityValues = (s: string): Record<string, number | null> => {
        const e = viewed?.sanity[s as keyof ProtocolReport['sanity']];
        return (day ? e?.by_day[day] : e?.overall) ?? {};
      };
      // Stored reports come back from jsonb with keys reordered: the baselines in their report order.
      const sanityNames = viewed ? SANITY_NAMES.filter((s) => viewed.sanity[s]) : [];
      const out = {
        dataset_id: res.dataset_id, target: res.target, protocol: 'viewed', metrics: res.metrics,
        versions: res.versions.map((v) => ({ version: v.version, number: v.number, evaluation_id: v.evaluation_id, as_candidate: v.as_candidate,
          overall: v.overall, by_day: Object.fromEntries(v.by_day.map((d) => [d.day, d.metrics])),
          delta_vs_baseline: Object.fromEntries(Object.entries(values(v)).map(([m, x]) => [m, x - ((values(res.versions.find((w) => !w.as_candidate) ?? res.versions[0])[m] as number | undefined) ?? NaN)]).filter(([, x]) => Number.isFinite(x as number))) })),
        sanity: viewed ? Object.fromEntries(sanityNames.map((s) => [s, { overall: viewed.sanity[s as keyof ProtocolReport['sanity']]!.overall, by_day: viewed.sanity[s as keyof ProtocolReport['sanity']]!.by_day }])) : null,
        informative: viewed?.informative ?? null,
      };
      emit(io, out, () => {
        // Each other version's difference from the comparison's baseline (the first version that was not the
        // candidate of its evaluation, else the first given), absolute and relative.
        const base = res.versions.find((v) => !v.as_candidate) ?? res.versions[0];
        const others = res.versions.filter((v) => v !== base);
        io.out(`dataset ${res.dataset_id}, target ${res.target}, protocol viewed, ${day ? `day ${day}` : 'all held-out days'}` +
          `${base && others.length ? `; Δ = version - ${base.version} (relative); every metric is higher-is-better; intervals: evaluations show <id>` : ''}`);
        const fmt = (m: string, v: number | null | undefined) => (v === null || v === undefined ? null : `${v.toFixed(4)}${viewed && viewed.informative[m] && !viewed.informative[m].informative ? '*' : ''}`);
        const deltaCol = (v: (typeof res.versions)[number]) => `Δ ${v.version}`;
        const diff = (m: string, v: (typeof res.versions)[number]) => {
          const a = values(v)[m];
          const b = values(base)[m];
          if (a === null || a === undefined || b === null || b === undefined) return null;
          const d = a - b;
          return `${d >= 0 ? '+' : ''}${d.toFixed(4)}${b !== 0 ? ` (${d >= 0 ? '+' : ''}${((100 * d) / Math.abs(b)).toFixed(1)}%)` : ''}`;
        };
        const rows = rowsOf(io, res.metrics, list(args, 'metrics')).map((m) => Object.fromEntries([['metric', m],
          ...res.versions.map((v) => [v.version, fmt(m, values(v)[m])]), ...others.map((v) => [deltaCol(v), diff(m, v)]),
          ...sanityNames.map((s) => [s, fmt(m, sanityValues(s)[m])])]));
        io.out(table(rows, ['metric', ...res.versions.map((v) => v.version), ...others.map(deltaCol), ...sanityNames]));
        if (viewed) io.out(`* uninformative on these lists (K >= the median list length ${viewed.median_list_length}, or every sanity baseline gets the same value); sanity columns from evaluation ${first!.id}`);
      });
    },
  },
];
