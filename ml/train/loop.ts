// The training loop that each worker thread runs (or the calling thread, with one worker). Workers share
// the parameters, Adam's moments and one gradient slot each through SharedArrayBuffers: every step each
// computes the gradient of its slice of the batch into its slot, waits at a barrier, then applies Adam to
// its own slice of the parameters (summing the slots in a fixed order), and waits again. There is no
// copying of parameters or gradients between threads at all.
import type { ModelSpec } from '../model/spec';
import { permutation } from '../model/rng';
import { adamStep, type AdamConfig } from './adam';
import type { TrainData } from './data';
import type { MatMul } from './matmul';
import { Step } from './step';
import { paramLayout } from '../model/params';

/** The memory every worker shares. */
export interface SharedState {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  slots: Float32Array[];
  /** [barrier generation, barrier count, global step, epochs the caller has judged, stop (1) after the judged epoch]. */
  ctl: Int32Array;
  /** Per epoch parity, worker and kind (task, adversary): the loss sums of its rows. */
  lossSums: Float64Array;
  /** Validation scores, two buffers alternating by epoch parity. */
  preds: Float32Array;
}

/** What a worker loop needs besides the shared memory. */
export interface LoopConfig {
  spec: ModelSpec;
  epochs: number;
  batchSize: number;
  adam: AdamConfig;
  seed: number;
  workers: number;
  index: number;
  /**
   * Early stopping is on: after each epoch the workers pause until the caller has judged it (judgeEpoch), so the
   * caller can keep the best epoch's parameters and stop without a race.
   */
  judged?: boolean;
}

/** Messages from worker 0 (and the last one from each worker). */
export type LoopMessage =
  | { type: 'step'; epoch: number; step: number; stepsPerEpoch: number; loss: number; rows: number }
  | { type: 'epoch'; epoch: number; loss: number; lengthLoss: number; parity: number; params?: Float32Array }
  | { type: 'done'; index: number };

/** Slots of the control array. */
export const CTL_SLOTS = 5;
const CTL_JUDGED = 3;
const CTL_STOP = 4;

/**
 * The caller's verdict on epoch `epoch` (0-based) of a judged run: continue, or stop after it. The parameters in
 * `sh.params` are those at the end of that epoch until this is called (every worker waits for it).
 */
export function judgeEpoch(sh: SharedState, epoch: number, stop: boolean): void {
  if (stop) Atomics.store(sh.ctl, CTL_STOP, 1);
  Atomics.store(sh.ctl, CTL_JUDGED, epoch + 1);
  Atomics.notify(sh.ctl, CTL_JUDGED);
}

function awaitJudgement(ctl: Int32Array, epoch: number): void {
  for (let v = Atomics.load(ctl, CTL_JUDGED); v <= epoch; v = Atomics.load(ctl, CTL_JUDGED)) Atomics.wait(ctl, CTL_JUDGED, v);
}

/** Allocates the shared state for `workers` workers. */
export function allocShared(total: number, workers: number, nVal: number, init: Float32Array): SharedState {
  const f32 = (n: number) => new Float32Array(new SharedArrayBuffer(4 * n));
  const params = f32(total);
  params.set(init);
  return {
    params, m: f32(total), v: f32(total), slots: Array.from({ length: workers }, () => f32(total)),
    ctl: new Int32Array(new SharedArrayBuffer(4 * CTL_SLOTS)),
    lossSums: new Float64Array(new SharedArrayBuffer(8 * 2 * 2 * workers)),
    preds: f32(2 * Math.max(1, nVal)),
  };
}

function barrier(ctl: Int32Array, n: number): void {
  if (n === 1) return;
  const gen = Atomics.load(ctl, 0);
  if (Atomics.add(ctl, 1, 1) === n - 1) {
    Atomics.store(ctl, 1, 0);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
  } else {
    while (Atomics.load(ctl, 0) === gen) Atomics.wait(ctl, 0, gen);
  }
}

/** The shuffle seed of an epoch (the same in every worker). */
export function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0;
}

