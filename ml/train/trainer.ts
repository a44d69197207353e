// Trains a model with the onnxruntime engine (ort-engine.ts) where it covers the arch x task, or with the fast
// step (step.ts) on data-parallel worker threads (loop.ts), reporting progress and validation metrics per
// epoch, with early stopping on the validation rows (early-stopping.ts). This is what the TrainingService runs
// and the benchmark measures.
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FeatureBatch, FeatureLayout } from '../features/layout';
import { makeSpec, type Arch, type ModelSpec, type Task } from '../model/spec';
import { Params } from '../model/params';
import { DEFAULT_ADAM } from './adam';
import { chooseEngine, pickBackend, type BackendName, type TrainingBackend } from './backend';
import { engineThreads, type EngineSpin } from './ort-engine';
import type { MovedBack, OrtWorkerInput } from './ort-worker';
import { concatBatches, lengthStats, MOVED_COLUMNS, trainData } from './data';
import { negativeLabel, withNegatives, type SampledRows } from './negatives';
import { allocShared, runLoop, type LoopConfig, type LoopMessage } from './loop';
import { BestEpoch, DEFAULT_PATIENCE, EarlyStopping } from './early-stopping';
import { tfMatMul } from './matmul';
import { headline, taskMetrics } from './metrics';
import { archModel } from '../model/arch';

/** Rows with their target (and the video length, for the GRL head). */
export interface LabelledRows {
  batch: FeatureBatch;
  label: Float32Array;
  lengthS: Float32Array;
  /** User and item index and time per row: needed only to sample negatives (`negatives` > 0). */
  userIdx?: Int32Array;
  itemIdx?: Int32Array;
  ts?: Float64Array;
}

/** What to train. */
export interface TrainOptions {
  arch: Arch;
  task: Task;
  layout: FeatureLayout;
  train: LabelledRows;
  /** Validation rows for the per-epoch validation metric and early stopping (never the test part). */
  val?: LabelledRows;
  /**
   * Early stopping: epochs in a row without a better validation metric before training stops, keeping the best
   * epoch's parameters (default DEFAULT_PATIENCE; 0 trains every epoch and keeps the last). Needs `val`.
   */
  patience?: number;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  /**
   * Sampled catalog negatives per row (ml/train/negatives.ts; default 0 = none): k items the user did not view,
   * added with the lowest label to the training rows and, with their own seeded draw, to the validation rows (so
   * the validation metric and early stopping judge the same task). Needs userIdx, itemIdx and ts on the rows.
   */
  negatives?: number;
  /** Worker threads (default: the machine's cores, at most 2 per job); 0 trains on the calling thread. */
  workers?: number;
  /** Overrides of the layer sizes (ml/model/spec.ts DEFAULT_SIZES). */
  sizes?: Partial<Pick<ModelSpec, 'catDim' | 'hidden' | 'dim' | 'headHidden' | 'ageHidden' | 'advHidden' | 'grlLambda' | 'advLrMult'>>;
  /** Force a backend (default: the fastest that loads; `onnxruntime` is the engine of ort-engine.ts). */
  backend?: TrainingBackend;
  /** Intra-op threads of the onnxruntime engine (default: every core). */
  threads?: number;
  /** How the onnxruntime engine's idle intra-op threads wait (ort-engine.ts EngineSpin; default false: they sleep). */
  spin?: EngineSpin;
  onProgress?: (p: TrainProgress) => void;
  /** Aborting stops the workers at once; train() then rejects with TrainCancelled. */
  signal?: AbortSignal;
}

/** A progress report. */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  /** Mean training loss of the current epoch so far. */
  loss: number;
  /** The headline validation metric of the last finished epoch (auc or rmse), NaN before the first. */
  valMetric: number;
  valMetricName: string;
  examplesPerSec: number;
  etaS: number;
}

