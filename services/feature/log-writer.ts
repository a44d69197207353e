// The writer of bulk loads (import, generate): views are buffered per market day, as columns of writer-wide
// dictionary ids, into runs of up to 262,144 (one Parquet file each) so the log is made of large files, and each
// run is stored as a batch whose key is the sha256 of its content (its dictionaries and columns): loading the same
// file twice adds nothing the second time.
import * as crypto from 'node:crypto';
import { Vocab, type ViewRecord } from '../../ml/data/events';
import type { ViewSink } from '../../ml/data/modelops-bytes';
import { MarketClock } from '../../ml/data/time';
import type { IdColumns, ViewRun } from '../../ml/data/view-run';
import type { EventLogStore } from '../../registry/event-log';

/** Views per stored batch (file) of a bulk load: about 4 MB of Parquet, 12 MB of columns in memory. */
export const BULK_BATCH_VIEWS = 262_144;

/** The canonical text of a view (every stored field), what an IngestEvents batch key hashes. */
export function viewText(v: ViewRecord, affinity: number | null | undefined): string {
  return `${v.user_id}\t${v.item_id}\t${v.creator_id}\t${v.ts}\t${v.language}\t${v.video_length_s ?? ''}\t${v.timespent_s}\t${+v.liked}${+v.shared}${+v.downloaded}\t${v.handset_maker}\t${affinity ?? ''}\n`;
}

/** The key of an IngestEvents batch: the sha256 of its views' canonical text, in the order given. */
export function batchKeyOf(views: { view: ViewRecord; affinity?: number | null }[]): string {
  const h = crypto.createHash('sha256');
  for (const { view, affinity } of views) h.update(viewText(view, affinity));
  return h.digest('hex');
}

/**
 * The key of a bulk batch: the sha256 of its run as stored (each dictionary's strings, then every column's bytes),
 * so it depends only on the views and their order. Hashing the columns costs a few milliseconds a batch where the
 * canonical text of every view cost a string per view.
 */
export function runKey(run: ViewRun): string {
  const h = crypto.createHash('sha256');
  h.update(`bulk-v2\n${run.n}\n`);
  for (const ids of [run.userIds, run.itemIds, run.creatorIds, run.languages, run.handsets]) h.update(`${ids.length}\n${ids.join('\n')}\n`);
  for (const a of [run.user, run.item, run.creator, run.language, run.handset, run.ts, run.lengthS, run.timespentS, run.flags, run.affinity]) {
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}

/**
 * Batches a writer's caller may have sent and not seen stored: a user-ordered 10M-view load fills its 7 days at
 * about the same time, so its batches come in bursts of 7, and with one batch ahead the parse stopped at each
 * while the encoder worked through the burst. Each is ~11 MB of columns.
 */
const STORES_AHEAD = 3;

type Column = Int32Array | Float64Array | Float32Array | Uint8Array;

/** One market day's views waiting to be stored: writer-wide dictionary ids and the numeric columns. */
class DayBuffer {
  n = 0;
  private cap = 16_384;
  user = new Int32Array(this.cap);
  item = new Int32Array(this.cap);
  creator = new Int32Array(this.cap);
  language = new Int32Array(this.cap);
  handset = new Int32Array(this.cap);
  ts = new Float64Array(this.cap);
  lengthS = new Float32Array(this.cap);
  timespentS = new Float32Array(this.cap);
  flags = new Uint8Array(this.cap);
  affinity = new Float32Array(this.cap);

  /** Makes room for one more view. */
  reserve(): void {
    if (this.n < this.cap) return;
    this.cap *= 2;
    const g = <T extends Column>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.user = g(this.user); this.item = g(this.item); this.creator = g(this.creator); this.language = g(this.language);
    this.handset = g(this.handset); this.ts = g(this.ts); this.lengthS = g(this.lengthS); this.timespentS = g(this.timespentS);
    this.flags = g(this.flags); this.affinity = g(this.affinity);
  }
}

/**
 * The row order that sorts `ts[0..n)` by time, stably (equal times keep their order); undefined when it is
 * sorted already. Whole-millisecond times less than 2^32 ms (49 days) apart, as a market day's are, go through
 * a radix sort of their offsets (stable 11-bit passes: three for a day); other times through a comparator sort.
 */
export function timeOrder(ts: Float64Array, n: number): Int32Array | undefined {
  let sorted = true;
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  for (let k = 0; k < n; k++) {
    const t = ts[k];
    if (k > 0 && t < ts[k - 1]) sorted = false;
    if (t < min) min = t;
    if (t > max) max = t;
    if (!Number.isInteger(t)) whole = false;
  }
  if (sorted) return undefined;
  let order = new Int32Array(n);
  if (!whole || max - min >= 2 ** 32) {
    for (let k = 0; k < n; k++) order[k] = k;
    order.sort((a, b) => ts[a] - ts[b] || a - b);
    return order;
  }
  // Keys travel with their rows, so every pass reads both arrays in order.
  let key = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    key[k] = ts[k] - min;
    order[k] = k;
  }
  let next = new Int32Array(n);
  let nextKey = new Uint32Array(n);
  const count = new Int32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    if ((max - min) < 2 ** shift) break;
    count.fill(0);
    for (let k = 0; k < n; k++) count[(key[k] >>> shift) & 2047]++;
    for (let d = 0, s = 0; d < 2048; d++) { const c = count[d]; count[d] = s; s += c; }
    for (let k = 0; k < n; k++) {
      const x = key[k];
      const to = count[(x >>> shift) & 2047]++;
      next[to] = order[k];
      nextKey[to] = x;
    }
    [order, next] = [next, order];
    [key, nextKey] = [nextKey, key];
  }
  return order;
}

