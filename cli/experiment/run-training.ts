// The training of an experiment run: each row's seed group, reused when its versions exist with the row's recipe,
// waited for when its jobs run on the server, else started.
import * as grpc from '@grpc/grpc-js';
import type { Target } from '../client';
import type { ExperimentSpec, RowSpec } from './spec';
import { groupVersions } from './plan';
import { isCode, rpc, sleep } from '../busy-retry';
import { RunFailure, type RowState, type RunSteps } from './run-state';
import type { TrainingJob__Output } from '../../proto/gen/modelops/v1/TrainingJob';

const TERMINAL_JOB = ['TRAINING_JOB_STATE_SUCCEEDED', 'TRAINING_JOB_STATE_FAILED', 'TRAINING_JOB_STATE_CANCELLED'];

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
export async function trainRow(s: RunSteps, r: RowSpec, row: RowState, datasetId: string): Promise<void> {
  const { o, counts, step, say, onRetry } = s;
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
