// The served log: which user and arm each Score request went to, written asynchronously so that outcomes
// carrying only a request id can be joined (RecordOutcomes). It is bounded and sheds under load: `add` is
// O(1) and never waits; records beyond the buffer are dropped and counted (such outcomes are then reported
// `unmatched`, never misattributed). Outcomes with a user id need none of this: assignment is a pure function.
import type { ServedRecord } from '../../registry/rollout-store';

/** Options of a ServedLog. */
export interface ServedLogOptions {
  /** Records buffered at most between flushes; beyond, records are shed. Default 10,000. */
  maxBuffer?: number;
  /** Flush period in ms; 0 disables the timer. Default 1,000. */
  flushMs?: number;
  /** Called when a flush fails (its records are dropped: best effort). */
  onError?: (err: unknown) => void;
}

/** A bounded, batching writer of served records (for example to RolloutStore.recordServed). */
export class ServedLog {
  private buffer: ServedRecord[] = [];
  private flushing?: Promise<void>;
  private readonly timer?: NodeJS.Timeout;
  /** Records written, and records shed because the buffer was full. */
  readonly counts = { written: 0, shed: 0, failed: 0 };
  private readonly maxBuffer: number;

  constructor(private readonly write: (rows: ServedRecord[]) => Promise<void>, private readonly opts: ServedLogOptions = {}) {
    this.maxBuffer = opts.maxBuffer ?? 10_000;
    const every = opts.flushMs ?? 1_000;
    if (every > 0) {
      this.timer = setInterval(() => { void this.flush(); }, every);
      this.timer.unref();
    }
  }

  /** Buffers one record; false when it was shed. */
  add(r: ServedRecord): boolean {
    if (this.buffer.length >= this.maxBuffer) {
      this.counts.shed++;
      return false;
    }
    this.buffer.push(r);
    return true;
  }

  /** Writes what is buffered in one call; concurrent flushes wait for the running one first. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = this.write(rows).then(() => { this.counts.written += rows.length; }, (err: unknown) => {
      this.counts.failed += rows.length;
      this.opts.onError?.(err);
    }).finally(() => { this.flushing = undefined; });
    await this.flushing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
