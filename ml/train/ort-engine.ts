// The onnxruntime training engine: runs the gradient graph of ort-graph.ts (forward, hand-written backward and
// loss in one session.run) on onnxruntime-node's MLAS kernels with intra-op threads on every core and spin-
// waiting off (so other processes on the machine, e.g. a serving process, keep their cores between steps), then
// Adam in one WebAssembly SIMD pass over the flat parameters (adam-simd.ts). The gradients are written by
// onnxruntime into views of Adam's buffer and the parameters read through views of it, so no parameter or
// gradient is copied through JS between steps.
import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { ModelSpec } from '../model/spec';
import { paramLayout, type ParamEntry } from '../model/params';
import { permutation } from '../model/rng';
import type { AdamConfig } from './adam';
import type { TrainData } from './data';
import { epochSeed, type LoopMessage } from './loop';
import { buildTrainGraph, graphParams, names, type GraphParam } from './ort-graph';
import { SimdAdam } from './adam-simd';

/**
 * How idle intra-op threads wait: `false` (the default) sleeps at once; a number of microseconds spins at most that
 * long inside a run (between one node's parallel work and the next) and stops spinning as soon as the run returns
 * (`session.force_spinning_stop`), so the threads still sleep between steps, while Adam runs and while a co-hosted
 * server needs the cores; `true` spins onnxruntime's default budget (tens of milliseconds), also after the run
 * returns (the train bench measures it for comparison). Sleeping stays the default: alternated with it on the shared
 * 2-core machine, a 50 us spin ran at 73-140% of its whole-epoch rate (median 97%, thirteen runs) for about 7% more CPU per step
 * (docs/bench-training.md); it may pay on a quiet machine, where the full spin saved 8% of a step.
 */
export type EngineSpin = boolean | number;

/** Session options of the engine: `threads` intra-op threads waiting as `spin` says (EngineSpin). */
export function engineSessionOptions(threads: number, spin: EngineSpin = false): ort.InferenceSession.SessionOptions {
  const allow = spin === false || spin === 0 ? '0' : '1';
  const intra: Record<string, string> = { allow_spinning: allow };
  const session: Record<string, unknown> = { intra_op: intra, inter_op: { allow_spinning: allow } };
  if (typeof spin === 'number' && spin > 0) {
    intra.spin_duration_us = String(Math.round(spin));
    session.force_spinning_stop = '1';
  }
  return {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', logSeverityLevel: 3,
    extra: { session },
  };
}

