// The watch log in memory as columns of typed arrays (about 30 bytes a view), not as JS objects, so a
// dataset build over millions of views stays within a bounded, predictable amount of memory.

/** One view as the store and the importers exchange it (the Data section of docs/design.md). */
export interface ViewRecord {
  user_id: string;
  item_id: string;
  creator_id: string;
  /** Epoch ms. */
  ts: number;
  language: string;
  /** Video length in seconds, or null where the source does not know it. */
  video_length_s: number | null;
  timespent_s: number;
  liked: boolean;
  shared: boolean;
  downloaded: boolean;
  handset_maker: string;
}

/** One item (video) as the store and the importers exchange it. */
export interface ItemRecord {
  item_id: string;
  creator_id: string;
  language: string;
  /** Epoch ms of upload, or null where unknown. */
  created_at: number | null;
  video_length_s: number | null;
  /** The content vector (dimension of the import). */
  embedding: number[];
}

/** Interns strings to dense indices. */
export class Vocab {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  /** The index of `id`, adding it if new. */
  add(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.index.set(id, i);
    }
    return i;
  }

  /** The index of `id`, or -1. */
  get(id: string): number {
    return this.index.get(id) ?? -1;
  }

  get size(): number {
    return this.ids.length;
  }
}

/** The items of a log, indexed like EventLog.item. */
export interface ItemTable {
  dim: number;
  /** Creator index per item (into `creators`). */
  creator: Int32Array;
  creators: string[];
  /** Upload time (epoch ms), NaN where unknown. */
  createdAt: Float64Array;
  /** Catalogue length in seconds, NaN where unknown. */
  lengthS: Float32Array;
  /** n x dim content vectors, row-major. */
  embedding: Float32Array;
}

/** Views in ascending time order, as parallel columns. */
export interface EventLog {
  n: number;
  user: Int32Array;
  item: Int32Array;
  ts: Float64Array;
  /** Length in seconds of the view's video, NaN where unknown. */
  lengthS: Float32Array;
  timespentS: Float32Array;
  /** Bit 0 liked, bit 1 shared, bit 2 downloaded. */
  flags: Uint8Array;
  /** Handset maker index (into `handsets`). */
  handset: Int32Array;
  userIds: string[];
  itemIds: string[];
  handsets: string[];
  items: ItemTable;
}

/**
 * Views as columns with one dictionary per string column (a ViewRun of ml/data/view-run.ts is one): what
 * `EventLogBuilder.addColumns` copies in.
 */
export interface ViewColumns {
  n: number;
  user: Int32Array;
  userIds: string[];
  item: Int32Array;
  itemIds: string[];
  creator: Int32Array;
  creatorIds: string[];
  handset: Int32Array;
  handsets: string[];
  ts: Float64Array;
  lengthS: Float32Array;
  timespentS: Float32Array;
  flags: Uint8Array;
}

/** A dictionary-to-vocabulary map for `size` entries, -1 for an entry not looked up yet. */
export function unmapped(size: number): Int32Array {
  return new Int32Array(size).fill(-1);
}

export const LIKED = 1;
export const SHARED = 2;
export const DOWNLOADED = 4;

/**
 * What a log read writes into, in order (the catalogue's items, then the views in time order): an
 * EventLogBuilder, or anything that takes the same calls (a dataset build's hand-off to its worker thread).
 */
export type LogTarget = Pick<EventLogBuilder, 'addItem' | 'addColumns' | 'addMerged'>;

/** Builds an EventLog by appending views (any order; `finish` sorts by time). */
export class EventLogBuilder {
  private cap: number;
  private n = 0;
  private user: Int32Array;
  private item: Int32Array;
  private ts: Float64Array;
  private lengthS: Float32Array;
  private timespentS: Float32Array;
  private flags: Uint8Array;
  private handset: Int32Array;
  readonly users = new Vocab();
  readonly itemVocab = new Vocab();
  readonly handsets = new Vocab();
  readonly creators = new Vocab();
  private itemRows: { creator: number; createdAt: number; lengthS: number; emb: Float32Array | null }[] = [];

  constructor(readonly dim: number, capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.user = new Int32Array(this.cap);
    this.item = new Int32Array(this.cap);
    this.ts = new Float64Array(this.cap);
    this.lengthS = new Float32Array(this.cap);
    this.timespentS = new Float32Array(this.cap);
    this.flags = new Uint8Array(this.cap);
    this.handset = new Int32Array(this.cap);
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.user = g(this.user); this.item = g(this.item); this.ts = g(this.ts); this.lengthS = g(this.lengthS);
    this.timespentS = g(this.timespentS); this.flags = g(this.flags); this.handset = g(this.handset);
  }

