// The served record of calls made while a rollout runs (request id, model, user, arm, time), written
// asynchronously in batches so that an outcome reported with only its request id can be joined to the arm
// that served it (RolloutLog.served, registry/rollout-log.ts). Bounded: when the buffer is full, records are
// shed (counted), never waited for; a failed write is logged and dropped. Nothing is recorded when no rollout runs (arm
// "production": every user is on production then, and outcomes join through the rollout history).
import type { Logger } from 'pino';
import type { ServedRecord } from '../../registry/rollout-log';

/** Options of the log. */
export interface ServedLogOptions {
  /** Writes a batch (RolloutLog.recordServed). */
  sink: (rows: ServedRecord[]) => Promise<void>;
  /** Records buffered at most; beyond, new records are shed. Default 20,000. */
  maxBuffer?: number;
  /** Flush period in ms; 0 disables the timer. Default 2,000. */
  flushMs?: number;
  log: Logger;
}

/** The log. */
export class ServedLog {
  private buffer: ServedRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  /** Records dropped because the buffer was full or a write failed. */
  shed = 0;
  written = 0;

  constructor(private readonly opts: ServedLogOptions) {
    const every = opts.flushMs ?? 2000;
    if (every > 0) {
      this.timer = setInterval(() => { void this.flush(); }, every);
      this.timer.unref();
    }
  }

  /** Buffers one record; false when it was shed. O(1), never waits. */
  record(row: ServedRecord): boolean {
    if (this.buffer.length >= (this.opts.maxBuffer ?? 20_000)) {
      this.shed++;
      return false;
    }
    this.buffer.push(row);
    return true;
  }

  /** Writes what is buffered (one write at a time). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = this.opts.sink(rows).then(() => { this.written += rows.length; }, (err: unknown) => {
      this.shed += rows.length;
      this.opts.log.warn({ err, rows: rows.length }, 'scoring: could not write served records; dropped');
    }).finally(() => { this.flushing = undefined; });
    await this.flushing;
  }

  /** Stops the timer and writes the rest. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
