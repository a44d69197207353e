// `modelops experiment run`: carries out a specification through the public API (FeatureService,
// TrainingService, EvaluationService, RegistryService) and records its progress on the server
// (ExperimentService), so that a rerun of the same file resumes it: datasets, versions and evaluations that
// exist are reused, work still running on the server is waited for, and only what is missing is started.
// The steps are run-data.ts (events and datasets), run-training.ts (seed groups) and run-evaluations.ts; this file
// orders them, records progress, and assembles and writes the report.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { RpcError, type Target } from '../client';
import type { ExperimentSpec } from './spec';
import { planOf } from './plan';
import { isCode, pool, rpc } from '../busy-retry';
import { codeVersion, provenanceOf } from '../../core/provenance';
import { buildReport, type Measured, type ExperimentReport } from './report';
import { renderMarkdown } from './markdown';
import { plotsOf } from './plots';
import type { scoreLengthCorrelation } from './correlation';
import { ensureDatasets } from './run-data';
import { trainRow } from './run-training';
import { evaluate, readCorrelation } from './run-evaluations';
import type { RowState, RunCounts, RunOptions, RunSteps } from './run-state';
import type { Experiment__Output } from '../../proto/gen/modelops/v1/Experiment';
import type { Dataset__Output } from '../../proto/gen/modelops/v1/Dataset';

export { RunFailure, type RunCounts, type RunOptions } from './run-state';

/** The outcome of a run. */
export interface RunResult {
  experiment: Experiment__Output;
  /** True when the server had this specification's experiment already (this run resumed it). */
  resumed: boolean;
  report: ExperimentReport;
  markdown: string;
  plots: Record<string, string>;
  counts: RunCounts;
  /** Files written under --out. */
  files: string[];
  wall_seconds: number;
}

/** Says plainly that nothing answers at the target, or passes the error on. */
async function probe(target: Target): Promise<void> {
  try {
    await rpc(target, 'ExperimentService', 'ListExperiments', { page_size: 1 });
  } catch (err) {
    if (isCode(err, grpc.status.UNAVAILABLE)) {
      throw new RpcError(grpc.status.UNAVAILABLE, `nothing answers at ${target.addr} (MODELOPS_ADDR / --addr): start the platform with \`npm start\` ` +
        `(or \`modelops serve\`), or point MODELOPS_ADDR at a running one; ${(err as RpcError).details}`);
    }
    if (isCode(err, grpc.status.UNIMPLEMENTED)) {
      throw new RpcError(grpc.status.UNIMPLEMENTED, `the server at ${target.addr} has no ExperimentService: it runs an older modelops; upgrade it`);
    }
    throw err;
  }
}

