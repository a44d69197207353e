// The TrainingService's policy: validate a start request (model, version name, dataset, arch, task,
// hyperparameters) and queue it, read and list jobs, cancel. Handlers (index.ts) only translate messages.
import { datasetIdOf, parseTrainingJobName } from '../../core/names';
import { DEFAULT_PATIENCE } from '../../ml/train/early-stopping';
import { checkModelId, checkVersionName } from '../../registry/model-names';
import type { ModelStore } from '../../registry/model-store';
import type { VersionStore } from '../../registry/version-store';
import type { ArtifactStore } from '../../registry/artifact-store';
import { checkArch, checkTask, DEFAULT_SIZES } from '../../ml/model/spec';
import { DomainError, invalid } from '../../core/errors';
import type { Hyperparameters, JobStore, TrainingJob } from '../../registry/job-store';
import type { JobRunner } from './job-runner';
import { datasetMeta } from './train-job';

/** A start request in domain terms (zero/empty means default). */
export interface StartInput {
  model: string;
  versionName: string;
  datasetId: string;
  arch: string;
  task: string;
  hyperparameters: Partial<Hyperparameters>;
  seed?: number;
  /** How many seeds to train (0/undefined/1: one version). */
  seeds?: number;
  createdBy: string;
}

/** The most seeds one request may train. */
export const MAX_SEEDS = 20;

/** The version names of a seed group of `n` seeds: NAME, NAME-s2, ..., NAME-sN. */
export function seedVersionNames(name: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i === 0 ? name : `${name}-s${i + 1}`));
}

/** The defaults of every hyperparameter. */
export const DEFAULT_HYPERPARAMETERS: Hyperparameters = {
  epochs: 5, batchSize: 1024, learningRate: 1e-3, hidden: DEFAULT_SIZES.hidden, vectorDim: DEFAULT_SIZES.dim,
  catDim: DEFAULT_SIZES.catDim, grlLambda: DEFAULT_SIZES.grlLambda, workers: 0, patience: DEFAULT_PATIENCE, negatives: 0,
};

function intIn(name: string, v: number | undefined, def: number, lo: number, hi: number): number {
  if (!v) return def;
  if (!Number.isInteger(v) || v < lo || v > hi) throw invalid(`hyperparameters.${name}: ${v} is not a whole number in ${lo}..${hi}`);
  return v;
}

/** Fills defaults and checks ranges. */
export function hyperparameters(h: Partial<Hyperparameters>): Hyperparameters {
  const lr = h.learningRate || DEFAULT_HYPERPARAMETERS.learningRate;
  if (!(lr > 0 && lr <= 1)) throw invalid(`hyperparameters.learning_rate: ${lr} is not in (0, 1]`);
  const grl = h.grlLambda || DEFAULT_HYPERPARAMETERS.grlLambda;
  if (!(grl > 0 && grl <= 100)) throw invalid(`hyperparameters.grl_lambda: ${grl} is not in (0, 100]`);
  const hidden = h.hidden?.length ? h.hidden : DEFAULT_HYPERPARAMETERS.hidden;
  if (hidden.length > 8) throw invalid(`hyperparameters.hidden: ${hidden.length} layers given, at most 8 allowed`);
  hidden.forEach((w, i) => intIn(`hidden[${i}]`, w, w, 1, 4096));
  return {
    epochs: intIn('epochs', h.epochs, DEFAULT_HYPERPARAMETERS.epochs, 1, 1000),
    batchSize: intIn('batch_size', h.batchSize, DEFAULT_HYPERPARAMETERS.batchSize, 1, 65536),
    learningRate: lr, hidden,
    vectorDim: intIn('vector_dim', h.vectorDim, DEFAULT_HYPERPARAMETERS.vectorDim, 1, 1024),
    catDim: intIn('cat_dim', h.catDim, DEFAULT_HYPERPARAMETERS.catDim, 1, 256),
    grlLambda: grl,
    workers: intIn('workers', h.workers, 0, 1, 64),
    patience: h.patience === undefined ? DEFAULT_PATIENCE : h.patience === 0 ? 0 : intIn('patience', h.patience, DEFAULT_PATIENCE, 1, 1000),
    negatives: h.negatives === undefined || h.negatives === 0 ? 0 : intIn('negatives', h.negatives, 0, 1, 100),
  };
}