/** What a finished run returns. */
export interface TrainResult {
  params: Params;
  /** What trained it: `onnxruntime` (the engine) or the TF.js backend of the wasm step. */
  backend: TrainingBackend;
  /** The TF.js backend active in this process (the export's parity check runs on it). */
  tfBackend: BackendName;
  /** Why the onnxruntime engine was passed over for this arch x task, when it was wanted. */
  backendFallback?: string;
  /** Data-parallel workers of the wasm step, or the onnxruntime engine's intra-op threads. */
  workers: number;
  /** Per epoch: the mean task loss, the adversary's length MSE (two-tower-grl) and the validation metrics. */
  history: { epoch: number; loss: number; lengthLoss?: number; val: Record<string, number> }[];
  /** Mean training (task) loss of the last epoch. */
  finalLoss: number;
  /**
   * The kept epoch's training loss and validation metrics (val_auc, val_rmse, ...): the best epoch's under early
   * stopping (with best_epoch and epochs_run), else the last one's.
   */
  metrics: Record<string, number>;
  durationS: number;
  /** Examples per second over the whole run, worker start-up included. */
  examplesPerSec: number;
  /** Examples per second from the end of the first epoch to the end of the last (NaN with one epoch). */
  steadyExamplesPerSec: number;
}

/** Raised when a run is cancelled through its signal. */
export class TrainCancelled extends Error {
  constructor() {
    super('training cancelled');
    this.name = 'TrainCancelled';
  }
}

/** The default worker count: the cores of the machine, at most 2 (the measured sweet spot here). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
}

/** Trains and returns the parameters with the run's figures. */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  if (opts.train.batch.n === 0) throw new Error('no training rows');
  const o = sampleNegatives(opts);
  const len = lengthStats(o.train.lengthS);
  const spec = makeSpec(o.arch, o.task, o.layout, { ...o.sizes, lengthMean: len.mean, lengthStd: len.std });
  const init = Params.init(spec, o.seed);
  const choice = chooseEngine(spec, o.backend);
  const backend = await pickBackend(o.backend === 'onnxruntime' ? undefined : o.backend);
  if (choice.engine === 'onnxruntime') return trainOnEngine(o, spec, init, backend);
  const W = o.workers ?? defaultWorkers();
  const inProcess = W === 0;
  const nW = inProcess ? 1 : W;
  const tr = trainData(o.train.batch, o.train, len, !inProcess);
  const val = o.val && o.val.batch.n > 0 ? trainData(o.val.batch, o.val, len, !inProcess) : undefined;
  const shared = allocShared(init.total, nW, val?.n ?? 0, init.data);
  const metricName = headline(o.task);
  const patience = o.patience ?? DEFAULT_PATIENCE;
  const stopper = val && patience > 0 ? new EarlyStopping(shared, metricName === 'auc', patience) : undefined;
  const cfg = (index: number): LoopConfig => ({ spec, epochs: o.epochs, batchSize: o.batchSize, adam: { ...DEFAULT_ADAM, lr: o.lr }, seed: o.seed, workers: nW, index,
    judged: !!stopper });
  const start = Date.now();
  const history: TrainResult['history'] = [];
  const stepsPerEpoch = Math.ceil(tr.n / o.batchSize);
  let lastVal = NaN;
  const epochEnds: number[] = [];

  const onMessage = (m: LoopMessage) => {
    if (m.type === 'step') {
      const elapsed = (Date.now() - start) / 1000;
      const done = m.epoch * tr.n + m.rows;
      const rate = done / Math.max(elapsed, 1e-3);
      o.onProgress?.({ epoch: m.epoch + 1, epochs: o.epochs, step: m.step, stepsPerEpoch, loss: m.loss, valMetric: lastVal,
        valMetricName: metricName, examplesPerSec: rate, etaS: (o.epochs * tr.n - done) / Math.max(rate, 1e-9) });
    } else if (m.type === 'epoch') {
      epochEnds.push(Date.now());
      const valMetrics = val ? taskMetrics(o.task, shared.preds.slice(m.parity * val.n, (m.parity + 1) * val.n), o.val!.label, 'val_') : {};
      lastVal = valMetrics[`val_${metricName}`] ?? NaN;
      history.push({ epoch: m.epoch + 1, loss: m.loss, ...(archModel(o.arch).adversarial ? { lengthLoss: m.lengthLoss } : {}), val: valMetrics });
      // The epoch's validation metric, without waiting for the next step's report.
      o.onProgress?.({ epoch: m.epoch + 1, epochs: o.epochs, step: stepsPerEpoch, stepsPerEpoch, loss: m.loss, valMetric: lastVal,
        valMetricName: metricName, examplesPerSec: ((m.epoch + 1) * tr.n) / Math.max((Date.now() - start) / 1000, 1e-3),
        etaS: ((o.epochs - m.epoch - 1) * tr.n) / Math.max(((m.epoch + 1) * tr.n) / Math.max((Date.now() - start) / 1000, 1e-3), 1e-9) });
      stopper?.epochEnd(m.epoch, lastVal, m.epoch === o.epochs - 1);
    }
  };

  if (inProcess) {
    if (o.signal?.aborted) throw new TrainCancelled();
    runLoop(cfg(0), shared, tr, val, tfMatMul, onMessage);
  } else {
    await runWorkers(nW, (i) => ({ cfg: cfg(i), shared, train: tr, val, backend }), onMessage, o.signal);
  }
  const durationS = (Date.now() - start) / 1000;
  const last = stopper ? history[stopper.bestEpoch] : history[history.length - 1];
  return {
    params: new Params(spec, Float32Array.from(stopper ? stopper.best : shared.params)),
    backend, tfBackend: backend, ...(choice.fallback ? { backendFallback: choice.fallback } : {}), workers: nW, history, finalLoss: last.loss,
    metrics: { train_loss: last.loss, ...(last.lengthLoss !== undefined ? { train_length_loss: last.lengthLoss } : {}), ...last.val,
      ...(stopper ? { best_epoch: stopper.bestEpoch + 1, epochs_run: history.length } : {}) },
    durationS, examplesPerSec: (history.length * tr.n) / Math.max(durationS, 1e-9),
    steadyExamplesPerSec: epochEnds.length >= 2 ? ((epochEnds.length - 1) * tr.n * 1000) / Math.max(1, epochEnds[epochEnds.length - 1] - epochEnds[0]) : NaN,
  };
}

