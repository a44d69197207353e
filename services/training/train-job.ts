// One training job from dataset to registered version: load the dataset's shards (the Datasets seam of docs/design.md), train with
// the fast trainer, export ONNX, precompute item vectors, check TF.js/ONNX parity on >= 1,000 rows, and
// register the version (the Version registration seam) with its artifacts, metrics, backend, duration and data window.
import type { Logger } from 'pino';
import type { ArtifactStore } from '../../registry/artifact-store';
import type { RegisterVersionInput, ModelVersion } from '../../registry/version-store';
import { hasValidation, loadDatasetMeta, loadShard, type DatasetMeta } from '../../ml/features/dataset';
import type { FeatureBatch, RowFacts } from '../../ml/features/layout';
import { concatBatches } from '../../ml/train/data';
import { takeRows, takeRowsOf } from '../../ml/features/batch-rows';
import { train, type LabelledRows, type TrainProgress } from '../../ml/train/trainer';
import { chooseEngine, pickBackend } from '../../ml/train/backend';
import { exportOnnx } from '../../ml/onnx/export';
import { checkParity } from '../../ml/onnx/parity';
import { modelMeta, weightsBin } from '../../ml/model/model-meta';
import { encodeItemVectors } from '../../ml/model/item-vectors';
import { OnnxModel } from '../../ml/model/onnx-model';
import { checkArch, checkTask } from '../../ml/model/spec';
import type { Params } from '../../ml/model/params';
import { DomainError, failedPrecondition } from '../../core/errors';
import { provenanceOf } from '../../core/provenance';
import type { Hyperparameters, JobProgress, TrainingJob } from '../../registry/job-store';

/** What a job needs from the process. */
export interface TrainJobDeps {
  artifacts: ArtifactStore;
  registry: { registerVersion(input: RegisterVersionInput): Promise<ModelVersion> };
  log: Logger;
}

/** What a successful job produced. */
export interface TrainJobResult {
  version: ModelVersion;
  metrics: Record<string, number>;
  backend: string;
  dataWindow: string;
}

/** The full specification of a job, as its version's provenance records it: enough to train the version again. */
export function trainingSpec(job: TrainingJob): Record<string, unknown> {
  return {
    model: job.model, version_name: job.versionName, dataset_id: job.datasetId, arch: job.arch, task: job.task,
    hyperparameters: job.hyperparameters, seed: job.seed, ...(job.seedGroup ? { seed_group: job.seedGroup } : {}), training_job: job.id,
  };
}

/** Reads a dataset's meta, mapping a missing one to NOT_FOUND with a hint. */
export async function datasetMeta(artifacts: ArtifactStore, id: string): Promise<DatasetMeta> {
  try {
    return await loadDatasetMeta(artifacts, id);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') throw new DomainError('NOT_FOUND', `dataset "${id}" not found; list datasets with \`modelops data list\``);
    throw err;
  }
}

type Rows = { batch: FeatureBatch; facts: RowFacts };

function concatFacts(parts: RowFacts[]): RowFacts {
  const keys = Object.keys(parts[0]) as (keyof RowFacts)[];
  const out = {} as Record<keyof RowFacts, Float32Array | Int32Array | Float64Array>;
  for (const k of keys) {
    const xs = parts.map((p) => p[k]);
    const Ctor = xs[0].constructor as { new (n: number): Float32Array | Int32Array | Float64Array };
    const a = new Ctor(xs.reduce((s, x) => s + x.length, 0));
    let o = 0;
    for (const x of xs) {
      a.set(x as never, o);
      o += x.length;
    }
    out[k] = a;
  }
  return out as unknown as RowFacts;
}

function join(parts: Rows[]): Rows | undefined {
  if (!parts.length) return undefined;
  return { batch: concatBatches(parts.map((p) => p.batch)), facts: concatFacts(parts.map((p) => p.facts)) };
}

/**
 * What the artifacts need of the dataset's rows, taken before training so that the job holds its dataset once
 * (the full parts are not kept for the export): the parity sample, >= 1,000 rows (all when fewer) of the training
 * and validation parts spread evenly over them (never the test part), and each item's newest row, for
 * `item_vectors.bin` (the freshest rates; scoring computes the other items' vectors on demand).
 */
export interface ExportRows {
  sample: FeatureBatch;
  /** One row per item of the parts, in item order, and the items' ids. */
  items: FeatureBatch;
  itemIds: string[];
}

