// The onnxruntime engine's worker thread: runs the engine loop off the calling process's event loop (each
// session.run blocks its thread for a whole step), so a process that also serves keeps answering while a job
// trains. Progress goes back as loop.ts messages; the final parameters and validation scores as 'result'.
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainData } from './data';
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

async function main(): Promise<void> {
  const input = workerData as OrtWorkerInput;
  const params = await runEngineLoop(input.cfg, input.init, input.train, input.val, input.preds, (m) => parentPort!.postMessage(m));
  parentPort!.postMessage({ type: 'result', params });
}

if (parentPort) {
  main().catch((err: unknown) => {
    parentPort!.postMessage({ type: 'error', message: (err as Error).stack ?? String(err) });
  });
}
