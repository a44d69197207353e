// The onnxruntime engine's worker thread: runs the engine loop off the calling process's event loop (each
// session.run blocks its thread for a whole step), so a process that also serves keeps answering while a job
// trains. Progress goes back as loop.ts messages; the final parameters and validation scores as 'result'.
import { parentPort, workerData } from 'node:worker_threads';
import { MOVED_COLUMNS, type TrainData } from './data';
import { runEngineLoop, type EngineLoopConfig } from './ort-engine';

/** What the parent passes in workerData. */
export interface OrtWorkerInput {
  cfg: Omit<EngineLoopConfig, 'signal'>;
  init: Float32Array;
  train: TrainData;
  val?: TrainData;
  /** Validation scores, two buffers alternating by epoch parity (shared with the parent). */
  preds: Float32Array;
}

/** The dataset columns the parent moved here, to move back with the last message. */
export interface MovedBack {
  train: Partial<TrainData>;
  val?: Partial<TrainData>;
}

/**
 * onnxruntime-node takes no tensor over a SharedArrayBuffer: a column that arrives shared is copied once into
 * this thread's memory (the trainer moves plain columns here instead, so this copy is the exception).
 */
function unshared(d: TrainData): TrainData {
  const out = { ...d };
  for (const k of ['userCat', 'userDense', 'itemCat', 'itemDense', 'itemAge', 'label', 'lenZ'] as const) {
    const a = d[k];
    if (a.buffer instanceof SharedArrayBuffer) (out as Record<typeof k, Int32Array | Float32Array>)[k] = a.slice();
  }
  return out;
}

function movedBack(input: OrtWorkerInput): { back: MovedBack; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const cols = (d: TrainData): Partial<TrainData> => {
    const out: Partial<TrainData> = {};
    for (const k of MOVED_COLUMNS) {
      const a = d[k];
      (out as Record<typeof k, Int32Array | Float32Array>)[k] = a;
      if (!(a.buffer instanceof SharedArrayBuffer) && !transfer.includes(a.buffer as ArrayBuffer)) transfer.push(a.buffer as ArrayBuffer);
    }
    return out;
  };
  return { back: { train: cols(input.train), ...(input.val ? { val: cols(input.val) } : {}) }, transfer };
}

async function main(input: OrtWorkerInput): Promise<void> {
  const params = await runEngineLoop(input.cfg, input.init, unshared(input.train), input.val && unshared(input.val), input.preds, (m) => parentPort!.postMessage(m));
  const { back, transfer } = movedBack(input);
  parentPort!.postMessage({ type: 'result', params, back }, transfer);
}

if (parentPort) {
  const input = workerData as OrtWorkerInput;
  main(input).catch((err: unknown) => {
    const { back, transfer } = movedBack(input);
    parentPort!.postMessage({ type: 'error', message: (err as Error).stack ?? String(err), back }, transfer);
  });
}