/** Takes the export's rows from the parts (validation first, then training, as one sequence of rows). */
export function exportRows(meta: DatasetMeta, parts: Rows[]): ExportRows {
  const L = meta.layout;
  const total = parts.reduce((a, p) => a + p.batch.n, 0);
  // Row r of the sequence: (part, row within it).
  const locate = (r: number): [number, number] => {
    let k = 0;
    while (r >= parts[k].batch.n) r -= parts[k++].batch.n;
    return [k, r];
  };
  // The rows picked, in the order given, copied out of their parts.
  const batches = parts.map((p) => p.batch);
  const take = (picks: [number, number][]): FeatureBatch => takeRowsOf(batches, picks, L);
  const n = Math.min(total, 2000);
  const sample = take(Array.from({ length: n }, (_, i) => locate(Math.floor((i * total) / n))));
  const newest = new Map<number, [number, number]>();
  parts.forEach((p, k) => {
    for (let r = 0; r < p.batch.n; r++) {
      const i = p.facts.itemIdx[r];
      const prev = newest.get(i);
      if (prev === undefined || p.facts.ts[r] >= parts[prev[0]].facts.ts[prev[1]]) newest.set(i, [k, r]);
    }
  });
  const items = [...newest.keys()].sort((a, b) => a - b);
  return { sample, items: take(items.map((i) => newest.get(i)!)), itemIds: items.map((i) => meta.itemIds[i] ?? String(i)) };
}

/** Refuses categorical ids outside a column's vocabulary (the layout reserves 0 for unknown values). */
function checkIds(meta: DatasetMeta, b: FeatureBatch): void {
  for (const [cat, feats] of [[b.userCat, meta.layout.userCat], [b.itemCat, meta.layout.itemCat]] as const) {
    const nc = feats.length;
    for (let i = 0; i < cat.length; i++) {
      const f = feats[i % nc];
      if (cat[i] < 0 || cat[i] >= f.size) {
        throw failedPrecondition(`dataset "${meta.id}": ${f.name} id ${cat[i]} in row ${Math.floor(i / nc)} is outside 0..${f.size - 1}; rebuild the dataset`);
      }
    }
  }
}

/** The rows with a finite label (rows without a length-based label are kept in datasets for rates only). */
function labelled(meta: DatasetMeta, rows: Rows): LabelledRows {
  const { batch, facts } = rows;
  let keep = 0;
  for (const y of facts.label) if (Number.isFinite(y)) keep++;
  if (keep === batch.n) return { batch, label: facts.label, lengthS: facts.lengthS, userIdx: facts.userIdx, itemIdx: facts.itemIdx, ts: facts.ts };
  const idx: number[] = [];
  for (let r = 0; r < batch.n; r++) if (Number.isFinite(facts.label[r])) idx.push(r);
  const L = meta.layout;
  return { batch: takeRows(batch, idx, L),
    label: Float32Array.from(idx, (r) => facts.label[r]), lengthS: Float32Array.from(idx, (r) => facts.lengthS[r]),
    userIdx: Int32Array.from(idx, (r) => facts.userIdx[r]), itemIdx: Int32Array.from(idx, (r) => facts.itemIdx[r]), ts: Float64Array.from(idx, (r) => facts.ts[r]) };
}