/** The options with `negatives` sampled rows added to the training and validation rows (unchanged for 0). */
export function sampleNegatives(o: TrainOptions): TrainOptions {
  const k = o.negatives ?? 0;
  if (k === 0) return o;
  const sampled = (r: LabelledRows, what: string): SampledRows => {
    if (!r.userIdx || !r.itemIdx || !r.ts) throw new Error(`negatives: the ${what} rows carry no user index, item index and time to sample from`);
    return { batch: r.batch, label: r.label, lengthS: r.lengthS, userIdx: r.userIdx, itemIdx: r.itemIdx, ts: r.ts };
  };
  const tr = sampled(o.train, 'training');
  const negLabel = negativeLabel(o.task, o.train.label);
  const train = withNegatives(tr, tr, o.layout, k, negLabel, o.seed ^ 0x6e656731);
  if (!o.val || o.val.batch.n === 0) return { ...o, train };
  // Validation items take their inputs from the newest row of either part at or before the view (never later).
  const va = sampled(o.val, 'validation');
  const pool: SampledRows = { batch: concatBatches([tr.batch, va.batch]), label: concatF32(tr.label, va.label), lengthS: concatF32(tr.lengthS, va.lengthS),
    userIdx: Int32Array.from([...tr.userIdx, ...va.userIdx]), itemIdx: Int32Array.from([...tr.itemIdx, ...va.itemIdx]), ts: Float64Array.from([...tr.ts, ...va.ts]) };
  const val = withNegatives(va, pool, o.layout, k, negLabel, o.seed ^ 0x6e656732);
  return { ...o, train, val };
}

