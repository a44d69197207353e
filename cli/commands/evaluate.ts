// `modelops evaluate`, `modelops compare` and `modelops evaluations list|show`: evaluate a version against a
// baseline on a dataset's held-out days, read stored evaluations, and put versions side by side.
import { bool, list, need, num, str, type Command, type Io } from '../command';
import { call, clientOf, targetOf, type Target } from '../client';
import { emit, isoTime, progressLine, table } from '../output';
import { parseKs } from './metrics';
import { reportTable, usersLine } from '../../ml/metrics/report-table';
import type { EvaluationReport } from '../../ml/metrics/evaluate';
import type { Evaluation__Output } from '../../proto/gen/modelops/v1/Evaluation';
import type { CreateEvaluationResponse__Output } from '../../proto/gen/modelops/v1/CreateEvaluationResponse';
import type { GetEvaluationResponse__Output } from '../../proto/gen/modelops/v1/GetEvaluationResponse';
import type { ListEvaluationsResponse__Output } from '../../proto/gen/modelops/v1/ListEvaluationsResponse';
import type { CompareVersionsResponse__Output } from '../../proto/gen/modelops/v1/CompareVersionsResponse';

const state = (s: string) => s.replace('EVALUATION_STATE_', '').toLowerCase();

/** The evaluation's fields for people and scripts (without the report). */
function plain(e: Evaluation__Output) {
  return {
    id: e.id, name: e.name, model: e.model, candidate_version: e.candidate_version, baseline_version: e.baseline_version || null,
    dataset_id: e.dataset_id, target: e.target, state: state(e.state), progress: e.progress, phase: e.phase, error: e.error || null,
    ks: e.ks, bootstrap_resamples: e.bootstrap_resamples, created_by: e.created_by, created: isoTime(e.create_time), updated: isoTime(e.update_time),
  };
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

/** Prints an evaluation with its report: the metrics x days table, or the JSON document. */
function printEvaluation(io: Io, e: Evaluation__Output, metrics: string[]): number {
  const report = e.report_json ? (JSON.parse(e.report_json) as EvaluationReport) : null;
  emit(io, { evaluation: plain(e), ...(report ?? {}) }, () => {
    io.out(`evaluation ${e.id}: ${e.candidate_version} vs ${e.baseline_version || '(no baseline)'} on ${e.dataset_id}, target ${e.target}: ${state(e.state)}`);
    if (e.error) io.out(`error: ${e.error}`);
    if (!report) return;
    io.out(usersLine(report));
    io.out('');
    const rows = rowsOf(io, report.metrics, metrics);
    io.out(reportTable(report, rows));
    if (Object.keys(report.by_group).length > 0) {
      io.out('\nby duration group (video length quartiles):');
      io.out(reportTable(report, rows, 'group'));
    }
    if (report.bootstrap) io.out(`\ndelta = candidate - baseline (relative gain); [95% paired bootstrap interval over users, ${report.bootstrap.resamples} resamples, seed ${report.bootstrap.seed}]`);
    io.out('definitions: --json (key "definitions") or docs/evaluation.md');
  });
  return state(e.state) === 'failed' ? 1 : 0;
}

/** The CLI commands `evaluate`, `evaluations list|show` and `compare` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'evaluate',
    summary: 'Evaluate a version against a baseline on a dataset\'s held-out days: metrics per day and duration group, deltas and 95% intervals.',
    usage: '<model> <version-name>',
    flags: {
      baseline: { type: 'string', description: 'The baseline version or alias (default: the model\'s baseline alias, else production).', placeholder: 'VERSION' },
      dataset: { type: 'string', description: 'The dataset whose held-out rows are scored (default: the candidate\'s training dataset).', placeholder: 'ID' },
      target: { type: 'string', description: 'The target label: wtg, p90, pcc98, wtg:pcc, wtg-quantile (default: the dataset\'s label).', placeholder: 'LABEL' },
      k: { type: 'list', description: 'Cut-offs K (default 5,10,50,100; those of the model\'s gate policy are always added).', placeholder: 'K,...' },
      resamples: { type: 'number', description: 'Bootstrap resamples over users (default 1000, seeded).', placeholder: 'N' },
      metrics: { type: 'list', description: 'Rows of the printed table (default: all), e.g. recall@10,map,gauc.', placeholder: 'NAME,...' },
      'no-wait': { type: 'boolean', description: 'Return once the evaluation is created, without waiting for its report.' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'evaluate <model> <version-name>');
      const version = need(args, 1, '<version-name>', 'evaluate <model> <version-name>');
      const target = targetOf(args);
      const res = await call<object, CreateEvaluationResponse__Output>(target, clientOf('EvaluationService', target), 'CreateEvaluation', {
        model, version, baseline: str(args, 'baseline') ?? '', dataset_id: str(args, 'dataset') ?? '', target: str(args, 'target') ?? '',
        ks: list(args, 'k').length ? parseKs(list(args, 'k')) : [], bootstrap_resamples: num(args, 'resamples') ?? 0,
      });
      const created = res.evaluation!;
      if (bool(args, 'no-wait')) {
        emit(io, { evaluation: plain(created) }, () => io.out(`evaluation ${created.id} ${state(created.state)}; see \`modelops evaluations show ${created.id}\``));
        return 0;
      }
      return printEvaluation(io, await follow(target, created, io), list(args, 'metrics'));
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
    name: 'evaluations list',
    summary: 'List a model\'s evaluations, newest first.',
    usage: '<model>',
    flags: {
      version: { type: 'string', description: 'Only evaluations of this candidate version.', placeholder: 'VERSION' },
      'page-size': { type: 'number', description: 'Evaluations per page (default 50, max 500).' },
      'page-token': { type: 'string', description: 'Continue from a previous page.' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'evaluations list <model>');
      const target = targetOf(args);
      const res = await call<object, ListEvaluationsResponse__Output>(target, clientOf('EvaluationService', target), 'ListEvaluations', {
        model, version: str(args, 'version') ?? '', page_size: num(args, 'page-size') ?? 0, page_token: str(args, 'page-token') ?? '',
      });
      const rows = res.evaluations.map(plain);
      emit(io, { evaluations: rows, next_page_token: res.next_page_token }, () => {
        io.out(table(rows as Record<string, unknown>[], ['id', 'candidate_version', 'baseline_version', 'dataset_id', 'target', 'state', 'created']));
        if (res.next_page_token) io.out(`more: --page-token ${res.next_page_token}`);
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
      const out = {
        dataset_id: res.dataset_id, target: res.target, metrics: res.metrics,
        versions: res.versions.map((v) => ({ version: v.version, number: v.number, evaluation_id: v.evaluation_id, as_candidate: v.as_candidate,
          overall: v.overall, by_day: Object.fromEntries(v.by_day.map((d) => [d.day, d.metrics])) })),
      };
      emit(io, out, () => {
        io.out(`dataset ${res.dataset_id}, target ${res.target}, ${day ? `day ${day}` : 'all held-out days'}`);
        const rows = rowsOf(io, res.metrics, list(args, 'metrics')).map((m) => Object.fromEntries([['metric', m], ...res.versions.map((v) => [v.version, values(v)[m] ?? null])]));
        io.out(table(rows, ['metric', ...res.versions.map((v) => v.version)]));
      });
    },
  },
];
