// The batching shared by the logs whose rows are never shed (exposures, explorations): rows wait in memory
// until the next flush (every `flushMs`, and at close), one write at a time, and a failed write keeps its rows
// for the next flush.
import type { Logger } from 'pino';

/** Options of a never-shed log. */
export interface NeverShedLogOptions<R> {
  /** Writes a batch. */
  sink: (rows: R[]) => Promise<void>;
  /** Flush period in ms; 0 disables the timer. Default 2,000. */
  flushMs?: number;
  log: Logger;
}

/** Rows of kind `what` batched to `sink`; subclasses decide what to push. */
export class NeverShedLog<R> {
  protected pending: R[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  /** Rows written so far. */
  written = 0;
  /** Writes that failed (their rows were kept and retried). */
  failedWrites = 0;

  constructor(private readonly opts: NeverShedLogOptions<R>, private readonly what: string) {
    const every = opts.flushMs ?? 2000;
    if (every > 0) {
      this.timer = setInterval(() => { void this.flush(); }, every);
      this.timer.unref();
    }
  }

  /** Rows not yet written. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Writes what is pending (one write at a time); a failed write keeps its rows for the next flush. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.flushing = this.opts.sink(rows).then(() => { this.written += rows.length; }, (err: unknown) => {
      this.failedWrites++;
      this.pending = rows.concat(this.pending);
      this.opts.log.warn({ err, rows: rows.length }, `scoring: could not write ${this.what}; kept for the next flush`);
    }).finally(() => { this.flushing = undefined; });
    await this.flushing;
  }

  /** Stops the timer and writes the rest. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