/** Runs the whole training loop of one worker. `post` sends progress (worker 0) and the final 'done'. */
export function runLoop(cfg: LoopConfig, sh: SharedState, train: TrainData, val: TrainData | undefined, mm: MatMul, post: (m: LoopMessage) => void): void {
  const { spec, workers: W, index: w, batchSize: B } = cfg;
  const step = new Step(spec, mm);
  const total = sh.params.length;
  const pLo = Math.floor((total * w) / W);
  const pHi = Math.floor((total * (w + 1)) / W);
  const n = train.n;
  const stepsPerEpoch = Math.ceil(n / B);
  const slot = sh.slots[w];
  // The adversarial head's parameters come last in the layout; they take their own learning rate.
  const advEntry = paramLayout(spec).entries.find((e) => e.name.startsWith('adv.'));
  const advLo = advEntry ? advEntry.offset : total;
  const advMult = spec.advLrMult ?? 1;
  let t = 0;
  let lastPost = 0;
  for (let epoch = 0; epoch < cfg.epochs; epoch++) {
    const parity = epoch % 2;
    const perm = permutation(n, epochSeed(cfg.seed, epoch));
    const at = (k: number, kind: number) => 2 * (parity * W + k) + kind;
    sh.lossSums[at(w, 0)] = 0;
    sh.lossSums[at(w, 1)] = 0;
    let rowsSeen = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const start = s * B;
      const bEff = Math.min(B, n - start);
      const lo = start + Math.floor((bEff * w) / W);
      const hi = start + Math.floor((bEff * (w + 1)) / W);
      slot.fill(0);
      if (hi > lo) {
        const l = step.run(sh.params, slot, train, perm.subarray(lo, hi), 1 / bEff);
        sh.lossSums[at(w, 0)] += l.task;
        sh.lossSums[at(w, 1)] += l.adv;
      }
      rowsSeen += bEff;
      barrier(sh.ctl, W);
      t++;
      if (advLo < pHi && advMult !== 1) {
        adamStep(sh.params, sh.m, sh.v, sh.slots, pLo, Math.max(pLo, advLo), t, cfg.adam);
        adamStep(sh.params, sh.m, sh.v, sh.slots, Math.max(pLo, advLo), pHi, t, { ...cfg.adam, lr: cfg.adam.lr * advMult });
      } else {
        adamStep(sh.params, sh.m, sh.v, sh.slots, pLo, pHi, t, cfg.adam);
      }
      barrier(sh.ctl, W);
      if (w === 0) {
        Atomics.store(sh.ctl, 2, t);
        const now = Date.now();
        if (now - lastPost > 200 || s === stepsPerEpoch - 1) {
          lastPost = now;
          let sum = 0;
          for (let k = 0; k < W; k++) sum += sh.lossSums[at(k, 0)];
          // Other workers' sums may be a step ahead or behind here; this is a progress figure only.
          post({ type: 'step', epoch, step: s + 1, stepsPerEpoch, loss: sum / Math.max(1, rowsSeen), rows: rowsSeen });
        }
      }
    }
    if (val && val.n > 0) {
      const lo = Math.floor((val.n * w) / W);
      const hi = Math.floor((val.n * (w + 1)) / W);
      const rows = Int32Array.from({ length: hi - lo }, (_, i) => lo + i);
      for (let c = 0; c < rows.length; c += 4096) {
        const part = rows.subarray(c, Math.min(rows.length, c + 4096));
        sh.preds.set(step.predict(sh.params, val, part), parity * val.n + lo + c);
      }
    }
    barrier(sh.ctl, W);
    if (w === 0) {
      let sum = 0;
      let adv = 0;
      for (let k = 0; k < W; k++) {
        sum += sh.lossSums[at(k, 0)];
        adv += sh.lossSums[at(k, 1)];
      }
      post({ type: 'epoch', epoch, loss: sum / n, lengthLoss: adv / n, parity });
    }
    if (cfg.judged) {
      // Worker 0 waits for the verdict; the others wait at the barrier, so no parameter moves meanwhile.
      if (w === 0) awaitJudgement(sh.ctl, epoch);
      barrier(sh.ctl, W);
      if (Atomics.load(sh.ctl, CTL_STOP) === 1) break;
    }
  }
  post({ type: 'done', index: w });
}
