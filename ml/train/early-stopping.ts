// Early stopping on the validation part: after each epoch the trainer hands the epoch's headline validation
// metric here; the best epoch's parameters are kept, and training stops once `patience` epochs in a row have
// not improved on it. The returned model is the best epoch's, so its validation metrics are those reported.
import { judgeEpoch, type SharedState } from './loop';

/** Epochs without improvement before training stops, when the caller does not say. */
export const DEFAULT_PATIENCE = 2;

/** Tracks the best epoch of a judged run and decides when to stop. */
export class EarlyStopping {
  /** The 0-based index of the best epoch so far (-1 before the first). */
  bestEpoch = -1;
  /** The best epoch's parameters. */
  readonly best: Float32Array;
  private bestValue = Number.NaN;
  private stale = 0;

  /** `higherIsBetter` for AUC, not for RMSE; `patience` >= 1. */
  constructor(private readonly shared: SharedState, private readonly higherIsBetter: boolean, private readonly patience: number) {
    this.best = new Float32Array(shared.params.length);
  }

  /**
   * Judges epoch `epoch` by its validation metric (NaN never improves) and releases the paused workers; returns
   * true when training stops after it. Must be called once per epoch, in order.
   */
  epochEnd(epoch: number, value: number, lastEpoch: boolean): boolean {
    const better = Number.isFinite(value) && (this.bestEpoch < 0 || !Number.isFinite(this.bestValue)
      || (this.higherIsBetter ? value > this.bestValue : value < this.bestValue));
    if (better || this.bestEpoch < 0) {
      this.bestEpoch = epoch;
      this.bestValue = value;
      this.best.set(this.shared.params);
      this.stale = 0;
    } else {
      this.stale++;
    }
    const stop = !lastEpoch && this.stale >= this.patience;
    judgeEpoch(this.shared, epoch, stop);
    return stop;
  }
}
