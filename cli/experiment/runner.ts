// `modelops experiment run`: carries out a specification through the public API (FeatureService,
// TrainingService, EvaluationService, RegistryService) and records its progress on the server
// (ExperimentService), so that a rerun of the same file resumes it: datasets, versions and evaluations that
// exist are reused, work still running on the server is waited for, and only what is missing is started.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { Io } from '../command';
import { RpcError, stream, clientOf, upload, type Target } from '../client';
import { kuairandFiles, modelopsFiles } from '../commands/data';
import { groupVersions, importDirCandidates, planOf, SpecError, type DatasetNeed, type EvaluationNeed, type ExperimentSpec, type Plan, type RowSpec } from './spec';
import { isCode, pool, rpc, sleep } from '../busy-retry';
import { codeVersion, provenanceOf } from '../../core/provenance';
import { buildReport, type Measured, type ExperimentReport } from './report';
import { renderMarkdown } from './markdown';
import { plotsOf } from './plots';
import { scoreLengthCorrelation } from './correlation';
import type { Experiment__Output } from '../../proto/gen/modelops/v1/Experiment';
import type { Dataset__Output } from '../../proto/gen/modelops/v1/Dataset';
import type { TrainingJob__Output } from '../../proto/gen/modelops/v1/TrainingJob';

/** A failure of the run that its message explains (a job or evaluation that failed, a partial seed group). */
export class RunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

/** What one run did: how much it made and how much it found made already. */
export interface RunCounts {
  datasets_built: number;
  datasets_reused: number;
  versions_trained: number;
  versions_reused: number;
  evaluations_run: number;
  evaluations_reused: number;
}

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

/** Options of a run. */
export interface RunOptions {
  spec: ExperimentSpec;
  specFile: string;
  target: Target;
  io: Io;
  /** A folder for report.md, report.json and the plots. */
  out?: string;
  /** The command line that started the run, recorded in the report. */
  command: string;
  /** Where the files of data.import are (--data-dir), instead of data.import.dir; not part of the specification. */
  dataDir?: string;
}

/** A row's record as the runner keeps it (ExperimentRow). */
interface RowState { name: string; state: string; detail: string; dataset_ids: string[]; versions: string[]; evaluation_ids: string[]; training_seconds: number[] }

