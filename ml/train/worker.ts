// The worker thread of the trainer: activates the same TF.js backend as the parent (one wasm thread) and
// runs the shared training loop (loop.ts) on its slice of every batch.
import { parentPort, workerData } from 'node:worker_threads';
import { pickBackend, type BackendName } from './backend';
import { runLoop, type LoopConfig, type SharedState } from './loop';
import { tfMatMul } from './matmul';
import type { TrainData } from './data';

/** What the parent passes in workerData. */
export interface WorkerInput {
  cfg: LoopConfig;
  shared: SharedState;
  train: TrainData;
  val?: TrainData;
  backend: BackendName;
}

async function main(): Promise<void> {
  const input = workerData as WorkerInput;
  await pickBackend(input.backend);
  runLoop(input.cfg, input.shared, input.train, input.val, tfMatMul, (m) => parentPort!.postMessage(m));
}

if (parentPort) {
  main().catch((err: unknown) => {
    parentPort!.postMessage({ type: 'error', message: (err as Error).stack ?? String(err) });
  });
}