/**
 * Buffers views per market day and stores a day's views as one batch (one file) when it holds `batch` of them,
 * or when the buffers together hold `maxBuffered` (the fullest day goes), so a load in user order (the
 * generator's) still makes one large file per day instead of a small one per day and batch. Up to STORES_AHEAD
 * batches are stored (encoded in a worker, put, committed in the order sent) while the next fill. The split into batches depends only on the
 * views and their order, so loading the same views again makes the same batches and adds nothing. `flush` stores
 * the rest and waits for all. `onStored` sees every run this writer stored, in the order stored.
 */
export class LogWriter implements ViewSink {
  readonly users = new Vocab();
  readonly items = new Vocab();
  readonly creators = new Vocab();
  readonly languages = new Vocab();
  readonly handsets = new Vocab();
  private readonly days = new Map<number, DayBuffer>();
  /**
   * A day buffer whose views were taken out as a run, kept for the next day: a load in user order fills a new buffer
   * per batch, and growing one from 16,384 views to a batch copied every column five times.
   */
  private spare?: DayBuffer;
  private readonly clock: MarketClock;
  private buffered = 0;
  private pending?: Promise<void>;
  /** The batches sent whose storing the caller has not waited for yet, in the order sent. */
  private readonly storing: Promise<void>[] = [];
  // The last market day seen and its buffer: views mostly come in runs of one day.
  private lastDay = Number.NaN;
  private lastBuf?: DayBuffer;
  /** Views stored by this writer. */
  added = 0;
  /** Views of batches stored before (nothing written for them). */
  alreadyStored = 0;
  /** When set, every run this writer sends, in the order sent (kept by a load into an empty source). */
  sent?: ViewRun[];

  constructor(private readonly store: EventLogStore, private readonly source: string, private readonly timezone: string,
    private readonly batch = BULK_BATCH_VIEWS, private readonly maxBuffered = 8 * BULK_BATCH_VIEWS) {
    this.clock = new MarketClock(timezone);
  }

  /** Adds a view (with the generator's true affinity, if any); stores a full batch. */
  async add(v: ViewRecord, affinity?: number | null): Promise<void> {
    await this.addIds(this.users.add(v.user_id), this.items.add(v.item_id), this.creators.add(v.creator_id), this.languages.add(v.language),
      this.handsets.add(v.handset_maker), v.ts, v.video_length_s ?? Number.NaN, v.timespent_s,
      (v.liked ? 1 : 0) | (v.shared ? 2 : 0) | (v.downloaded ? 4 : 0), affinity ?? Number.NaN);
  }

  addIds(user: number, item: number, creator: number, language: number, handset: number, ts: number, lengthS: number,
    timespentS: number, flags: number, affinity: number): Promise<void> | undefined {
    const day = this.clock.dayNumber(ts);
    let d = this.lastBuf;
    if (!d || day !== this.lastDay) {
      d = this.days.get(day);
      if (!d) this.days.set(day, (d = this.newDay()));
      this.lastDay = day;
      this.lastBuf = d;
    }
    d.reserve();
    const k = d.n++;
    d.user[k] = user; d.item[k] = item; d.creator[k] = creator; d.language[k] = language; d.handset[k] = handset;
    d.ts[k] = ts; d.lengthS[k] = lengthS; d.timespentS[k] = timespentS; d.flags[k] = flags; d.affinity[k] = affinity;
    this.buffered++;
    if (d.n >= this.batch) return this.send(day);
    if (this.buffered >= this.maxBuffered) return this.send(this.fullest());
    return undefined;
  }

  private newDay(): DayBuffer {
    const d = this.spare ?? new DayBuffer();
    this.spare = undefined;
    d.n = 0;
    return d;
  }