/** The engine's default thread count: every core of the machine. */
export function engineThreads(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** How the engine is set up. */
export interface EngineOptions {
  threads?: number;
  /**
   * True (default): the gradients are written into preallocated tensors over Adam's gradient buffer. False: they
   * come back as new arrays and are copied into that buffer in JS (kept to measure the copy).
   */
  bindOutputs?: boolean;
  /**
   * onnxruntime's per-node profile of the step session: written, as a JSON file whose name starts with this
   * prefix, when the engine is disposed (the train bench's breakdown of a step).
   */
  profileFilePrefix?: string;
  /** How idle intra-op threads wait (default false: they sleep, see EngineSpin). */
  spinning?: EngineSpin;
}

/** The dataset columns the graphs gather from, by table name. */
function tablesOf(spec: ModelSpec, d: TrainData): Record<string, ort.Tensor> {
  const L = spec.layout;
  const n = d.n;
  return {
    [names.table('user_cat')]: new ort.Tensor('int32', d.userCat, [n, L.userCat.length]),
    [names.table('item_cat')]: new ort.Tensor('int32', d.itemCat, [n, L.itemCat.length]),
    [names.table('user_dense')]: new ort.Tensor('float32', d.userDense, [n, L.userDenseDim]),
    [names.table('item_dense')]: new ort.Tensor('float32', d.itemDense, [n, L.itemDenseDim]),
    [names.table('item_age')]: new ort.Tensor('float32', d.itemAge, [n, 1]),
    [names.table('label')]: new ort.Tensor('float32', d.label, [n, 1]),
    [names.table('len_z')]: new ort.Tensor('float32', d.lenZ, [n]),
  };
}

/** A range of the flat parameters that shares one learning-rate multiplier. */
interface LrSegment {
  lo: number;
  hi: number;
  mult: number;
}

/**
 * The runs of parameters with the same learning-rate multiplier, in layout order: the adversarial head's
 * parameters take their own (advLrMult), as loop.ts does.
 */
function lrSegments(spec: ModelSpec, entries: ParamEntry[]): LrSegment[] {
  const out: LrSegment[] = [];
  for (const e of entries) {
    const mult = e.name.startsWith('adv.') ? spec.advLrMult : 1;
    const last = out[out.length - 1];
    if (last && last.mult === mult && last.hi === e.offset) last.hi = e.offset + e.size;
    else out.push({ lo: e.offset, hi: e.offset + e.size, mult });
  }
  return out;
}

/**
 * One model's training state: the gradient session and the predict session inside onnxruntime, and the flat
 * parameters, Adam's moments and the gradient in one WebAssembly memory (adam-simd.ts). A step runs the
 * gradient graph, which reads the parameters through tensors over views of the flat buffer and writes each
 * gradient into its view of the gradient buffer (preallocated outputs), then Adam updates the flat buffers in
 * place in one SIMD pass: no parameter or gradient is copied through JS. The dataset is fed whole, as tensors
 * over its own memory (no copy), and each step feeds only the batch's row indices: the graph gathers the rows,
 * on the engine's threads.
 */
export class OrtEngine {
  private t = 0;
  private bindWorks: boolean | undefined;
  private readonly sessionFeeds = new Map<ort.InferenceSession, { data: TrainData; feeds: Record<string, ort.Tensor> }>();
  private readonly scale = new Float32Array(1);
  private readonly lrT = new Float32Array(1);
  private readonly scaleFeed = { scale: new ort.Tensor('float32', this.scale, []) };
  private readonly paramFeeds: Record<string, ort.Tensor> = {};
  private readonly fetches: Record<string, ort.Tensor | null> = { loss_sum: null };
  private readonly segments: LrSegment[];
  /** The head's own loss sum of the last step (two-tower-grl's adversary; 0 when there is none). */
  lastAdvSum = 0;
  /** Seconds spent copying gradients in JS (only with bindOutputs false, or when the binding ignores the fetches). */
  copyS = 0;
  /** Seconds spent in Adam (outside onnxruntime's run), over all steps. */
  adamS = 0;

  private constructor(readonly spec: ModelSpec, private readonly adam: AdamConfig, private readonly gradSession: ort.InferenceSession,
    private readonly predictSession: ort.InferenceSession, private readonly state: SimdAdam,
    private readonly pieces: GraphParam[], entries: ParamEntry[], private readonly bind: boolean, readonly threads: number) {
    for (const q of pieces) {
      this.paramFeeds[names.param(q.name)] = new ort.Tensor('float32', state.params.subarray(q.offset, q.offset + q.size), q.shape);
      this.fetches[names.grad(q.name)] = bind ? new ort.Tensor('float32', this.gradView(q), q.gradShape) : null;
    }
    if (gradSession.outputNames.includes('adv_sum')) this.fetches.adv_sum = null;
    this.segments = lrSegments(spec, entries);
  }

  /** Builds the graphs, opens the sessions and loads the initial parameters (Adam's moments start at zero). */
  static async create(spec: ModelSpec, init: Float32Array, adam: AdamConfig, o: EngineOptions = {}): Promise<OrtEngine> {
    const threads = o.threads ?? engineThreads();
    const opts = engineSessionOptions(threads, o.spinning ?? false);
    const gradSession = await ort.InferenceSession.create(buildTrainGraph(spec, 'grads', { gatherRows: true }),
      o.profileFilePrefix ? { ...opts, enableProfiling: true, profileFilePrefix: o.profileFilePrefix } : opts);
    const predictSession = await ort.InferenceSession.create(buildTrainGraph(spec, 'predict', { gatherRows: true }), opts);
    const { entries, total } = paramLayout(spec);
    const state = new SimdAdam(total);
    state.params.set(init);
    return new OrtEngine(spec, adam, gradSession, predictSession, state, graphParams(spec), entries, o.bindOutputs ?? true, threads);
  }

  /** The current parameters (a view: copy it before the next step if it must be kept). */
  get params(): Float32Array {
    return this.state.params;
  }

  /**
   * The feeds of `session` for `rows` of `d`: one object per session and dataset holding the parameters, the
   * resident tables and the scale (made when the dataset changes), whose row indices are replaced per call.
   */
  private batchFeeds(session: ort.InferenceSession, d: TrainData, rows: Int32Array): Record<string, ort.Tensor> {
    let cached = this.sessionFeeds.get(session);
    if (cached?.data !== d) {
      const tables = tablesOf(this.spec, d);
      const all: Record<string, ort.Tensor> = { ...this.paramFeeds, ...tables, ...this.scaleFeed };
      const feeds: Record<string, ort.Tensor> = {};
      for (const name of session.inputNames) if (name in all) feeds[name] = all[name];
      cached = { data: d, feeds };
      this.sessionFeeds.set(session, cached);
    }
    cached.feeds.rows = new ort.Tensor('int32', rows, [rows.length]);
    return cached.feeds;
  }

  /**
   * One training step on `rows` of `d` (the whole batch: the engine parallelises inside each node), with the
   * gradient scaled by `scale` (1 / batch size). Returns the batch's unscaled task-loss sum.
   */
  async step(d: TrainData, rows: Int32Array, scale: number): Promise<number> {
    this.t++;
    const c = this.adam;
    // The bias corrections folded into lr_t = lr sqrt(1 - b2^t) / (1 - b1^t), rounded to float32, as adam.ts.
    this.lrT[0] = c.lr * Math.sqrt(1 - Math.pow(c.beta2, this.t)) / (1 - Math.pow(c.beta1, this.t));
    this.scale[0] = scale;
    const out = await this.gradSession.run(this.batchFeeds(this.gradSession, d, rows), this.fetches);
    // onnxruntime-node writes into the preallocated outputs (and hands back tensors of its own besides); that is
    // checked once, on the first step, and a binding that did not write them gets its outputs copied instead.
    if (this.bind && this.bindWorks === undefined) this.bindWorks = this.pieces.every((q) => sameValues(out[names.grad(q.name)].data as Float32Array, this.gradView(q)));
    if (!this.bind || !this.bindWorks) {
      const t0 = performance.now();
      for (const q of this.pieces) this.gradView(q).set(out[names.grad(q.name)].data as Float32Array);
      this.copyS += (performance.now() - t0) / 1000;
    }
    const t1 = performance.now();
    for (const s of this.segments) this.state.step(s.mult === 1 ? this.lrT[0] : Math.fround(this.lrT[0] * Math.fround(s.mult)), c.beta1, c.beta2, c.eps, s.lo, s.hi);
    this.adamS += (performance.now() - t1) / 1000;
    this.lastAdvSum = out.adv_sum ? (out.adv_sum.data as Float32Array)[0] : 0;
    return (out.loss_sum.data as Float32Array)[0];
  }

  private gradView(q: GraphParam): Float32Array {
    return this.state.grad.subarray(q.offset, q.offset + q.size);
  }

  /** The scores of `rows` of `d` under the current parameters. */
  async predict(d: TrainData, rows: Int32Array): Promise<Float32Array> {
    const out = await this.predictSession.run(this.batchFeeds(this.predictSession, d, rows));
    return out.score.data as Float32Array;
  }

  /** Releases the sessions. */
  async dispose(): Promise<void> {
    await this.gradSession.release();
    await this.predictSession.release();
  }
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) return false;
  return true;
}