/** Runs a job; `progress` is called often (the caller throttles its writes). */
export async function runTrainJob(job: TrainingJob, deps: TrainJobDeps, signal: AbortSignal,
  progress: (p: Partial<JobProgress>, backend?: string) => void): Promise<TrainJobResult> {
  const h: Hyperparameters = job.hyperparameters;
  const arch = checkArch(job.arch);
  const task = checkTask(job.task);
  progress({ phase: 'loading' });
  const meta = await datasetMeta(deps.artifacts, job.datasetId);
  if (meta.spec.task !== task) throw failedPrecondition(`dataset "${meta.id}" carries a ${meta.spec.task} label; train it with --task ${meta.spec.task} or build a ${task} dataset`);
  // Training reads the training and validation parts only: the test part is evaluation's, and is never loaded here.
  const withVal = hasValidation(meta);
  const note = withVal ? undefined : `dataset "${meta.id}" has no validation part (${meta.spec.valFrac === 0 ? 'built with --val-frac 0' : 'built before validation parts existed'}): `
    + 'training runs every epoch without validation metrics or early stopping; rebuild it with --val-frac to get them';
  progress({ phase: 'loading', validationNote: note ?? '' });
  const load = (split: 'train' | 'validation') => Promise.all(meta.shards.filter((s) => s.split === split).map((ref) => loadShard(deps.artifacts, ref)));
  let trainRows = join(await load('train'));
  let validation = withVal ? join(await load('validation')) : undefined;
  if (!trainRows || trainRows.batch.n === 0) throw failedPrecondition(`dataset "${meta.id}" has no training rows`);
  if (signal.aborted) throw new Error('cancelled');

  checkIds(meta, trainRows.batch);
  if (validation) checkIds(meta, validation.batch);
  const forExport = exportRows(meta, validation ? [validation, trainRows] : [trainRows]);
  const fit = labelled(meta, trainRows);
  const val = validation ? labelled(meta, validation) : undefined;
  // From here the job holds the rows it trains on (the same memory as the parts when every row has a label) and
  // the export's few rows: the parts themselves can go.
  trainRows = validation = undefined;
  if (fit.batch.n === 0) throw failedPrecondition(`dataset "${meta.id}" has no training rows with a label`);
  const tfBackend = await pickBackend();
  progress({ phase: 'training', epochs: h.epochs }, chooseEngine({ arch, task }).engine === 'onnxruntime' ? 'onnxruntime' : tfBackend);
  const result = await train({
    arch, task, layout: meta.layout, train: fit, val: val && val.batch.n > 0 ? val : undefined,
    epochs: h.epochs, batchSize: h.batchSize, lr: h.learningRate, seed: job.seed, workers: h.workers || undefined, patience: h.patience ?? 0,
    negatives: h.negatives ?? 0,
    sizes: { hidden: h.hidden, dim: h.vectorDim, catDim: h.catDim, grlLambda: h.grlLambda },
    signal,
    onProgress: (p: TrainProgress) => progress({
      phase: 'training', epoch: p.epoch, epochs: p.epochs, step: p.step, stepsPerEpoch: p.stepsPerEpoch, loss: p.loss,
      valMetricName: p.valMetricName, valMetric: p.valMetric, examplesPerSec: p.examplesPerSec, etaS: p.etaS,
      fraction: ((p.epoch - 1) * p.stepsPerEpoch + p.step) / (p.epochs * p.stepsPerEpoch),
    }),
  });
  // A pair the onnxruntime engine does not cover says so in the recorded backend (e.g. "wasm (the onnxruntime
  // engine does not cover two-tower-grl binary)").
  const backend = result.backendFallback ? `${result.backend} (${result.backendFallback})` : result.backend;
  progress({ phase: 'exporting', fraction: 1, etaS: 0 }, backend);

  const files = await artifactsOf(result.params, result.metrics, backend, meta, forExport, result.tfBackend);
  if (!files.parity.passed) {
    throw failedPrecondition(`ONNX and TF.js disagree on ${files.parity.rows} rows (max abs diff ${files.parity.maxAbsDiffScore}, tolerance ${files.parity.tolerance}); the version is not registered`);
  }
  if (signal.aborted) throw new Error('cancelled');
  progress({ phase: 'registering' });
  const metrics = { ...result.metrics, duration_s: result.durationS, examples_per_second: result.examplesPerSec,
    train_rows: fit.batch.n, validation_rows: val?.batch.n ?? 0 };
  const version = await deps.registry.registerVersion({
    model: job.model, name: job.versionName, arch, task, label: meta.spec.label, buckets: meta.spec.buckets, datasetId: meta.id,
    hyperparameters: { ...h, seed: job.seed, workers: result.workers }, trainingMetrics: metrics, parity: { ...files.parity },
    backend, dataWindow: meta.spec.window, files: files.files, createdBy: job.createdBy,
    tags: job.seedGroup ? { seed_group: job.seedGroup, seed: String(job.seed) } : undefined,
    provenance: provenanceOf({ datasetIds: [meta.id], seeds: [job.seed], spec: trainingSpec(job) }),
  });
  return { version, metrics, backend, dataWindow: meta.spec.window };
}

/**
 * Builds the artifact files of a version and runs the parity check on the export's sample of the rows training
 * read (training and validation parts; never the test part).
 */
export async function artifactsOf(p: Params, metrics: Record<string, number>, backend: string, meta: DatasetMeta, rows: ExportRows, tfBackend = backend) {
  const modelJson = modelMeta(p, metrics, backend, { id: meta.id, window: meta.spec.window, label: meta.spec.label, buckets: meta.spec.buckets, timezone: meta.spec.timezone });
  const onnx = exportOnnx(p);
  const base: Record<string, Buffer> = { ...onnx, 'model.json': Buffer.from(JSON.stringify(modelJson, null, 2)) };
  const parity = await checkParity(p, base, rows.sample, tfBackend);
  const model = await OnnxModel.load(base);
  let vectors: Buffer;
  try {
    vectors = encodeItemVectors(rows.itemIds, await model.itemVectors(rows.items.itemCat, rows.items.itemDense, rows.items.n), model.meta.vectorDim);
  } finally {
    await model.release();
  }
  const files = [
    ...Object.entries(base).map(([name, data]) => ({ name, data })),
    { name: 'item_vectors.bin', data: vectors },
    { name: 'tfjs/weights.bin', data: weightsBin(p) },
  ];
  return { files, parity };
}