/** Runs (or resumes) an experiment; progress goes to stderr and to the server's record. */
export async function runExperiment(o: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const { spec, target, io } = o;
  const plan = planOf(spec);
  const say = (s: string) => io.err(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
  const counts: RunCounts = { datasets_built: 0, datasets_reused: 0, versions_trained: 0, versions_reused: 0, evaluations_run: 0, evaluations_reused: 0 };
  const onRetry = (what: string) => (attempt: number, ms: number) => say(`${what}: the server is busy (RESOURCE_EXHAUSTED); retry ${attempt} in ${(ms / 1000).toFixed(1)} s`);

  await probe(target);
  const cv = codeVersion();
  const code = `modelops ${cv.code_version}${cv.git_commit ? ` (git ${cv.git_commit}${cv.git_dirty ? '+dirty' : ''})` : ''}`;
  const seeds = Array.from({ length: spec.seeds }, (_, i) => spec.seed + i);
  const provenance = (datasetIds: string[]) => {
    const p = provenanceOf({ datasetIds, seeds, spec });
    return { ...p, spec_json: JSON.stringify(p.spec), spec: undefined };
  };
  const created = await rpc<{ experiment: Experiment__Output; existing: boolean }>(target, 'ExperimentService', 'CreateExperiment', {
    title: spec.name, spec_json: JSON.stringify(spec), row_names: spec.rows.map((r) => r.name), code_version: code, provenance: provenance([]),
  });
  const exp = created.experiment;
  say(`experiment ${exp.id} (${spec.name}) ${created.existing ? 'resumed: finished work is reused' : 'created'} on ${target.addr}; ` +
    `${spec.rows.length} rows x ${spec.seeds} seed(s), baseline ${spec.baseline}, model ${spec.model}`);
  const rows = new Map<string, RowState>();
  for (const r of exp.rows) rows.set(r.name, { ...r, training_seconds: r.training_seconds.map(Number) });
  for (const r of spec.rows) if (!rows.has(r.name)) rows.set(r.name, { name: r.name, state: 'pending', detail: '', dataset_ids: [], versions: [], evaluation_ids: [], training_seconds: [] });

  const units = plan.datasets.length + spec.rows.length * spec.seeds + plan.evaluations.length + 1;
  let doneUnits = 0;
  let lastPush = 0;
  const push = async (changed: RowState[], phase: string, force = false) => {
    if (!force && changed.length === 0 && Date.now() - lastPush < 2000) return;
    lastPush = Date.now();
    await rpc(target, 'ExperimentService', 'UpdateExperiment', {
      name: exp.name, state: 'EXPERIMENT_STATE_RUNNING', progress: Math.min(1, doneUnits / units), phase, rows: changed, code_version: code,
    }).catch((err: Error) => say(`could not record progress on the server (${err.message}); the run goes on`));
  };
  const step = async (row: RowState | null, phase: string, unitsDone = 0) => {
    doneUnits += unitsDone;
    say(`[${String(Math.round((100 * doneUnits) / units)).padStart(3)}%] ${phase}`);
    await push(row ? [row] : [], phase, true);
  };
  await push([...rows.values()], 'starting', true);
  const steps: RunSteps = { o, counts, step, say, onRetry };

  try {
    // Data: the events, then every dataset.
    await ensureModel(target, spec);
    const datasetIds = await ensureDatasets(steps, plan, rows, (changed) => push(changed, 'datasets', true));
    for (const r of spec.rows) {
      const row = rows.get(r.name)!;
      const own = datasetIds.get(plan.trainOn[r.name])!;
      const ids = plan.evaluations.filter((e) => e.row === r.name).map((e) => datasetIds.get(e.dataset)!);
      row.dataset_ids = [...new Set([own, ...ids])];
    }

    // Training: each row's seed group, at most `concurrency` rows in flight.
    await pool(spec.rows, spec.concurrency, async (r) => {
      const row = rows.get(r.name)!;
      row.state = 'training';
      await trainRow(steps, r, row, datasetIds.get(plan.trainOn[r.name])!);
    });

    // Evaluations, each once, at most `concurrency` in flight.
    const evaluations = new Map<string, { id: string; report: any }>();
    for (const r of spec.rows) { const row = rows.get(r.name)!; row.state = 'evaluating'; row.evaluation_ids = []; }
    await pool(plan.evaluations, spec.concurrency, async (e) => {
      const got = await evaluate(steps, e, datasetIds.get(e.dataset)!);
      evaluations.set(e.key, got);
      const row = rows.get(e.row)!;
      row.evaluation_ids = [...row.evaluation_ids, got.id];
      await push([row], `evaluated ${e.row}`);
    });

    // Score against length, on the viewed lists of each row's own evaluation (its first seed).
    await step(null, 'reading scores for the score-vs-length correlation');
    const correlations: Record<string, ReturnType<typeof scoreLengthCorrelation> | null> = {};
    for (const e of plan.evaluations.filter((x) => x.purpose === 'own')) {
      const ev = evaluations.get(e.key)!;
      const memberId = (ev.report?.group?.members?.[0]?.evaluation_id as string | undefined) ?? ev.id;
      correlations[e.row] = await readCorrelation(target, memberId).catch((err: Error) => {
        say(`score-vs-length correlation of ${e.row}: ${err.message}`);
        return null;
      });
    }

    const datasets: Record<string, Dataset__Output> = {};
    for (const [key, id] of datasetIds) datasets[key] = (await rpc<{ dataset: Dataset__Output }>(target, 'FeatureService', 'GetDataset', { name: id })).dataset;
    const measured: Measured = {
      evaluations: Object.fromEntries(plan.evaluations.map((e) => [e.key, { need: e, id: evaluations.get(e.key)!.id, report: evaluations.get(e.key)!.report }])),
      datasets: Object.fromEntries(Object.entries(datasets).map(([k, d]) => [k, { id: d.id, label: d.label, task: d.task, buckets: d.buckets, window: d.window,
        counts: Object.fromEntries(Object.entries(d.counts).map(([c, v]) => [c, Number(v)])), summary: d.summary_json ? JSON.parse(d.summary_json) : {} }])),
      rows: Object.fromEntries([...rows.values()].map((r) => [r.name, { versions: r.versions, training_seconds: r.training_seconds, dataset_ids: r.dataset_ids }])),
      correlations,
    };
    const wall = (Date.now() - started) / 1000;
    const report = buildReport(spec, plan, measured, { experimentId: exp.id, codeVersion: code, command: o.command, wallSeconds: wall, counts, addr: target.addr });
    const plots = plotsOf(report);
    const markdown = renderMarkdown(report, Object.keys(plots));
    for (const r of rows.values()) { r.state = 'done'; r.detail = ''; }
    const files = o.out ? writeOut(o.out, report, markdown, plots) : [];
    doneUnits = units;
    const final = await rpc<{ experiment: Experiment__Output }>(target, 'ExperimentService', 'UpdateExperiment', {
      name: exp.name, state: 'EXPERIMENT_STATE_SUCCEEDED', progress: 1, phase: 'done', rows: [...rows.values()],
      report_json: JSON.stringify(report), report_markdown: markdown, plots, error: '', code_version: code,
      provenance: provenance([...datasetIds.values()]),
    });
    say(`experiment ${exp.id} done in ${wall.toFixed(0)} s: ${counts.versions_trained} version(s) trained, ${counts.versions_reused} reused; ` +
      `${counts.evaluations_run} evaluation(s) run, ${counts.evaluations_reused} reused${files.length ? `; wrote ${o.out}` : ''}`);
    return { experiment: final.experiment, resumed: created.existing, report, markdown, plots, counts, files, wall_seconds: wall };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    for (const r of rows.values()) if (r.state !== 'done' && r.state !== 'pending' && !r.detail) r.detail = `stopped: ${message}`;
    await rpc(target, 'ExperimentService', 'UpdateExperiment', {
      name: exp.name, state: 'EXPERIMENT_STATE_FAILED', error: message, rows: [...rows.values()], phase: 'stopped',
    }).catch(() => undefined);
    throw err;
  }
}

/** Creates the experiment's model, unless it exists. */
async function ensureModel(target: Target, spec: ExperimentSpec): Promise<void> {
  await rpc(target, 'RegistryService', 'CreateModel', { model_id: spec.model, description: (spec.description || `experiment ${spec.name}`).slice(0, 1000) }).catch((err) => {
    if (!isCode(err, grpc.status.ALREADY_EXISTS)) throw err;
  });
}

/** Writes report.md, report.json and the plots into `dir`; returns the files written. */
function writeOut(dir: string, report: ExperimentReport, markdown: string, plots: Record<string, string>): string[] {
  fs.mkdirSync(path.join(dir, 'plots'), { recursive: true });
  const files: string[] = [];
  const put = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(`${f}.tmp`, text);
    fs.renameSync(`${f}.tmp`, f);
    files.push(f);
  };
  put('report.json', `${JSON.stringify(report, null, 2)}\n`);
  put('report.md', markdown);
  for (const [name, svg] of Object.entries(plots)) put(path.join('plots', name), svg);
  return files;
}
