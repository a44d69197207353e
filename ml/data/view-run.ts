// A run of views as columns with one dictionary per string column: what a log file holds (ml/data/log-file.ts)
// and what the writers buffer before a file is encoded. Strings are interned once per run, so a run of a million
// views costs about 40 bytes a view, not a JS object each.
import { EventLogBuilder, unmapped, Vocab, type ViewRecord } from './events';
import type { MarketClock } from './time';

/**
 * Views as parallel columns, the string columns as ids of dictionaries kept elsewhere: what a bulk writer takes
 * (LogWriter.addColumns, with its own dictionaries' ids) and the import's parse worker hands over (with its ids).
 */
export interface IdColumns {
  n: number;
  user: Int32Array;
  item: Int32Array;
  creator: Int32Array;
  language: Int32Array;
  handset: Int32Array;
  /** Epoch ms. */
  ts: Float64Array;
  /** Video length in seconds, NaN where unknown. */
  lengthS: Float32Array | Float64Array;
  timespentS: Float32Array | Float64Array;
  /** Bit 0 liked, bit 1 shared, bit 2 downloaded (as EventLog.flags). */
  flags: Uint8Array;
  /** The generator's true affinity, NaN where there is none (every non-synthetic view). */
  affinity: Float32Array | Float64Array;
}

/** Views as parallel columns in single precision, as a file stores them; string columns are indices into their dictionaries. */
export interface ViewRun extends IdColumns {
  userIds: string[];
  itemIds: string[];
  creatorIds: string[];
  languages: string[];
  handsets: string[];
  lengthS: Float32Array;
  timespentS: Float32Array;
  affinity: Float32Array;
}