/** What the engine's loop needs. */
export interface EngineLoopConfig {
  spec: ModelSpec;
  epochs: number;
  batchSize: number;
  adam: AdamConfig;
  seed: number;
  threads?: number;
  /** How idle intra-op threads wait (default false: they sleep). */
  spin?: EngineSpin;
  signal?: AbortSignal;
  /** Set to 1 by another thread to stop the loop between steps. */
  stopFlag?: Int32Array;
  /**
   * Early stopping: when given, each epoch message carries a copy of the parameters and the loop waits for the
   * caller's verdict on that epoch: the caller stores the number of judged epochs in slot 0 and 1 in slot 1 to
   * stop (then notifies slot 0).
   */
  verdict?: Int32Array;
}

/** Waits until the caller has judged `epoch`; true when it says to stop. A stop request also ends the wait. */
function awaitVerdict(verdict: Int32Array, epoch: number, stopFlag?: Int32Array): boolean {
  for (;;) {
    const judged = Atomics.load(verdict, 0);
    if (judged > epoch) return Atomics.load(verdict, 1) === 1;
    if (stopFlag && Atomics.load(stopFlag, 0) === 1) throw new Error('aborted');
    Atomics.wait(verdict, 0, judged, 200);
  }
}

/**
 * The training loop on the engine, with the batches and epoch orders of loop.ts (the same permutation per
 * epoch seed) and its messages; validation scores of epoch e go to `preds` at (e % 2) * val.n. Returns the
 * final parameters.
 */
