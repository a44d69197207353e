// The writer of bulk loads (import, generate): views are buffered into runs of at least 262,144 (one Parquet
// file per market day of each run) so the log is made of large files, and each run is stored as a batch whose
// key is the sha256 of its views' content: loading the same file twice adds nothing the second time.
import * as crypto from 'node:crypto';
import type { ViewRecord } from '../../ml/data/events';
import { ViewRunBuilder, type ViewRun } from '../../ml/data/view-run';
import type { EventLogStore } from '../../registry/event-log';

/** Views per stored batch of a bulk load: about 4 MB of Parquet, 10 MB of columns in memory. */
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

/**
 * Buffers views and stores them in batches; one batch is stored while the next fills, so parsing overlaps the
 * encoding and upload of the one before (on one thread, the overlap is the upload). `flush` waits for all.
 */
export class LogWriter {
  private run = new ViewRunBuilder(1024);
  private hash = crypto.createHash('sha256');
  // Canonical text is hashed in pieces of about 64 kB rather than one update per view.
  private text = '';
  private pending?: Promise<void>;
  /** Views stored by this writer. */
  added = 0;
  /** Views of batches stored before (nothing written for them). */
  alreadyStored = 0;

  constructor(private readonly store: EventLogStore, private readonly source: string, private readonly timezone: string,
    private readonly batch = BULK_BATCH_VIEWS) {}

  /** Adds a view (with the generator's true affinity, if any); stores a full batch. */
  async add(v: ViewRecord, affinity?: number | null): Promise<void> {
    this.run.add(v, affinity);
    this.text += viewText(v, affinity);
    if (this.text.length >= 65_536) {
      this.hash.update(this.text);
      this.text = '';
    }
    if (this.run.size >= this.batch) await this.send();
  }

  private async send(): Promise<void> {
    if (this.pending) await this.pending;
    this.pending = undefined;
    if (this.run.size === 0) return;
    this.hash.update(this.text);
    const key = this.hash.digest('hex');
    const run: ViewRun = this.run.take();
    this.text = '';
    this.hash = crypto.createHash('sha256');
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
    await this.send();
    if (this.pending) await this.pending;
    this.pending = undefined;
  }
}