/** Appends views (any order) and hands them out as ViewRuns. */
export class ViewRunBuilder {
  private cap: number;
  private n = 0;
  private user!: Int32Array;
  private item!: Int32Array;
  private creator!: Int32Array;
  private language!: Int32Array;
  private handset!: Int32Array;
  private ts!: Float64Array;
  private lengthS!: Float32Array;
  private timespentS!: Float32Array;
  private flags!: Uint8Array;
  private affinity!: Float32Array;
  private users = new Vocab();
  private items = new Vocab();
  private creators = new Vocab();
  private languages = new Vocab();
  private handsets = new Vocab();
  /** Per run added by `addRows` since the last `take`: where its dictionary entries landed in this builder's. */
  private maps = new Map<ViewRun, { user: Int32Array; item: Int32Array; creator: Int32Array; language: Int32Array; handset: Int32Array }>();

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.alloc(this.cap);
  }

  private alloc(cap: number): void {
    this.user = new Int32Array(cap); this.item = new Int32Array(cap); this.creator = new Int32Array(cap);
    this.language = new Int32Array(cap); this.handset = new Int32Array(cap); this.ts = new Float64Array(cap);
    this.lengthS = new Float32Array(cap); this.timespentS = new Float32Array(cap); this.flags = new Uint8Array(cap);
    this.affinity = new Float32Array(cap);
  }

  /** The number of views appended since the last `take`. */
  get size(): number {
    return this.n;
  }

  private grow(): void {
    const old = this.columns();
    this.cap *= 2;
    this.alloc(this.cap);
    const now = this.columns();
    old.forEach((a, k) => now[k].set(a));
  }

  private columns(): (Int32Array | Float64Array | Float32Array | Uint8Array)[] {
    return [this.user, this.item, this.creator, this.language, this.handset, this.ts, this.lengthS, this.timespentS, this.flags, this.affinity];
  }

  /** Appends a view and its true affinity (null or undefined where there is none). */
  add(v: ViewRecord, affinity?: number | null): void {
    this.addRaw(v.user_id, v.item_id, v.creator_id, v.ts, v.language, v.video_length_s ?? Number.NaN, v.timespent_s,
      (v.liked ? 1 : 0) | (v.shared ? 2 : 0) | (v.downloaded ? 4 : 0), v.handset_maker, affinity ?? Number.NaN);
  }

  /** Appends a view given as raw column values (NaN for an unknown length or no affinity). */
  addRaw(user: string, item: string, creator: string, ts: number, language: string, lengthS: number, timespentS: number, flags: number,
    handset: string, affinity: number): void {
    if (this.n === this.cap) this.grow();
    const k = this.n++;
    this.user[k] = this.users.add(user);
    this.item[k] = this.items.add(item);
    this.creator[k] = this.creators.add(creator);
    this.language[k] = this.languages.add(language);
    this.handset[k] = this.handsets.add(handset);
    this.ts[k] = ts;
    this.lengthS[k] = lengthS;
    this.timespentS[k] = timespentS;
    this.flags[k] = flags;
    this.affinity[k] = affinity;
  }

  /** Appends row `k` of a run. */
  addFrom(r: ViewRun, k: number): void {
    this.addRaw(r.userIds[r.user[k]], r.itemIds[r.item[k]], r.creatorIds[r.creator[k]], r.ts[k], r.languages[r.language[k]], r.lengthS[k],
      r.timespentS[k], r.flags[k], r.handsets[r.handset[k]], r.affinity[k]);
  }

  /**
   * Appends rows [from, to) of a run, as `addFrom` row by row would (same dictionaries in the same order), but
   * each of the run's dictionary entries is looked up once, at its first row, over every call until `take`
   * (a merge adds a run in many stretches), and the numeric columns are copied whole.
   */
  addRows(r: ViewRun, from = 0, to = r.n): void {
    const count = to - from;
    if (count <= 0) return;
    while (this.n + count > this.cap) this.grow();
    let m = this.maps.get(r);
    if (!m) {
      m = { user: unmapped(r.userIds.length), item: unmapped(r.itemIds.length), creator: unmapped(r.creatorIds.length),
        language: unmapped(r.languages.length), handset: unmapped(r.handsets.length) };
      this.maps.set(r, m);
    }
    // One fused loop, no subarrays: a merge of files written in parallel hands out stretches of a row or two.
    const { user, item, creator, language, handset, ts, lengthS, timespentS, flags, affinity } = this;
    const at = this.n;
    for (let j = from, k = at; j < to; j++, k++) {
      const u = r.user[j];
      user[k] = m.user[u] >= 0 ? m.user[u] : (m.user[u] = this.users.add(r.userIds[u]));
      const i = r.item[j];
      item[k] = m.item[i] >= 0 ? m.item[i] : (m.item[i] = this.items.add(r.itemIds[i]));
      const c = r.creator[j];
      creator[k] = m.creator[c] >= 0 ? m.creator[c] : (m.creator[c] = this.creators.add(r.creatorIds[c]));
      const l = r.language[j];
      language[k] = m.language[l] >= 0 ? m.language[l] : (m.language[l] = this.languages.add(r.languages[l]));
      const h = r.handset[j];
      handset[k] = m.handset[h] >= 0 ? m.handset[h] : (m.handset[h] = this.handsets.add(r.handsets[h]));
      ts[k] = r.ts[j];
      lengthS[k] = r.lengthS[j];
      timespentS[k] = r.timespentS[j];
      flags[k] = r.flags[j];
      affinity[k] = r.affinity[j];
    }
    this.n = at + count;
  }

  /** The views appended so far, sorted by time (stable), and a fresh start (dictionaries too). */
  take(): ViewRun {
    const n = this.n;
    const ts = this.ts;
    let sorted = true;
    for (let k = 1; k < n && sorted; k++) if (ts[k] < ts[k - 1]) sorted = false;
    const order = new Int32Array(sorted ? 0 : n);
    if (!sorted) {
      for (let k = 0; k < n; k++) order[k] = k;
      order.sort((a, b) => ts[a] - ts[b] || a - b);
    }
    const pick = <T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T): T => {
      // Already in time order (a merge's output is): one block copy instead of a gather.
      if (sorted) return a.slice(0, n) as T;
      const b = new (a.constructor as new (n: number) => T)(n);
      for (let k = 0; k < n; k++) b[k] = a[order[k]];
      return b;
    };
    const run: ViewRun = {
      n, user: pick(this.user), item: pick(this.item), creator: pick(this.creator), language: pick(this.language), handset: pick(this.handset),
      userIds: this.users.ids, itemIds: this.items.ids, creatorIds: this.creators.ids, languages: this.languages.ids, handsets: this.handsets.ids,
      ts: pick(this.ts), lengthS: pick(this.lengthS), timespentS: pick(this.timespentS), flags: pick(this.flags), affinity: pick(this.affinity),
    };
    this.n = 0;
    this.users = new Vocab(); this.items = new Vocab(); this.creators = new Vocab(); this.languages = new Vocab(); this.handsets = new Vocab();
    this.maps = new Map();
    return run;
  }
}

