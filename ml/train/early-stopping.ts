// Early stopping on the validation part: after each epoch the trainer hands the epoch's headline validation
// metric here; the best epoch's parameters are kept, and training stops once `patience` epochs in a row have
// not improved on it. The returned model is the best epoch's, so its validation metrics are those reported.
import { judgeEpoch, type SharedState } from './loop';

/** Epochs without improvement before training stops, when the caller does not say. */
export const DEFAULT_PATIENCE = 2;

/**
 * The rule itself: the best epoch by the validation metric (NaN never improves), its parameters, and whether
 * `patience` epochs in a row without improvement have passed. Used by both training paths.
 */
export class BestEpoch {
  /** The 0-based index of the best epoch so far (-1 before the first). */
  bestEpoch = -1;
  /** The best epoch's parameters (a copy), once an epoch was judged. */
  best: Float32Array | undefined;
  private bestValue = Number.NaN;
  private stale = 0;

  /** `higherIsBetter` for AUC, not for RMSE; `patience` >= 1. */
  constructor(private readonly higherIsBetter: boolean, private readonly patience: number) {}

  /** Judges epoch `epoch` (called once per epoch, in order) with its parameters; true when training stops after it. */
  epochEnd(epoch: number, value: number, params: Float32Array, lastEpoch: boolean): boolean {
    const better = Number.isFinite(value) && (this.bestEpoch < 0 || !Number.isFinite(this.bestValue)
      || (this.higherIsBetter ? value > this.bestValue : value < this.bestValue));
    if (better || this.bestEpoch < 0) {
      this.bestEpoch = epoch;
      this.bestValue = value;
      if (!this.best || this.best.length !== params.length) this.best = new Float32Array(params.length);
      this.best.set(params);
      this.stale = 0;
    } else {
      this.stale++;
    }
    return !lastEpoch && this.stale >= this.patience;
  }
}

/** Early stopping for the data-parallel workers of loop.ts: judges on the shared parameters and releases the paused workers. */
export class EarlyStopping {
  private readonly rule: BestEpoch;

  /** `higherIsBetter` for AUC, not for RMSE; `patience` >= 1. */
  constructor(private readonly shared: SharedState, higherIsBetter: boolean, patience: number) {
    this.rule = new BestEpoch(higherIsBetter, patience);
  }

  /** The 0-based index of the best epoch so far (-1 before the first). */
  get bestEpoch(): number {
    return this.rule.bestEpoch;
  }

  /** The best epoch's parameters. */
  get best(): Float32Array {
    return this.rule.best ?? this.shared.params;
  }

  /**
   * Judges epoch `epoch` by its validation metric and releases the paused workers; returns true when training
   * stops after it. Must be called once per epoch, in order.
   */
  epochEnd(epoch: number, value: number, lastEpoch: boolean): boolean {
    const stop = this.rule.epochEnd(epoch, value, this.shared.params, lastEpoch);
    judgeEpoch(this.shared, epoch, stop);
    return stop;
  }
}
