// The log kept in memory for online refreshes: IngestEvents recomputes the online rows of the users and items a
// batch touches from every view of those users, items and creators, and reading the event log's files for each
// batch would cost a full read per call. So the feature service keeps, per source, the log's columns in memory
// (about 29 bytes a view: user, item and handset indices, time, length, time spent, flags; 35 MB per million
// views), loaded once from the files on the first batch and extended by each batch it stores. A batch stored by
// another process shows as a manifest with more views than the memory holds; the memory is then read again.
import { EventLogBuilder, Vocab, type EventLog } from '../../ml/data/events';
import type { ViewRun } from '../../ml/data/view-run';
import type { EventLogStore } from '../../registry/event-log';
import type { EventSourceStore, SourceInfo } from '../../registry/event-source-store';

/** One source's views in arrival order (not necessarily time order: late views are appended at the end). */
class Columns {
  n = 0;
  private cap = 1024;
  user = new Int32Array(this.cap);
  item = new Int32Array(this.cap);
  ts = new Float64Array(this.cap);
  lengthS = new Float32Array(this.cap);
  timespentS = new Float32Array(this.cap);
  flags = new Uint8Array(this.cap);
  handset = new Int32Array(this.cap);
  /** The creator a view names, per row (the catalogue may name another for the item). */
  creator = new Int32Array(this.cap);
  readonly users = new Vocab();
  readonly items = new Vocab();
  readonly handsets = new Vocab();
  readonly creators = new Vocab();

  private reserve(extra: number): void {
    if (this.n + extra <= this.cap) return;
    while (this.n + extra > this.cap) this.cap *= 2;
    const g = <T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.user = g(this.user); this.item = g(this.item); this.ts = g(this.ts); this.lengthS = g(this.lengthS);
    this.timespentS = g(this.timespentS); this.flags = g(this.flags); this.handset = g(this.handset); this.creator = g(this.creator);
  }

  append(r: ViewRun): void {
    this.reserve(r.n);
    const map = (ids: string[], v: Vocab) => Int32Array.from(ids, (id) => v.add(id));
    const u = map(r.userIds, this.users);
    const i = map(r.itemIds, this.items);
    const h = map(r.handsets, this.handsets);
    const c = map(r.creatorIds, this.creators);
    for (let k = 0; k < r.n; k++) {
      const j = this.n++;
      this.user[j] = u[r.user[k]];
      this.item[j] = i[r.item[k]];
      this.ts[j] = r.ts[k];
      this.lengthS[j] = r.lengthS[k];
      this.timespentS[j] = r.timespentS[k];
      this.flags[j] = r.flags[k];
      this.handset[j] = h[r.handset[k]];
      this.creator[j] = c[r.creator[k]];
    }
  }
}

/** The in-memory logs of the sources that receive IngestEvents batches. */
export class OnlineLogs {
  private readonly logs = new Map<string, Columns>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly sources: Pick<EventSourceStore, 'loadItems' | 'itemsOfCreators'>, private readonly events: EventLogStore) {}

  /** Runs `fn` alone for a source (batches of one source are applied one at a time, in order). */
  async serial<T>(source: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(source) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(fn);
    this.locks.set(source, run);
    try {
      return await run;
    } finally {
      if (this.locks.get(source) === run) this.locks.delete(source);
    }
  }

  /** Views held in memory for a source (0 when none are loaded). */
  held(source: string): number {
    return this.logs.get(source)?.n ?? 0;
  }

  /** Forgets a source's memory (a bulk load changed its log; the next batch reads it again). */
  forget(source: string): void {
    this.logs.delete(source);
  }

  /**
   * Records a batch just stored (`added` views of `run`; 0 when it was stored before) and returns the memory,
   * up to date with the manifest: extended by the batch when nothing else changed, read again otherwise.
   */
  private async current(source: string, run: ViewRun, added: number): Promise<Columns> {
    const stored = (await this.events.stats(source)).rows;
    let cols = this.logs.get(source);
    if (cols && cols.n + added === stored) {
      if (added) cols.append(run);
      return cols;
    }
    cols = new Columns();
    await this.events.scan(source, (_day, dayRun) => cols!.append(dayRun));
    this.logs.set(source, cols);
    return cols;
  }

  /**
   * The views (in time order) of some users, items and creators (through the catalogue's items of each creator)
   * of a source, after a batch was stored: what an online refresh of those entities needs.
   */
  async subset(src: SourceInfo, batch: { run: ViewRun; added: number }, users: string[], items: string[], creators: string[]): Promise<EventLog> {
    const cols = await this.current(src.source, batch.run, batch.added);
    const byCreator = await this.sources.itemsOfCreators(src.source, creators);
    const wantUser = new Uint8Array(cols.users.size);
    for (const u of users) { const i = cols.users.get(u); if (i >= 0) wantUser[i] = 1; }
    const wantItem = new Uint8Array(cols.items.size);
    for (const id of [...items, ...byCreator]) { const i = cols.items.get(id); if (i >= 0) wantItem[i] = 1; }
    const rows: number[] = [];
    for (let k = 0; k < cols.n; k++) if (wantUser[cols.user[k]] || wantItem[cols.item[k]]) rows.push(k);
    const itemIds = new Set<string>(items);
    for (const k of rows) itemIds.add(cols.items.ids[cols.item[k]]);
    const b = new EventLogBuilder(src.dim, rows.length + 1);
    await this.sources.loadItems(src.source, b, [...itemIds]);
    for (const k of rows) {
      b.addView(cols.users.ids[cols.user[k]], cols.items.ids[cols.item[k]], cols.creators.ids[cols.creator[k]], cols.ts[k], cols.lengthS[k],
        cols.timespentS[k], cols.flags[k], cols.handsets.ids[cols.handset[k]]);
    }
    // finish() sorts by time, stably: views of equal time stay in arrival order, as the files' reader gives them.
    return b.finish();
  }
}