/** Rows [from, to) of a run (the dictionaries are shared, not copied). */
export function sliceRun(r: ViewRun, from: number, to: number): ViewRun {
  return {
    ...r, n: to - from, user: r.user.subarray(from, to), item: r.item.subarray(from, to), creator: r.creator.subarray(from, to),
    language: r.language.subarray(from, to), handset: r.handset.subarray(from, to), ts: r.ts.subarray(from, to), lengthS: r.lengthS.subarray(from, to),
    timespentS: r.timespentS.subarray(from, to), flags: r.flags.subarray(from, to), affinity: r.affinity.subarray(from, to),
  };
}

/** Appends the rows of a run with ts < `beforeTs` (all when undefined) to an EventLogBuilder; returns how many. */
export function appendRun(b: EventLogBuilder, r: ViewRun, beforeTs?: number): number {
  if (beforeTs === undefined) {
    b.addColumns(r);
    return r.n;
  }
  let end = 0;
  while (end < r.n && r.ts[end] < beforeTs) end++;
  let rest = end;
  while (rest < r.n && !(r.ts[rest] < beforeTs)) rest++;
  if (rest === r.n) {
    // A time-sorted run (every file's): the kept rows are a prefix.
    b.addColumns(r, 0, end);
    return end;
  }
  let added = 0;
  for (let k = 0; k < r.n; k++) {
    if (!(r.ts[k] < beforeTs)) continue;
    b.addView(r.userIds[r.user[k]], r.itemIds[r.item[k]], r.creatorIds[r.creator[k]], r.ts[k], r.lengthS[k], r.timespentS[k], r.flags[k], r.handsets[r.handset[k]]);
    added++;
  }
  return added;
}

/** Splits a time-sorted run at market-day boundaries. */
export function splitByDay(run: ViewRun, clock: MarketClock): { day: string; run: ViewRun }[] {
  const out: { day: string; run: ViewRun }[] = [];
  let from = 0;
  while (from < run.n) {
    const day = clock.dayNumber(run.ts[from]);
    let to = from + 1;
    // Days are contiguous in a sorted run; a binary search for the next day's midnight would do, but the
    // clock's one-hour cache makes this walk cheap.
    while (to < run.n && clock.dayNumber(run.ts[to]) === day) to++;
    out.push({ day: clock.date(run.ts[from]), run: sliceRun(run, from, to) });
    from = to;
  }
  return out;
}

/**
 * Merges runs, each in time order, into time order; among equal times the earlier run's rows come first and a
 * run keeps its own order (so arrival order survives when `runs` is in arrival order). Calls `take(run, row)`.
 */
export function mergeRuns(runs: ViewRun[], take: (r: ViewRun, k: number) => void): void {
  mergeStretches(runs, (i, from, to) => {
    for (let k = from; k < to; k++) take(runs[i], k);
  });
}

/** The merge of `mergeRuns`, handing out stretches: rows [from, to) of `runs[i]` come next in the merged order. */
export function mergeStretches(runs: ViewRun[], take: (i: number, from: number, to: number) => void): void {
  const pos = new Int32Array(runs.length);
  for (;;) {
    let best = -1;
    let bestTs = Infinity;
    for (let i = 0; i < runs.length; i++) {
      if (pos[i] < runs[i].n && runs[i].ts[pos[i]] < bestTs) {
        best = i;
        bestTs = runs[i].ts[pos[i]];
      }
    }
    if (best < 0) return;
    // The stretch of `best` that goes before every other head: rows up to the heads of later runs (ties go to
    // the earlier run), strictly before the heads of earlier runs.
    let upTo = Infinity;
    let below = Infinity;
    for (let i = 0; i < runs.length; i++) {
      if (i === best || pos[i] >= runs[i].n) continue;
      const h = runs[i].ts[pos[i]];
      if (i > best) upTo = Math.min(upTo, h);
      else below = Math.min(below, h);
    }
    const r = runs[best];
    let k = pos[best] + 1;
    while (k < r.n && r.ts[k] <= upTo && r.ts[k] < below) k++;
    take(best, pos[best], k);
    pos[best] = k;
  }
}

/** Runs (in arrival order) merged into one run in time order. */
export function mergedRun(runs: ViewRun[]): ViewRun {
  const b = new ViewRunBuilder(runs.reduce((s, r) => s + r.n, 0));
  mergeStretches(runs, (i, from, to) => b.addRows(runs[i], from, to));
  return b.take();
}
