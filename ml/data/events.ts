// The watch log in memory as columns of typed arrays (about 30 bytes a view), not as JS objects, so a
// dataset build over millions of views stays within a bounded, predictable amount of memory.

import { mergeOrder, type MergeOrder } from './merge-order';

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
   * `addColumns` gives. The merged order is found first (mergeOrder: the run of each row), then each column is
   * copied in it on its own, a dictionary's new entries looked up in one tight loop in the order of their first
   * rows: files that overlap in time hand out stretches of a row or two, and finding each stretch while copying
   * its row took 1.8-2.0 CPU s of a 10M-view import's 42 runs, this 1.1-1.2.
   */
  addMerged(runs: ViewColumns[]): void {
    const order = mergeOrder(runs);
    const total = order.length;
    while (this.n + total > this.cap) this.grow();
    const at = this.n;
    const maps = runs.map((c) => this.mapsOf(c));
    mapMerged(order, runs.map((c) => c.user), maps.map((m) => m.userOf), this.user, at, (r, u) => this.users.add(runs[r].userIds[u]));
    mapMerged(order, runs.map((c) => c.item), maps.map((m) => m.itemOf), this.item, at,
      (r, i, j) => this.itemIndex(runs[r].itemIds[i], runs[r].creatorIds[runs[r].creator[j]]));
    mapMerged(order, runs.map((c) => c.handset), maps.map((m) => m.handsetOf), this.handset, at, (r, h) => this.handsets.add(runs[r].handsets[h]));
    this.copyMerged(order, runs, at);
    this.n = at + total;
  }

  /** Copies the columns without a dictionary from `at` in the merged order. */
  private copyMerged(order: MergeOrder, runs: ViewColumns[], at: number): void {
    // One loop with a read and a write per column, each of one array type: a loop per column, generic over the
    // type, was slower in the server, where its element accesses see every type.
    const tsOf = runs.map((c) => c.ts);
    const lengthOf = runs.map((c) => c.lengthS);
    const spentOf = runs.map((c) => c.timespentS);
    const flagsOf = runs.map((c) => c.flags);
    const { ts, lengthS, timespentS, flags } = this;
    const pos = new Int32Array(runs.length);
    for (let m = 0, k = at; m < order.length; m++, k++) {
      const r = order[m];
      const j = pos[r]++;
      ts[k] = tsOf[r][j];
      lengthS[k] = lengthOf[r][j];
      timespentS[k] = spentOf[r][j];
      flags[k] = flagsOf[r][j];
    }
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

/**
 * Writes a dictionary column of the runs into `out` from `at` in the merged order, each entry as `maps` maps it;
 * an entry not mapped yet is mapped by `add(run, entry, row)` at its first row, in the order of those first rows.
 */
function mapMerged(order: MergeOrder, cols: Int32Array[], maps: Int32Array[], out: Int32Array, at: number,
  add: (run: number, entry: number, row: number) => number): void {
  // The first rows of unmapped entries are found first and added in one tight loop, then every row is mapped
  // without a branch: the vocabularies' hash lookups, interleaved with the row copy, took twice the time.
  const pos = new Int32Array(cols.length);
  let firsts = new Int32Array(3 * 1024);
  let nf = 0;
  for (let m = 0; m < order.length; m++) {
    const r = order[m];
    const j = pos[r]++;
    const x = cols[r][j];
    if (maps[r][x] === -1) {
      maps[r][x] = -2;
      if (nf === firsts.length) {
        const more = new Int32Array(2 * nf);
        more.set(firsts);
        firsts = more;
      }
      firsts[nf++] = r;
      firsts[nf++] = x;
      firsts[nf++] = j;
    }
  }
  for (let f = 0; f < nf; f += 3) maps[firsts[f]][firsts[f + 1]] = add(firsts[f], firsts[f + 1], firsts[f + 2]);
  pos.fill(0);
  for (let m = 0, k = at; m < order.length; m++, k++) {
    const r = order[m];
    out[k] = maps[r][cols[r][pos[r]++]];
  }
}
