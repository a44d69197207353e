// The writer of bulk loads (import, generate): views are buffered per market day into runs of up to 262,144 (one
// Parquet file each) so the log is made of large files, and each run is stored as a batch whose key is the
// sha256 of its views' content: loading the same file twice adds nothing the second time.
import * as crypto from 'node:crypto';
import type { ViewRecord } from '../../ml/data/events';
import { MarketClock } from '../../ml/data/time';
import { ViewRunBuilder, type ViewRun } from '../../ml/data/view-run';
import type { EventLogStore } from '../../registry/event-log';

/** Views per stored batch (file) of a bulk load: about 4 MB of Parquet, 12 MB of columns in memory. */
export const BULK_BATCH_VIEWS = 262_144;

/** The canonical text of a view (every stored field), what a batch key hashes. */
export function viewText(v: ViewRecord, affinity: number | null | undefined): string {
  return `${v.user_id}\t${v.item_id}\t${v.creator_id}\t${v.ts}\t${v.language}\t${v.video_length_s ?? ''}\t${v.timespent_s}\t${+v.liked}${+v.shared}${+v.downloaded}\t${v.handset_maker}\t${affinity ?? ''}\n`;
}

/** The key of a batch: the sha256 of its views' canonical text, in the order given. */
export function batchKeyOf(views: { view: ViewRecord; affinity?: number | null }[]): string {
  const h = crypto.createHash('sha256');
  for (const { view, affinity } of views) h.update(viewText(view, affinity));
  return h.digest('hex');
}

/** One market day's views waiting to be stored, and the hash of their canonical text so far. */
class DayBuffer {
  run = new ViewRunBuilder(1024);
  hash = crypto.createHash('sha256');
  // Canonical text is hashed in pieces of about 64 kB rather than one update per view.
  text = '';
}

/**
 * Buffers views per market day and stores a day's views as one batch (one file) when it holds `batch` of them,
 * or when the buffers together hold `maxBuffered` (the fullest day goes), so a load in user order (the
 * generator's) still makes one large file per day instead of a small one per day and batch. One batch is stored
 * while the next fills (on one thread, the overlap is the upload). The split into batches depends only on the
 * views and their order, so loading the same views again makes the same batches and adds nothing. `flush` stores
 * the rest and waits for all.
 */
export class LogWriter {
  private readonly days = new Map<number, DayBuffer>();
  private readonly clock: MarketClock;
  private buffered = 0;
  private pending?: Promise<void>;
  /** Views stored by this writer. */
  added = 0;
  /** Views of batches stored before (nothing written for them). */
  alreadyStored = 0;

  constructor(private readonly store: EventLogStore, private readonly source: string, private readonly timezone: string,
    private readonly batch = BULK_BATCH_VIEWS, private readonly maxBuffered = 8 * BULK_BATCH_VIEWS) {
    this.clock = new MarketClock(timezone);
  }

  /** Adds a view (with the generator's true affinity, if any); stores a full batch. */
  async add(v: ViewRecord, affinity?: number | null): Promise<void> {
    const day = this.clock.dayNumber(v.ts);
    let d = this.days.get(day);
    if (!d) this.days.set(day, (d = new DayBuffer()));
    d.run.add(v, affinity);
    d.text += viewText(v, affinity);
    if (d.text.length >= 65_536) {
      d.hash.update(d.text);
      d.text = '';
    }
    this.buffered++;
    if (d.run.size >= this.batch) await this.send(day);
    else if (this.buffered >= this.maxBuffered) await this.send(this.fullest());
  }

  private fullest(): number {
    let best = Number.NaN;
    let size = -1;
    for (const [day, d] of this.days) if (d.run.size > size) { best = day; size = d.run.size; }
    return best;
  }

  private async send(day: number): Promise<void> {
    if (this.pending) await this.pending;
    this.pending = undefined;
    const d = this.days.get(day);
    if (!d || d.run.size === 0) return;
    this.days.delete(day);
    d.hash.update(d.text);
    const key = d.hash.digest('hex');
    const run: ViewRun = d.run.take();
    this.buffered -= run.n;
    const p = this.store.append(this.source, this.timezone, run, key).then((r) => {
      this.added += r.added;
      this.alreadyStored += r.alreadyStored;
    });
    // Awaited by the next send or by flush; a failure must not count as unhandled meanwhile.
    p.catch(() => undefined);
    this.pending = p;
  }

  /** Stores what is buffered and waits until every batch is stored. */
  async flush(): Promise<void> {
    for (const day of [...this.days.keys()].sort((a, b) => a - b)) await this.send(day);
    if (this.pending) await this.pending;
    this.pending = undefined;
  }
}
