// The exploration log: every candidate that a rollout's exploration slot moved to a random position of a
// Score response, with its request, user, position and time, so feedback on it can later be told apart from
// feedback on what the model chose (`modelops data build --exploration-of`). Like the exposure log and unlike
// the served log, nothing here is ever shed: a dropped row would bias the missing-at-random sample towards
// whatever the dropping correlates with (load, time of day). Memory is the rows not yet written; a failed
// write keeps its rows for the next flush.
import type { Logger } from 'pino';
import type { ExplorationRecord } from '../../registry/rollout-store';

/** Options of the log. */
export interface ExplorationLogOptions {
  /** Writes a batch (RolloutStore.recordExplorations). */
  sink: (rows: ExplorationRecord[]) => Promise<void>;
  /** Flush period in ms; 0 disables the timer. Default 2,000. */
  flushMs?: number;
  log: Logger;
}

/** What the log needs of an exploring response. */
export interface ExploredResponse {
  requestId: string;
  arm: string;
  itemIds: string[];
  exploredItemIds: string[];
}

/** The log. */
export class ExplorationLog {
  private pending: ExplorationRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  /** Rows written so far. */
  written = 0;
  /** Writes that failed (their rows were kept and retried). */
  failedWrites = 0;

  constructor(private readonly opts: ExplorationLogOptions) {
    const every = opts.flushMs ?? 2000;
    if (every > 0) {
      this.timer = setInterval(() => { void this.flush(); }, every);
      this.timer.unref();
    }
  }

  /** Notes the explored candidates of one response of rollout `rolloutId`; never waits. */
  record(rolloutId: string, userId: string, r: ExploredResponse, now = new Date()): void {
    for (const itemId of r.exploredItemIds) {
      this.pending.push({ rolloutId, requestId: r.requestId, arm: r.arm, userId, itemId, position: r.itemIds.indexOf(itemId),
        listLength: r.itemIds.length, time: now });
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
      this.opts.log.warn({ err, rows: rows.length }, 'scoring: could not write explorations; kept for the next flush');
    }).finally(() => { this.flushing = undefined; });
    await this.flushing;
  }

  /** Stops the timer and writes the rest. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
