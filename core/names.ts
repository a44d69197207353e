// Resource names, built and parsed in one place so every layer writes `models/{m}/versions/{n}` the same way.
// Parsers accept either the full resource name or the bare id (the CLI and older clients send both); they do
// not validate the id itself, which stays the job of the store that owns the resource.

import { invalid } from './errors';

/** The resource name of a model: `models/{model}`. */
export function modelName(model: string): string {
  return `models/${model}`;
}

/** The resource name of a model version: `models/{model}/versions/{number}`. */
export function versionName(model: string, number: number | string): string {
  return `models/${model}/versions/${number}`;
}

/** The resource name of a dataset: `datasets/{id}`. */
export function datasetName(id: string): string {
  return `datasets/${id}`;
}

/** The resource name of an evaluation: `models/{model}/evaluations/{id}`. */
export function evaluationName(model: string, id: string): string {
  return `models/${model}/evaluations/${id}`;
}

/** The resource name of a rollout: `models/{model}/rollouts/{id}`. */
export function rolloutName(model: string, id: string): string {
  return `models/${model}/rollouts/${id}`;
}

/** The resource name of a training job: `trainingJobs/{id}`. */
export function trainingJobName(id: string): string {
  return `trainingJobs/${id}`;
}

/** The model id in `models/{model}` or a bare model id (the rest of the name is not allowed). */
export function parseModelName(name: string): string {
  return (name ?? '').replace(/^models\//, '');
}

/**
 * The version part of `models/{model}/versions/{x}` when the name belongs to `model`, else the input unchanged
 * (a bare number or version name).
 */
export function parseVersionRef(model: string, ref: string): string {
  const prefix = versionName(model, '');
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : ref;
}

/** The dataset id in `datasets/{id}` or a bare id; INVALID_ARGUMENT when nothing is left. */
export function parseDatasetName(name: string): string {
  const id = (name ?? '').replace(/^datasets\//, '');
  if (!id) throw invalid('name: give datasets/{id} or the id');
  return id;
}

/** The dataset id in `datasets/{id}` or a bare id, possibly empty (for optional fields). */
export function datasetIdOf(name: string): string {
  return (name ?? '').replace(/^datasets\//, '');
}

/** The evaluation id in `models/{model}/evaluations/{id}` or a bare id; INVALID_ARGUMENT when nothing is left. */
export function parseEvaluationName(name: string): string {
  const id = (name ?? '').replace(/^models\/[^/]+\/evaluations\//, '');
  if (!id) throw invalid('name: give the evaluation id or models/{model}/evaluations/{id}');
  return id;
}

/** The job id in `trainingJobs/{id}` or a bare id; INVALID_ARGUMENT when nothing is left. */
export function parseTrainingJobName(name: string): string {
  const id = (name ?? '').replace(/^trainingJobs\//, '');
  if (!id) throw invalid('name: give the job id or trainingJobs/{id}');
  return id;
}