const TERMINAL_JOB = ['TRAINING_JOB_STATE_SUCCEEDED', 'TRAINING_JOB_STATE_FAILED', 'TRAINING_JOB_STATE_CANCELLED'];
const TERMINAL_EVAL = ['EVALUATION_STATE_SUCCEEDED', 'EVALUATION_STATE_FAILED', 'EVALUATION_STATE_CANCELLED'];

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

  try {
    // Data: the events, then every dataset.
    await ensureModel(target, spec);
    const datasetIds = await ensureDatasets(o, plan, rows, counts, step, say, onRetry, (changed) => push(changed, 'datasets', true));
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
      await trainRow(o, r, row, datasetIds.get(plan.trainOn[r.name])!, counts, step, say, onRetry);
    });

    // Evaluations, each once, at most `concurrency` in flight.
    const evaluations = new Map<string, { id: string; report: any }>();
    for (const r of spec.rows) { const row = rows.get(r.name)!; row.state = 'evaluating'; row.evaluation_ids = []; }
    await pool(plan.evaluations, spec.concurrency, async (e) => {
      const got = await evaluate(o, e, datasetIds.get(e.dataset)!, counts, step, say, onRetry);
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

type Step = (row: RowState | null, phase: string, unitsDone?: number) => Promise<void>;
type Say = (s: string) => void;
type OnRetry = (what: string) => (attempt: number, ms: number) => void;

async function ensureModel(target: Target, spec: ExperimentSpec): Promise<void> {
  await rpc(target, 'RegistryService', 'CreateModel', { model_id: spec.model, description: (spec.description || `experiment ${spec.name}`).slice(0, 1000) }).catch((err) => {
    if (!isCode(err, grpc.status.ALREADY_EXISTS)) throw err;
  });
}

/** Every dataset of the plan by key: reused from the experiment's rows or a matching ready dataset, else built. */
async function ensureDatasets(o: RunOptions, plan: Plan, rows: Map<string, RowState>, counts: RunCounts, step: Step, say: Say, onRetry: OnRetry,
  push: (changed: RowState[]) => Promise<void>): Promise<Map<string, string>> {
  const { spec, target } = o;
  const d = spec.data;
  const matches = (ds: Dataset__Output, n: DatasetNeed) => ds.state === 'DATASET_STATE_READY' && ds.source === d.source && ds.window === d.window &&
    ds.label === n.label && ds.task === n.task && ds.buckets === n.buckets && Math.abs(ds.train_frac - d.train_frac) < 1e-9 &&
    typeof ds.val_frac === 'number' && Math.abs(ds.val_frac - d.val_frac) < 1e-9;
  // Candidates: the datasets this experiment recorded (its filters are part of its specification).
  const recorded: Dataset__Output[] = [];
  for (const id of new Set([...rows.values()].flatMap((r) => r.dataset_ids))) {
    const got = await rpc<{ dataset: Dataset__Output }>(target, 'FeatureService', 'GetDataset', { name: id }).catch(() => null);
    if (got) recorded.push(got.dataset);
  }
  const ids = new Map<string, string>();
  const missing: DatasetNeed[] = [];
  for (const n of plan.datasets) {
    const found = recorded.find((ds) => matches(ds, n));
    if (found) {
      ids.set(n.key, found.id);
      counts.datasets_reused++;
      await step(null, `dataset ${n.key}: reusing ${found.id}`, 1);
    } else missing.push(n);
  }
  if (missing.length === 0) return ids;
  await ensureEvents(o, recorded.length > 0, step, say);
  await pool(missing, spec.concurrency, async (n) => {
    // A build that fails is tried again twice (each try is a new dataset): on a busy machine a build can lose its
    // connection to the artifact store (ECONNRESET) and succeed the next time.
    for (let attempt = 1; ; attempt++) {
      const { dataset } = await rpc<{ dataset: Dataset__Output }>(target, 'FeatureService', 'BuildDataset', {
        window: d.window, train_frac: d.train_frac, val_frac: d.val_frac, label: n.label, task: n.task, buckets: n.buckets, source: d.source,
        min_user_views: d.min_user_views, max_user_views: d.max_user_views, min_item_views: d.min_item_views,
      }, onRetry(`dataset ${n.key}`));
      say(`dataset ${n.key}: building ${dataset.id}${attempt > 1 ? ` (try ${attempt})` : ''}`);
      let ds: Dataset__Output;
      for (;;) {
        ({ dataset: ds } = await rpc<{ dataset: Dataset__Output }>(target, 'FeatureService', 'GetDataset', { name: dataset.id }));
        if (ds.state !== 'DATASET_STATE_BUILDING') break;
        await sleep(1000);
      }
      if (ds.state === 'DATASET_STATE_READY') {
        ids.set(n.key, ds.id);
        counts.datasets_built++;
        // Recorded at once, so that a run stopped later reuses it.
        const using = [...rows.values()].filter((r) => plan.trainOn[r.name] === n.key || plan.evalOn[r.name] === n.key);
        for (const r of using) r.dataset_ids = [...new Set([...r.dataset_ids, ds.id])];
        await step(using[0] ?? null, `dataset ${n.key}: ${ds.id} ready, ${Number(ds.counts.rows_kept ?? 0).toLocaleString('en-US')} rows kept`, 1);
        if (using.length > 1) await push(using.slice(1));
        return;
      }
      if (attempt >= 3) throw new RunFailure(`dataset ${ds.id} (${n.key}) failed: ${ds.error}`);
      say(`dataset ${n.key}: ${ds.id} failed (${ds.error}); building it again`);
    }
  });
  return ids;
}

/** Makes sure the source has events: imports the files or generates the log (both idempotent on the server). */
async function ensureEvents(o: RunOptions, seen: boolean, step: Step, say: Say): Promise<void> {
  const { spec, target, io } = o;
  const d = spec.data;
  if (seen) return;
  if (d.generate) {
    const g = d.generate;
    const res = await rpc<{ counts: Record<string, string> }>(target, 'FeatureService', 'GenerateEvents', {
      users: g.users, items: g.items, days: g.days, seed: g.seed, views_per_day: g.views_per_day ?? 0, source: d.source,
    });
    await step(null, `events: synthetic log ${d.source}: ${Number(res.counts.views_inserted ?? 0)} views inserted, ${Number(res.counts.views_already_stored ?? 0)} already stored`);
    return;
  }
  if (!d.import) {
    say(`events: using source ${d.source} as it is on the server (the specification names no files to import)`);
    return;
  }
  const dirs = o.dataDir ? [path.resolve(o.dataDir)] : importDirCandidates(d.import.dir, o.specFile);
  const dir = dirs.find((x) => fs.existsSync(x));
  if (!dir) throw new SpecError(`data.import.dir: ${o.dataDir ? `--data-dir ${o.dataDir}` : d.import.dir} not found (looked in ${[...new Set(dirs)].join(' and ')}); put the data there, or give its folder with --data-dir`);
  const { files, defaults } = d.import.format === 'kuairand' ? { files: kuairandFiles(dir), defaults: {} as { timezone?: string; language?: string; dim?: number } } : modelopsFiles(dir);
  await step(null, `events: importing ${files.map((f) => path.basename(f)).join(', ')} from ${dir} into source ${d.source} (views already stored are skipped)`);
  const total = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  let sent = 0;
  async function* messages() {
    yield { header: { format: d.import!.format, source: d.source, timezone: defaults.timezone ?? '', language: defaults.language ?? '', dim: defaults.dim ?? 0 } };
    for (const f of files) {
      for await (const data of fs.createReadStream(f, { highWaterMark: 256 * 1024 })) {
        yield { chunk: { file_name: path.basename(f), data } };
        sent += (data as Buffer).length;
      }
    }
  }
  const timer = setInterval(() => io.err(sent < total ? `  sent ${(sent / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB\n` : '  all sent; the server is loading the views\n'), 10_000);
  try {
    const res = await upload<object, { counts: Record<string, string> }>(target, clientOf('FeatureService', target), 'ImportEvents', messages());
    await step(null, `events: ${Number(res.counts.views_inserted ?? 0).toLocaleString('en-US')} views inserted, ${Number(res.counts.views_already_stored ?? 0).toLocaleString('en-US')} already stored`);
  } finally {
    clearInterval(timer);
  }
}

/** The training request of a row (every `modelops train` setting from the specification). */
function trainRequest(spec: ExperimentSpec, r: RowSpec, datasetId: string) {
  return {
    model: spec.model, version_name: r.name, dataset_id: datasetId, arch: r.arch, task: r.task, seed: spec.seed,
    hyperparameters: { epochs: r.epochs, batch_size: r.batch_size, learning_rate: r.learning_rate, hidden: r.hidden, vector_dim: r.vector_dim,
      cat_dim: r.cat_dim, grl_lambda: r.grl_lambda, patience: r.patience, negatives: r.negatives },
    ...(spec.seeds > 1 ? { seeds: spec.seeds } : {}),
  };
}

/** Trains a row's seed group, reusing versions that exist and waiting for jobs that run. */
async function trainRow(o: RunOptions, r: RowSpec, row: RowState, datasetId: string, counts: RunCounts, step: Step, say: Say, onRetry: OnRetry): Promise<void> {
  const { spec, target } = o;
  const names = groupVersions(r.name, spec.seeds);
  const found = await Promise.all(names.map((n) => rpc<{ version: any }>(target, 'RegistryService', 'GetModelVersion', { model: spec.model, version: n })
    .then((res) => res.version, (err) => { if (isCode(err, grpc.status.NOT_FOUND)) return null; throw err; })));
  // A version is reused only when it was trained with this row's recipe: a changed recipe under the same name would
  // otherwise be reported with the old one's numbers.
  for (const v of found) {
    const diff = v ? recipeDifference(r, datasetId, v) : null;
    if (diff) {
      throw new RunFailure(`row ${r.name}: version ${v.name} exists with other settings (${diff}); give the row another name, or the experiment another model, to train the new recipe`);
    }
  }
  const exists = found.map((v) => v !== null);
  const jobs = await jobsOf(target, spec.model, names);
  if (exists.every(Boolean)) {
    counts.versions_reused += names.length;
    row.versions = names;
    row.training_seconds = names.map((n) => jobs.get(n)?.duration_seconds ?? NaN);
    await step(row, `${r.name}: ${names.length} version(s) exist, reused`, names.length);
    return;
  }
  let active = names.map((n) => jobs.get(n)).filter((j): j is TrainingJob__Output => !!j && !TERMINAL_JOB.includes(j.state));
  if (active.length === 0) {
    if (exists.some(Boolean)) {
      throw new RunFailure(`row ${r.name}: versions ${names.filter((_, i) => exists[i]).join(', ')} exist but ${names.filter((_, i) => !exists[i]).join(', ')} do not ` +
        '(a seed failed earlier); rename the row or give the experiment another model, so the group is trained whole');
    }
    row.detail = `training ${names.length} seed(s)`;
    await step(row, `${r.name}: training ${names.length} seed(s) (${r.arch}, ${r.label} ${r.task}, ${r.buckets}, ${r.epochs} epochs, lr ${r.learning_rate})`);
    const res = await rpc<{ job: TrainingJob__Output; jobs?: TrainingJob__Output[] }>(target, 'TrainingService', 'StartTrainingJob', trainRequest(spec, r, datasetId), onRetry(`training ${r.name}`));
    active = res.jobs && res.jobs.length ? res.jobs : [res.job];
    if (active.length !== names.length) {
      throw new RunFailure(`row ${r.name}: the server started ${active.length} job(s) for ${names.length} seeds; it does not train seed groups (StartTrainingJob.seeds): upgrade the server`);
    }
  } else {
    say(`${r.name}: ${active.length} training job(s) already running on the server; waiting for them`);
  }
  let reported = 0;
  const ended = await Promise.all(active.map(async (j) => {
    for (;;) {
      const { job } = await rpc<{ job: TrainingJob__Output }>(target, 'TrainingService', 'GetTrainingJob', { name: j.id });
      if (TERMINAL_JOB.includes(job.state)) {
        if (job.state !== 'TRAINING_JOB_STATE_SUCCEEDED') throw new RunFailure(`training ${job.version_name} (job ${job.id}) ${job.state.replace('TRAINING_JOB_STATE_', '').toLowerCase()}: ${job.error}`);
        reported++;
        counts.versions_trained++;
        row.detail = `${reported} of ${names.length} seed(s) trained`;
        await step(row, `${job.version_name}: trained in ${job.duration_seconds.toFixed(0)} s (${job.backend}; ${Object.entries(job.metrics).map(([k, v]) => `${k} ${Number(v).toFixed(4)}`).join(', ')})`, 1);
        return job;
      }
      await sleep(2000);
    }
  }));
  // Seeds trained before this run (a group is started whole, so there are none unless it was resumed) count as reused.
  counts.versions_reused += names.length - ended.length;
  row.versions = names;
  const byName = new Map(ended.map((j) => [j.version_name, j.duration_seconds]));
  row.training_seconds = names.map((n) => byName.get(n) ?? jobs.get(n)?.duration_seconds ?? NaN);
  row.detail = '';
}

/** What differs between a row's recipe and a stored version's settings, in words; null when they agree. */
export function recipeDifference(r: RowSpec, datasetId: string, v: { arch: string; task: string; dataset_id: string; hyperparameters_json: string }): string | null {
  const out: string[] = [];
  if (v.arch !== r.arch) out.push(`arch ${v.arch}, the row ${r.arch}`);
  if (v.task !== r.task) out.push(`task ${v.task}, the row ${r.task}`);
  if (v.dataset_id !== datasetId) out.push(`dataset ${v.dataset_id}, the row's ${datasetId}`);
  let h: Record<string, unknown> = {};
  try {
    h = JSON.parse(v.hyperparameters_json || '{}');
  } catch {
    h = {};
  }
  const want: Record<string, unknown> = { epochs: r.epochs, batch_size: r.batch_size, learning_rate: r.learning_rate, hidden: r.hidden,
    vector_dim: r.vector_dim, cat_dim: r.cat_dim, patience: r.patience, negatives: r.negatives, ...(r.arch === 'two-tower-grl' ? { grl_lambda: r.grl_lambda } : {}) };
  for (const [k, x] of Object.entries(want)) {
    const camel = k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const got = h[k] ?? h[camel];
    if (got !== undefined && got !== null && !(k === 'negatives' && !got && !x) && JSON.stringify(got) !== JSON.stringify(x)) out.push(`${k} ${JSON.stringify(got)}, the row ${JSON.stringify(x)}`);
  }
  return out.length ? out.join('; ') : null;
}

/** The newest training job of each version name of the model. */
async function jobsOf(target: Target, model: string, names: string[]): Promise<Map<string, TrainingJob__Output>> {
  const out = new Map<string, TrainingJob__Output>();
  let token = '';
  do {
    const res = await rpc<{ jobs: TrainingJob__Output[]; next_page_token: string }>(target, 'TrainingService', 'ListTrainingJobs', { model, page_size: 500, page_token: token });
    for (const j of res.jobs) if (names.includes(j.version_name) && !out.has(j.version_name)) out.set(j.version_name, j);
    token = res.next_page_token;
  } while (token);
  return out;
}

/** One evaluation of the plan: a succeeded one with the same settings is reused, else one is run. */
async function evaluate(o: RunOptions, e: EvaluationNeed, datasetId: string, counts: RunCounts, step: Step, say: Say, onRetry: OnRetry): Promise<{ id: string; report: any }> {
  const { spec, target } = o;
  const grouped = spec.seeds > 1;
  const ks = spec.evaluation.ks;
  const want = (ev: any) => ev.state === 'EVALUATION_STATE_SUCCEEDED' && ev.dataset_id === datasetId && ev.target === e.target &&
    Number(ev.bootstrap_resamples) === spec.evaluation.resamples && (ev.protocol === spec.evaluation.protocol) &&
    ks.every((k) => ev.ks.map(Number).includes(k)) &&
    (grouped ? ev.group === e.row && (ev.baseline_group ?? '') === e.against
      : ev.candidate_version === e.row && !ev.group && ev.baseline_version === e.against);
  let token = '';
  do {
    const res = await rpc<{ evaluations: any[]; next_page_token: string }>(target, 'EvaluationService', 'ListEvaluations', { model: spec.model, version: e.row, page_size: 500, page_token: token });
    const hit = res.evaluations.find(want);
    if (hit) {
      const { evaluation } = await rpc<{ evaluation: any }>(target, 'EvaluationService', 'GetEvaluation', { name: hit.id });
      counts.evaluations_reused++;
      await step(null, `evaluation ${describe(e)}: reusing ${hit.id}`, 1);
      return { id: hit.id, report: JSON.parse(evaluation.report_json) };
    }
    token = res.next_page_token;
  } while (token);
  const protocolEnum = { viewed: 'EVALUATION_PROTOCOL_VIEWED', catalog: 'EVALUATION_PROTOCOL_CATALOG', both: 'EVALUATION_PROTOCOL_BOTH' }[spec.evaluation.protocol];
  const req = {
    model: spec.model, dataset_id: datasetId, target: e.target, ks, bootstrap_resamples: spec.evaluation.resamples, protocol: protocolEnum,
    ...(grouped ? { version: '', group: e.row, ...(e.against ? { baseline_group: e.against } : {}) } : { version: e.row, baseline: e.against }),
  };
  const { evaluation: created } = await rpc<{ evaluation: any }>(target, 'EvaluationService', 'CreateEvaluation', req, onRetry(`evaluation ${describe(e)}`));
  if (grouped && !created.group) {
    throw new RunFailure(`evaluation ${describe(e)}: the server evaluated one version, not the seed group (CreateEvaluationRequest.group): upgrade the server`);
  }
  say(`evaluation ${describe(e)}: running ${created.id}`);
  let lastSaid = Date.now();
  for (;;) {
    const { evaluation: ev } = await rpc<{ evaluation: any }>(target, 'EvaluationService', 'GetEvaluation', { name: created.id });
    if (TERMINAL_EVAL.includes(ev.state)) {
      if (ev.state !== 'EVALUATION_STATE_SUCCEEDED') throw new RunFailure(`evaluation ${describe(e)} (${ev.id}) ${ev.state.replace('EVALUATION_STATE_', '').toLowerCase()}: ${ev.error}`);
      counts.evaluations_run++;
      await step(null, `evaluation ${describe(e)}: ${ev.id} done`, 1);
      return { id: ev.id, report: JSON.parse(ev.report_json) };
    }
    if (Date.now() - lastSaid > 30_000) {
      lastSaid = Date.now();
      say(`evaluation ${describe(e)}: ${ev.phase || ev.state} ${(100 * Number(ev.progress)).toFixed(0)}%`);
    }
    await sleep(1500);
  }
}

function describe(e: EvaluationNeed): string {
  return `${e.row}${e.against ? ` vs ${e.against}` : ''} on ${e.dataset} (target ${e.target})`;
}

/** Reads the kept viewed-protocol scores of an evaluation and correlates them with video length. */
async function readCorrelation(target: Target, evaluationId: string) {
  const chunks: Buffer[] = [];
  for await (const m of stream<object, { data: Buffer }>(target, clientOf('EvaluationService', target), 'ExportEvaluationScores', { name: evaluationId, protocol: 'EVALUATION_PROTOCOL_VIEWED' })) {
    if (m.data?.length) chunks.push(Buffer.from(m.data));
  }
  return scoreLengthCorrelation(Buffer.concat(chunks).toString('utf8'));
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
