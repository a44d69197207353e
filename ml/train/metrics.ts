// The training metrics reported per epoch and stored on the version: AUC and log loss (binary), MAE, RMSE
// and MSE (regression), with the mean predictor's RMSE beside it as the bar a model must clear.
import { globalAuc } from '../metrics/auc';
import type { Task } from '../model/spec';

/** Metrics of scores against labels for a task; names are prefixed with `prefix` (e.g. "val_"). */
export function taskMetrics(task: Task, score: Float32Array, label: Float32Array, prefix = ''): Record<string, number> {
  const n = score.length;
  if (n === 0) return {};
  if (task === 'binary') {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const z = score[i];
      ll += Math.max(z, 0) - z * label[i] + Math.log1p(Math.exp(-Math.abs(z)));
    }
    return { [`${prefix}auc`]: globalAuc(score, label), [`${prefix}logloss`]: ll / n };
  }
  let abs = 0;
  let sq = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += label[i] / n;
  let base = 0;
  for (let i = 0; i < n; i++) {
    const e = score[i] - label[i];
    abs += Math.abs(e);
    sq += e * e;
    base += (label[i] - mean) ** 2;
  }
  return { [`${prefix}mae`]: abs / n, [`${prefix}rmse`]: Math.sqrt(sq / n), [`${prefix}mse`]: sq / n, [`${prefix}rmse_mean_predictor`]: Math.sqrt(base / n) };
}

/** The headline validation metric of a task, as named in taskMetrics. */
export function headline(task: Task): string {
  return task === 'binary' ? 'auc' : 'rmse';
}