  private itemIndex(id: string, creator: string): number {
    const i = this.itemVocab.add(id);
    if (i === this.itemRows.length) this.itemRows.push({ creator: this.creators.add(creator), createdAt: Number.NaN, lengthS: Number.NaN, emb: null });
    return i;
  }

  /** Adds or completes an item's catalogue facts. */
  addItem(it: ItemRecord): void {
    const i = this.itemIndex(it.item_id, it.creator_id);
    const row = this.itemRows[i];
    row.creator = this.creators.add(it.creator_id);
    row.createdAt = it.created_at ?? Number.NaN;
    row.lengthS = it.video_length_s ?? Number.NaN;
    row.emb = it.embedding.length === this.dim ? Float32Array.from(it.embedding) : null;
  }

  /** Appends one view (raw columns, for the fast paths of the generator and the store reader). */
  addView(userId: string, itemId: string, creatorId: string, ts: number, lengthS: number, timespentS: number, flags: number, handset: string): void {
    if (this.n === this.cap) this.grow();
    const k = this.n++;
    this.user[k] = this.users.add(userId);
    this.item[k] = this.itemIndex(itemId, creatorId);
    this.ts[k] = ts;
    this.lengthS[k] = lengthS;
    this.timespentS[k] = timespentS;
    this.flags[k] = flags;
    this.handset[k] = this.handsets.add(handset);
  }

  /** Per dictionary of the runs added so far: where its entries landed in this builder's vocabularies (-1: not yet). */
  private readonly dictMaps = { user: new WeakMap<string[], Int32Array>(), item: new WeakMap<string[], Int32Array>(), handset: new WeakMap<string[], Int32Array>() };

  private dictMap(kind: 'user' | 'item' | 'handset', dict: string[]): Int32Array {
    let m = this.dictMaps[kind].get(dict);
    if (!m) this.dictMaps[kind].set(dict, (m = unmapped(dict.length)));
    return m;
  }

  /**
   * Appends rows [from, to) of dictionary-encoded columns, as `addView` row by row would (same indices, same
   * creator per item), but a dictionary entry is looked up in the vocabularies once, at its first row, over every
   * call with the same dictionaries (a merge of a day's files adds each file in many short stretches), and nothing
   * is allocated per call: a file of a million views has ~100x fewer distinct ids than rows.
   */
  addColumns(c: ViewColumns, from = 0, to = c.n): void {
    this.copyRows(c, this.mapsOf(c), from, to);
  }

  /**
   * Appends several column sets, each in time order (a day's files), merged into one time order, equal times in
   * the order of `runs`: the rows and indices that mergeStretches of view-run.ts handing its stretches to
   * `addColumns` gives, with the dictionaries looked up once per run instead of once per stretch and no call per
   * stretch: files that overlap in time hand out stretches of a row or two, and addColumns called per stretch was
   * 6.8 of the 15 CPU s of a 10M-view build's log read (42 files over 8 days); on six files interleaved row by row
   * this merge takes 0.65-0.75x the time.
   */
  addMerged(runs: ViewColumns[]): void {
    const total = runs.reduce((s, r) => s + r.n, 0);
    while (this.n + total > this.cap) this.grow();
    const maps = runs.map((c) => this.mapsOf(c));
    const pos = new Int32Array(runs.length);
    const heads = new Float64Array(runs.length);
    const { user, item, handset, ts, lengthS, timespentS, flags } = this;
    let k = this.n;
    for (let i = 0; i < runs.length; i++) heads[i] = runs[i].n > 0 ? runs[i].ts[0] : Infinity;
    for (;;) {
      // The earliest head, ties to the earlier run; then its stretch: rows up to the heads of later runs (ties go
      // to the earlier run), strictly before the heads of earlier runs.
      let best = -1;
      let bestTs = Infinity;
      for (let i = 0; i < heads.length; i++) {
        if (heads[i] < bestTs) {
          best = i;
          bestTs = heads[i];
        }
      }
      if (best < 0) break;
      let upTo = Infinity;
      let below = Infinity;
      for (let i = 0; i < heads.length; i++) {
        if (i < best) below = Math.min(below, heads[i]);
        else if (i > best) upTo = Math.min(upTo, heads[i]);
      }
      const c = runs[best];
      const { userOf, itemOf, handsetOf } = maps[best];
      const cts = c.ts;
      let j = pos[best];
      // The row copy of copyRows, inline, and the stretch choice of mergeStretches (view-run.ts), with the heads
      // kept: the two composed (copyRows per stretch) took 1.1-1.2x this loop's time on six runs interleaved by time.
      do {
        const u = c.user[j];
        user[k] = userOf[u] >= 0 ? userOf[u] : (userOf[u] = this.users.add(c.userIds[u]));
        const i = c.item[j];
        item[k] = itemOf[i] >= 0 ? itemOf[i] : (itemOf[i] = this.itemIndex(c.itemIds[i], c.creatorIds[c.creator[j]]));
        const h = c.handset[j];
        handset[k] = handsetOf[h] >= 0 ? handsetOf[h] : (handsetOf[h] = this.handsets.add(c.handsets[h]));
        ts[k] = cts[j];
        lengthS[k] = c.lengthS[j];
        timespentS[k] = c.timespentS[j];
        flags[k] = c.flags[j];
        j++;
        k++;
      } while (j < c.n && cts[j] <= upTo && cts[j] < below);
      pos[best] = j;
      heads[best] = j < c.n ? cts[j] : Infinity;
    }
    this.n = k;
  }