/** Strips an optional resource prefix ("trainingJobs/tj-1" -> "tj-1"). */
export function jobId(name: string): string {
  return parseTrainingJobName(name);
}

/** The training service layer. */
export class TrainingService {
  constructor(private readonly store: JobStore, private readonly runner: JobRunner, private readonly registry: Pick<ModelStore, 'getModel'> & Pick<VersionStore, 'getVersion'>,
    private readonly artifacts: ArtifactStore) {}

  /** Validates and queues a job; returns it at once. */
  async start(i: StartInput): Promise<TrainingJob> {
    return (await this.startSeeds(i))[0];
  }

  /**
   * Validates and queues one job per seed (i.seeds, default 1), all or none; returns them at once in seed order.
   * With N > 1 seeds the versions are NAME, NAME-s2 ... NAME-sN with seeds seed, seed+1, ..., each tagged
   * seed_group=NAME: the group evaluation finds them by that tag, and the first is the one a promotion names.
   */
  async startSeeds(i: StartInput): Promise<TrainingJob[]> {
    if (!i.model) throw invalid('model: the model id is required (e.g. feed-ranker-hi)');
    checkModelId(i.model);
    checkVersionName(i.versionName);
    const n = i.seeds || 1;
    if (!Number.isInteger(n) || n < 1 || n > MAX_SEEDS) throw invalid(`seeds: ${i.seeds} is not a whole number from 1 to ${MAX_SEEDS}`);
    const names = seedVersionNames(i.versionName, n);
    for (const name of names) checkVersionName(name);
    const datasetId = datasetIdOf(i.datasetId);
    if (!datasetId) throw invalid('dataset_id: the dataset id is required; list datasets with `modelops data list`');
    if (!i.arch) throw invalid('arch: one of two-tower-base, two-tower-mod, two-tower-grl, modified-two-tower is required');
    const arch = checkArch(i.arch);
    const h = hyperparameters(i.hyperparameters);
    const seed = i.seed ?? 42;
    if (!Number.isInteger(seed) || seed < 0 || seed + n - 1 > 0xffffffff) throw invalid(`seed: ${seed} is not a 32-bit unsigned integer${n > 1 ? ` (with ${n} seeds, at most ${0xffffffff - n + 1})` : ''}`);
    await this.registry.getModel(i.model);
    for (const name of names) {
      const existing = await this.registry.getVersion(i.model, name).catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'NOT_FOUND') return undefined;
        throw err;
      });
      if (existing) {
        throw new DomainError('ALREADY_EXISTS', `version "${name}" of model "${i.model}" exists already (number ${existing.number}); choose another name`
          + (n > 1 ? ` (a group of ${n} seeds needs ${names.join(', ')} free)` : ''));
      }
    }
    const meta = await datasetMeta(this.artifacts, datasetId);
    const task = i.task ? checkTask(i.task) : meta.spec.task;
    if (task !== meta.spec.task) throw invalid(`task: dataset "${datasetId}" carries a ${meta.spec.task} label (${meta.spec.label}); use --task ${meta.spec.task} or build a ${task} dataset`);
    const jobs = await this.store.createAll(names.map((versionName, k) => ({
      model: i.model, versionName, datasetId, arch, task, hyperparameters: h, seed: seed + k, createdBy: i.createdBy,
      seedGroup: n > 1 ? i.versionName : '',
    })));
    void this.runner.tick();
    return jobs;
  }

  /** One job. */
  get(name: string): Promise<TrainingJob> {
    return this.store.get(jobId(name));
  }

  /** A page of jobs. */
  list(opts: { model?: string; after?: [string, string]; limit: number }): Promise<TrainingJob[]> {
    return this.store.list(opts);
  }

  /** Cancels a queued or running job. */
  async cancel(name: string): Promise<TrainingJob> {
    const id = jobId(name);
    const job = await this.store.requestCancel(id);
    if (this.runner.cancelLocal(id)) {
      // Our own job: wait briefly for it to record the cancellation, so the caller sees the final state.
      for (let i = 0; i < 50; i++) {
        const j = await this.store.get(id);
        if (j.state !== 'running') return j;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return job;
  }
}
