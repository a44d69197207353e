// When the staged files of IngestEvents batches are merged: as soon as a source has STAGED_FILES_MAX staged files
// (checked after each batch), and on a timer for every source whose oldest staged file is older than
// STAGED_MAX_AGE_S, so a trickle of batches still ends in one file per day. Dataset builds compact before they
// read (dataset-builder.ts). Work on one source runs one at a time; errors are logged, the files stay staged and
// readable, and the next trigger tries again.
import type { Logger } from 'pino';
import type { EventLogStore } from '../../registry/event-log';

/** Staged files of one source that trigger a compaction at once. */
export const STAGED_FILES_MAX = 16;
/** The age (seconds) after which staged files are merged whatever their number. */
export const STAGED_MAX_AGE_S = 60;

/** Schedules compactions of the event log's staged files. */
export class Compactor {
  private readonly running = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<unknown>;

  constructor(private readonly events: EventLogStore, private readonly log: Logger) {}

  /** Compacts a source in the background when it has at least STAGED_FILES_MAX staged files. */
  afterAppend(source: string): void {
    if (this.running.has(source)) return;
    const job = (async () => {
      const s = await this.events.stats(source);
      if (s.stagedFiles >= STAGED_FILES_MAX) await this.events.compact(source);
    })().catch((err: unknown) => this.log.warn({ err, source }, 'event log: compaction failed (the staged files stay readable)'))
      .finally(() => this.running.delete(source));
    this.running.set(source, job);
  }

  /** Compacts every source whose oldest staged file is older than `ageS`; returns the sources compacted. */
  async sweep(ageS = STAGED_MAX_AGE_S): Promise<string[]> {
    const done: string[] = [];
    for (const source of await this.events.sourcesStagedBefore(ageS)) {
      await this.running.get(source);
      await this.events.compact(source);
      done.push(source);
    }
    return done;
  }

  /** Starts the timer of `sweep` (every STAGED_MAX_AGE_S / 2 seconds). */
  start(): void {
    this.timer = setInterval(() => {
      // A sweep still running (a large compaction) is not joined by another one.
      if (this.sweeping) return;
      this.sweeping = this.sweep().catch((err: unknown) => this.log.warn({ err }, 'event log: compaction sweep failed (the staged files stay readable)'))
        .finally(() => { this.sweeping = undefined; });
    }, (STAGED_MAX_AGE_S / 2) * 1000);
    this.timer.unref();
  }

  /** Stops the timer and waits for running compactions. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.running.values(), this.sweeping]);
  }
}