  /** Adds views given as columns of this writer's dictionary ids, as addIds one by one (the same batches and waits). */
  async addColumns(c: IdColumns): Promise<void> {
    const { n, user, item, creator, language, handset, ts, lengthS, timespentS, flags, affinity } = c;
    for (let k = 0; k < n; k++) {
      const wait = this.addIds(user[k], item[k], creator[k], language[k], handset[k], ts[k], lengthS[k], timespentS[k], flags[k], affinity[k]);
      if (wait) await wait;
    }
  }

  private fullest(): number {
    let best = Number.NaN;
    let size = -1;
    for (const [day, d] of this.days) if (d.n > size) { best = day; size = d.n; }
    return best;
  }

  /**
   * A day's buffer as a run in time order, with dictionaries of the strings it uses (in the order first used).
   * Its columns live in SharedArrayBuffers, so handing the run to the encoding worker copies no column.
   */
  private runOf(d: DayBuffer): ViewRun {
    const n = d.n;
    const order = timeOrder(d.ts, n);
    const shared = <T extends Column>(like: T): T => {
      const C = like.constructor as { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
      return new C(new SharedArrayBuffer(n * C.BYTES_PER_ELEMENT));
    };
    const remap = (col: Int32Array, vocab: Vocab): { col: Int32Array; ids: string[] } => {
      const out = shared(col);
      // A dictionary of one string (a load's one language) is id 0 on every row: the new buffer's zeros.
      if (vocab.size === 1 && n > 0) return { col: out, ids: [vocab.ids[0]] };
      const local = new Int32Array(vocab.size).fill(-1);
      const ids: string[] = [];
      for (let j = 0; j < n; j++) {
        const g = col[order ? order[j] : j];
        let l = local[g];
        if (l < 0) {
          l = local[g] = ids.length;
          ids.push(vocab.ids[g]);
        }
        out[j] = l;
      }
      return { col: out, ids };
    };
    const pick = <T extends Column>(a: T): T => {
      const b = shared(a);
      if (!order) b.set(a.subarray(0, n));
      else for (let j = 0; j < n; j++) b[j] = a[order[j]];
      return b;
    };
    const u = remap(d.user, this.users);
    const i = remap(d.item, this.items);
    const c = remap(d.creator, this.creators);
    const l = remap(d.language, this.languages);
    const h = remap(d.handset, this.handsets);
    return {
      n, user: u.col, userIds: u.ids, item: i.col, itemIds: i.ids, creator: c.col, creatorIds: c.ids, language: l.col, languages: l.ids,
      handset: h.col, handsets: h.ids, ts: pick(d.ts), lengthS: pick(d.lengthS), timespentS: pick(d.timespentS), flags: pick(d.flags),
      affinity: pick(d.affinity),
    };
  }

  /**
   * Takes a day's views out of the buffers as a run (at once, so the caller may go on) and stores it: its files
   * are encoded and put at once, its manifest rows commit after the batch before it's, so the manifest's order is
   * the load's while the next batch is encoded beside the one committing.
   */
  private send(day: number): Promise<void> {
    const d = this.days.get(day);
    if (!d || d.n === 0) return this.pending ?? Promise.resolve();
    this.days.delete(day);
    if (this.lastBuf === d) this.lastBuf = undefined;
    const run = this.runOf(d);
    this.spare = d;
    this.buffered -= run.n;
    this.sent?.push(run);
    const before = this.pending;
    const store = async () => {
      const r = await this.store.append(this.source, this.timezone, run, runKey(run), before ? { after: before } : {});
      this.added += r.added;
      this.alreadyStored += r.alreadyStored;
    };
    const p = store();
    // Awaited by flush, or by add when a batch is sent before the one before it is stored; a failure must not
    // count as unhandled meanwhile.
    p.catch(() => undefined);
    this.pending = p;
    // The caller goes on while the last STORES_AHEAD batches are stored; it waits for the one sent before them.
    this.storing.push(p);
    return this.storing.length > STORES_AHEAD ? this.storing.shift()! : Promise.resolve();
  }

  /** Stores what is buffered and waits until every batch is stored. */
  async flush(): Promise<void> {
    this.sendAll();
    await this.stored();
  }

  /**
   * Takes every buffered day out as a run and queues it to be stored (day by day in time order), without waiting:
   * `stored` waits. After it, `sent` holds every run of the load (when kept).
   */
  sendAll(): void {
    for (const day of [...this.days.keys()].sort((a, b) => a - b)) void this.send(day);
  }

  /** Waits until every batch sent is stored (rejects with a batch's failure). */
  async stored(): Promise<void> {
    while (this.pending) {
      const p = this.pending;
      await p;
      if (this.pending === p) this.pending = undefined;
    }
  }
}
