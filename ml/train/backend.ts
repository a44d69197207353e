// Picks the fastest TensorFlow.js backend that loads: tfjs-node-gpu, tfjs-node, wasm, cpu (in that order).
// The native bindings are optional dependencies that cannot install on every machine, so each is tried
// and skipped when it does not load. The chosen name is recorded on the job and the version.
// Training has one more choice, ahead of every CPU backend: the onnxruntime engine (ort-engine.ts), for the
// arch x task pairs whose gradient parity with TF.js autodiff is tested (ort-graph.ts ortSupports).
import * as tf from '@tensorflow/tfjs';
import { readVar } from '../../core/config';
import type { ModelSpec } from '../model/spec';
import { ortSupports } from './ort-graph';

/** A backend name as recorded: "tensorflow-gpu", "tensorflow" (tfjs-node), "wasm" or "cpu". */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** The order of preference. */
export const BACKEND_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

let chosen: Promise<BackendName> | undefined;

function tryRequire(name: string): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(name);
    return true;
  } catch {
    return false;
  }
}

async function attempt(name: BackendName, wasmThreads: number): Promise<boolean> {
  try {
    if (name === 'tensorflow-gpu') {
      if (!tryRequire('@tensorflow/tfjs-node-gpu')) return false;
      return await tf.setBackend('tensorflow');
    }
    if (name === 'tensorflow') {
      if (!tryRequire('@tensorflow/tfjs-node')) return false;
      return await tf.setBackend('tensorflow');
    }
    if (name === 'wasm') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
      // One thread per worker: the trainer parallelises across cores with its own workers.
      wasm.setThreadsCount(wasmThreads);
      return await tf.setBackend('wasm');
    }
    return await tf.setBackend('cpu');
  } catch {
    return false;
  }
}

/**
 * Activates the best backend (or `prefer` when given and it loads) and returns its name. The result is
 * memoised per thread; MODELOPS_TF_BACKEND overrides the order (for benchmarks and tests).
 */
export function pickBackend(prefer?: BackendName, wasmThreads = 1): Promise<BackendName> {
  if (chosen) return chosen;
  chosen = (async () => {
    const env = readVar('MODELOPS_TF_BACKEND');
    const first = prefer ?? (env && (BACKEND_ORDER as string[]).includes(env) ? env as BackendName : undefined);
    const order = first ? [first, ...BACKEND_ORDER.filter((b) => b !== first)] : BACKEND_ORDER;
    for (const name of order) {
      if (await attempt(name, wasmThreads)) {
        await tf.ready();
        return name;
      }
    }
    throw new Error('no TensorFlow.js backend loads (tried tfjs-node-gpu, tfjs-node, wasm, cpu)');
  })();
  return chosen;
}

/** What trains a model: the onnxruntime engine, or the wasm step on a TF.js backend. */
export type TrainingBackend = BackendName | 'onnxruntime';

/** The training order: tfjs-node-gpu (CUDA), then the onnxruntime engine, then the TF.js CPU backends. */
export const TRAINING_ORDER: TrainingBackend[] = ['tensorflow-gpu', 'onnxruntime', 'tensorflow', 'wasm', 'cpu'];

/** The engine a run uses, and why the onnxruntime engine was passed over when it was wanted but cannot train the pair. */
export interface EngineChoice {
  engine: 'onnxruntime' | 'tfjs';
  /** Set when the onnxruntime engine was wanted (forced or the default) but does not cover the arch x task. */
  fallback?: string;
}

/**
 * Chooses the training engine for a spec. `prefer` (or MODELOPS_TF_BACKEND: `ort` or `onnxruntime` forces the
 * engine, a TF.js name forces that backend) overrides the order; otherwise tfjs-node-gpu wins when it loads,
 * then the onnxruntime engine for the pairs it covers, then the TF.js CPU backends.
 */
export function chooseEngine(spec: Pick<ModelSpec, 'arch' | 'task'>, prefer?: TrainingBackend): EngineChoice {
  const env = readVar('MODELOPS_TF_BACKEND');
  const forced = prefer ?? (env === 'ort' || env === 'onnxruntime' ? 'onnxruntime' : env && (BACKEND_ORDER as string[]).includes(env) ? env as BackendName : undefined);
  if (forced && forced !== 'onnxruntime') return { engine: 'tfjs' };
  if (!forced && tryRequire('@tensorflow/tfjs-node-gpu')) return { engine: 'tfjs' };
  if (ortSupports(spec)) return { engine: 'onnxruntime' };
  return { engine: 'tfjs', fallback: `the onnxruntime engine does not cover ${spec.arch} ${spec.task}` };
}