function concatF32(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Runs the engine loop in a worker thread; resolves with the final parameters. The model-input columns of the
 * data are moved (transferred, not copied) to the worker for the run, so the job holds its dataset once, and
 * come back with the worker's last message: `restore` puts them back into the caller's batches, also when the
 * run fails or is cancelled (the worker finishes its current step and sends them with its error).
 */
function runEngineWorker(input: OrtWorkerInput, restore: (back: MovedBack) => void, onMessage: (m: LoopMessage) => void, signal?: AbortSignal): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new TrainCancelled());
    // Terminating a thread inside onnxruntime's native run aborts the whole process, so a cancelled worker is
    // asked to stop through a shared flag, checked between steps, and exits by itself after its current step,
    // sending the columns back with its error message; the run settles then (or when the worker exits).
    const stopFlag = new Int32Array(new SharedArrayBuffer(4));
    const w = new Worker(path.join(__dirname, 'ort-worker-entry.js'), { workerData: { ...input, cfg: { ...input.cfg, stopFlag } }, transferList: movable(input) });
    let settled = false;
    let stopping: Error | undefined;
    const settle = (err?: Error, params?: Float32Array) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err); else resolve(params!);
    };
    // Stops the worker; the run fails with `err` once the worker has answered.
    const stop = (err: Error) => {
      stopping ??= err;
      Atomics.store(stopFlag, 0, 1);
    };
    const onAbort = () => stop(new TrainCancelled());
    signal?.addEventListener('abort', onAbort);
    w.on('message', (m: LoopMessage | { type: 'error'; message: string; back: MovedBack } | { type: 'result'; params: Float32Array; back: MovedBack }) => {
      if (m.type === 'error' || m.type === 'result') {
        restore(m.back);
        if (stopping) return settle(stopping);
        return m.type === 'error' ? settle(new Error(`onnxruntime training worker failed: ${m.message}`)) : settle(undefined, m.params);
      }
      if (stopping) return;
      try {
        onMessage(m);
      } catch (err) {
        stop(err as Error);
      }
    });
    w.on('error', (err) => settle(stopping ?? err));
    w.on('exit', (code) => settle(stopping ?? new Error(`onnxruntime training worker exited with code ${code}`)));
  });
}

/** The buffers of the moved columns that can move without a copy: plain ones that a column fills alone. */
function movable(input: OrtWorkerInput): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const d of [input.train, input.val]) {
    if (!d) continue;
    for (const k of MOVED_COLUMNS) {
      const a = d[k];
      if (!(a.buffer instanceof SharedArrayBuffer) && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.byteLength > 0 && !out.includes(a.buffer)) out.push(a.buffer);
    }
  }
  return out;
}

