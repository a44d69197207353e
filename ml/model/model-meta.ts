// model.json: what a version's artifacts are (architecture, task, layout, vector size, head inputs, the
// full spec and parameter layout for rebuilding the TF.js model from tfjs/weights.bin, training metrics).
import type { FeatureLayout } from '../features/layout';
import type { Arch, ModelSpec, Task } from './spec';
import { Params, paramLayout } from './params';
import { archModel } from './arch';

/** The format tag of model.json. */
export const MODEL_FORMAT = 'modelops.two-tower.v1';

/** The parsed model.json. */
export interface ModelMeta {
  format: string;
  arch: Arch;
  task: Task;
  layout: FeatureLayout;
  /** Width of user_vec and item_vec. */
  vectorDim: number;
  /** Inputs of head.onnx (empty when there is none): score = u.v for base and grl. */
  headInputs: string[];
  /** How the score is formed from the ONNX outputs, in words. */
  score: string;
  spec: ModelSpec;
  /** The parameter layout of tfjs/weights.bin (float32 LE, concatenated in this order). */
  params: { name: string; shape: number[] }[];
  trainingMetrics: Record<string, number>;
  backend: string;
  /** The market time zone of the training data (scoring derives a request's hod/dow there). */
  timezone?: string;
  /** The dataset the version was trained on. */
  dataset?: { id: string; window: string; label: string; buckets: string; timezone: string };
}

/** Builds model.json for trained parameters. */
export function modelMeta(p: Params, trainingMetrics: Record<string, number>, backend: string, dataset?: ModelMeta['dataset']): ModelMeta {
  const s = p.spec;
  const arch = archModel(s.arch);
  const headInputs = [...arch.headInputs];
  const score = arch.scoreText;
  return {
    format: MODEL_FORMAT, arch: s.arch, task: s.task, layout: s.layout, vectorDim: s.dim, headInputs, score, spec: s,
    params: p.entries.map((e) => ({ name: e.name, shape: e.shape })), trainingMetrics, backend,
    ...(dataset ? { timezone: dataset.timezone, dataset } : {}),
  };
}

/** The bytes of tfjs/weights.bin. */
export function weightsBin(p: Params): Buffer {
  return Buffer.from(p.data.buffer.slice(p.data.byteOffset, p.data.byteOffset + p.data.byteLength) as ArrayBuffer);
}

/** Rebuilds parameters from model.json and tfjs/weights.bin. */
export function paramsFrom(meta: ModelMeta, weights: Buffer): Params {
  const { total } = paramLayout(meta.spec);
  if (weights.length !== total * 4) throw new Error(`tfjs/weights.bin: ${weights.length} bytes, the spec needs ${total * 4}`);
  const data = new Float32Array(total);
  for (let i = 0; i < total; i++) data[i] = weights.readFloatLE(4 * i);
  return new Params(meta.spec, data);
}