  /** Where each dictionary entry of `c` landed in this builder's vocabularies (-1: not yet). */
  private mapsOf(c: ViewColumns): { userOf: Int32Array; itemOf: Int32Array; handsetOf: Int32Array } {
    return { userOf: this.dictMap('user', c.userIds), itemOf: this.dictMap('item', c.itemIds), handsetOf: this.dictMap('handset', c.handsets) };
  }

  private copyRows(c: ViewColumns, maps: { userOf: Int32Array; itemOf: Int32Array; handsetOf: Int32Array }, from: number, to: number): void {
    const count = to - from;
    if (count <= 0) return;
    while (this.n + count > this.cap) this.grow();
    const at = this.n;
    const { userOf, itemOf, handsetOf } = maps;
    const { user, item, handset, ts, lengthS, timespentS, flags } = this;
    for (let j = from, k = at; j < to; j++, k++) {
      const u = c.user[j];
      user[k] = userOf[u] >= 0 ? userOf[u] : (userOf[u] = this.users.add(c.userIds[u]));
      const i = c.item[j];
      // An item's creator is the one of its first row, as in addView.
      item[k] = itemOf[i] >= 0 ? itemOf[i] : (itemOf[i] = this.itemIndex(c.itemIds[i], c.creatorIds[c.creator[j]]));
      const h = c.handset[j];
      handset[k] = handsetOf[h] >= 0 ? handsetOf[h] : (handsetOf[h] = this.handsets.add(c.handsets[h]));
      ts[k] = c.ts[j];
      lengthS[k] = c.lengthS[j];
      timespentS[k] = c.timespentS[j];
      flags[k] = c.flags[j];
    }
    this.n = at + count;
  }

  /** Appends a ViewRecord. */
  add(v: ViewRecord): void {
    this.addView(v.user_id, v.item_id, v.creator_id, v.ts, v.video_length_s ?? Number.NaN, v.timespent_s,
      (v.liked ? LIKED : 0) | (v.shared ? SHARED : 0) | (v.downloaded ? DOWNLOADED : 0), v.handset_maker);
  }

  /** The log, sorted by time (stable: equal times keep their insertion order). The builder is spent afterwards. */
  finish(): EventLog {
    const n = this.n;
    let sorted = true;
    for (let k = 1; k < n && sorted; k++) if (this.ts[k] < this.ts[k - 1]) sorted = false;
    const order = new Int32Array(sorted ? 0 : n);
    if (!sorted) {
      for (let k = 0; k < n; k++) order[k] = k;
      const ts = this.ts;
      order.sort((a, b) => ts[a] - ts[b] || a - b);
    }
    const take = <T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T): T => {
      // Already in time order (the store returns it so): hand over the columns without copying.
      if (sorted) return a.subarray(0, n) as T;
      const b = new (a.constructor as new (n: number) => T)(n);
      for (let k = 0; k < n; k++) b[k] = a[order[k]];
      return b;
    };
    const ni = this.itemRows.length;
    const items: ItemTable = {
      dim: this.dim, creator: new Int32Array(ni), creators: this.creators.ids, createdAt: new Float64Array(ni),
      lengthS: new Float32Array(ni), embedding: new Float32Array(ni * this.dim),
    };
    this.itemRows.forEach((r, i) => {
      items.creator[i] = r.creator;
      items.createdAt[i] = r.createdAt;
      items.lengthS[i] = r.lengthS;
      if (r.emb) items.embedding.set(r.emb, i * this.dim);
    });
    return {
      n, user: take(this.user), item: take(this.item), ts: take(this.ts), lengthS: take(this.lengthS),
      timespentS: take(this.timespentS), flags: take(this.flags), handset: take(this.handset),
      userIds: this.users.ids, itemIds: this.itemVocab.ids, handsets: this.handsets.ids, items,
    };
  }
}