/** The same run on the onnxruntime engine, in one worker thread (the engine's own intra-op threads do the work). */
async function trainOnEngine(o: TrainOptions, spec: ModelSpec, init: Params, tfBackend: BackendName): Promise<TrainResult> {
  const len = lengthStats(o.train.lengthS);
  // The caller's own columns (no copy), moved to the engine's worker for the run and put back at its end.
  const tr = trainData(o.train.batch, o.train, len);
  const val = o.val && o.val.batch.n > 0 ? trainData(o.val.batch, o.val, len) : undefined;
  const valLabel = val?.label;
  const preds = new Float32Array(new SharedArrayBuffer(4 * 2 * Math.max(1, val?.n ?? 0)));
  const threads = o.threads ?? engineThreads();
  const start = Date.now();
  const history: TrainResult['history'] = [];
  const stepsPerEpoch = Math.ceil(tr.n / o.batchSize);
  const metricName = headline(o.task);
  const epochEnds: number[] = [];
  let lastVal = NaN;
  const patience = o.patience ?? DEFAULT_PATIENCE;
  const stopper = val && patience > 0 ? new BestEpoch(metricName === 'auc', patience) : undefined;
  const verdict = stopper ? new Int32Array(new SharedArrayBuffer(8)) : undefined;
  const progress = (epoch: number, step: number, loss: number, done: number) => {
    const rate = done / Math.max((Date.now() - start) / 1000, 1e-3);
    o.onProgress?.({ epoch, epochs: o.epochs, step, stepsPerEpoch, loss, valMetric: lastVal, valMetricName: metricName,
      examplesPerSec: rate, etaS: (o.epochs * tr.n - done) / Math.max(rate, 1e-9) });
  };
  const post = (m: LoopMessage) => {
    if (m.type === 'step') progress(m.epoch + 1, m.step, m.loss, m.epoch * tr.n + m.rows);
    else if (m.type === 'epoch') {
      epochEnds.push(Date.now());
      const valMetrics = val ? taskMetrics(o.task, preds.slice(m.parity * val.n, (m.parity + 1) * val.n), valLabel!, 'val_') : {};
      lastVal = valMetrics[`val_${metricName}`] ?? NaN;
      history.push({ epoch: m.epoch + 1, loss: m.loss, ...(archModel(o.arch).adversarial ? { lengthLoss: m.lengthLoss } : {}), val: valMetrics });
      progress(m.epoch + 1, stepsPerEpoch, m.loss, (m.epoch + 1) * tr.n);
      if (verdict && m.params) {
        const stop = stopper!.epochEnd(m.epoch, lastVal, m.params, m.epoch === o.epochs - 1);
        Atomics.store(verdict, 1, stop ? 1 : 0);
        Atomics.store(verdict, 0, m.epoch + 1);
        Atomics.notify(verdict, 0);
      }
    }
  };
  if (o.signal?.aborted) throw new TrainCancelled();
  const params = await runEngineWorker({ cfg: { spec, epochs: o.epochs, batchSize: o.batchSize, adam: { ...DEFAULT_ADAM, lr: o.lr }, seed: o.seed, threads,
    ...(o.spin !== undefined ? { spin: o.spin } : {}), ...(verdict ? { verdict } : {}) }, init: init.data, train: tr, val, preds }, (back) => {
    for (const k of MOVED_COLUMNS) {
      (o.train.batch as Record<typeof k, Int32Array | Float32Array>)[k] = back.train[k]!;
      if (o.val && back.val) (o.val.batch as Record<typeof k, Int32Array | Float32Array>)[k] = back.val[k]!;
    }
  }, post, o.signal);
  const durationS = (Date.now() - start) / 1000;
  // Epoch messages that arrive after the stop verdict cannot exist (the loop waits for it), so the history
  // ends at the judged epochs and the kept model is the best one's.
  const last = stopper ? history[stopper.bestEpoch] : history[history.length - 1];
  return {
    params: new Params(spec, stopper ? stopper.best! : params), backend: 'onnxruntime', tfBackend, workers: threads, history, finalLoss: last.loss,
    metrics: { train_loss: last.loss, ...(last.lengthLoss !== undefined ? { train_length_loss: last.lengthLoss } : {}), ...last.val,
      ...(stopper ? { best_epoch: stopper.bestEpoch + 1, epochs_run: history.length } : {}) },
    durationS, examplesPerSec: (history.length * tr.n) / Math.max(durationS, 1e-9),
    steadyExamplesPerSec: epochEnds.length >= 2 ? ((epochEnds.length - 1) * tr.n * 1000) / Math.max(1, epochEnds[epochEnds.length - 1] - epochEnds[0]) : NaN,
  };
}

function runWorkers(n: number, input: (i: number) => unknown, onMessage: (m: LoopMessage) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const file = path.join(__dirname, 'worker-entry.js');
    const workers: Worker[] = [];
    let finished = 0;
    let settled = false;
    const stop = (err?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      if (err) reject(err); else resolve();
    };
    const onAbort = () => stop(new TrainCancelled());
    if (signal?.aborted) return reject(new TrainCancelled());
    signal?.addEventListener('abort', onAbort);
    for (let i = 0; i < n; i++) {
      const w = new Worker(file, { workerData: input(i) });
      workers.push(w);
      w.on('message', (m: LoopMessage | { type: 'error'; message: string }) => {
        if (m.type === 'error') return stop(new Error(`training worker ${i} failed: ${m.message}`));
        if (m.type === 'done') {
          if (++finished === n) stop();
          return;
        }
        try {
          onMessage(m);
        } catch (err) {
          stop(err as Error);
        }
      });
      w.on('error', (err) => stop(err));
      w.on('exit', (code) => {
        if (!settled && code !== 0) stop(new Error(`training worker ${i} exited with code ${code}`));
      });
    }
  });
}