export async function runEngineLoop(cfg: EngineLoopConfig, init: Float32Array, train: TrainData, val: TrainData | undefined,
  preds: Float32Array, post: (m: LoopMessage) => void): Promise<Float32Array> {
  const engine = await OrtEngine.create(cfg.spec, init, cfg.adam, { threads: cfg.threads, spinning: cfg.spin ?? false });
  try {
    const B = cfg.batchSize;
    const n = train.n;
    const stepsPerEpoch = Math.ceil(n / B);
    let lastPost = 0;
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      const parity = epoch % 2;
      const perm = permutation(n, epochSeed(cfg.seed, epoch));
      let sum = 0;
      let adv = 0;
      let rowsSeen = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        if (cfg.signal?.aborted || (cfg.stopFlag && Atomics.load(cfg.stopFlag, 0) === 1)) throw new Error('aborted');
        const lo = s * B;
        const hi = Math.min(n, lo + B);
        sum += await engine.step(train, perm.subarray(lo, hi), 1 / (hi - lo));
        adv += engine.lastAdvSum;
        rowsSeen += hi - lo;
        const now = Date.now();
        if (now - lastPost > 200 || s === stepsPerEpoch - 1) {
          lastPost = now;
          post({ type: 'step', epoch, step: s + 1, stepsPerEpoch, loss: sum / Math.max(1, rowsSeen), rows: rowsSeen });
        }
      }
      if (val && val.n > 0) {
        for (let c = 0; c < val.n; c += 4096) {
          const rows = Int32Array.from({ length: Math.min(4096, val.n - c) }, (_, i) => c + i);
          preds.set(await engine.predict(val, rows), parity * val.n + c);
        }
      }
      if (!cfg.verdict) {
        post({ type: 'epoch', epoch, loss: sum / n, lengthLoss: adv / n, parity });
        continue;
      }
      post({ type: 'epoch', epoch, loss: sum / n, lengthLoss: adv / n, parity, params: Float32Array.from(engine.params) });
      if (awaitVerdict(cfg.verdict, epoch, cfg.stopFlag)) break;
    }
    return Float32Array.from(engine.params);
  } finally {
    await engine.dispose();
  }
}
