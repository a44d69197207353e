// Point-in-time features: one pass over the log in time order keeps, per user, item and creator, the window
// counters of rates.ts and the last 100 positive / negative content vectors. `advanceTo(t)` folds in every
// view with ts < t (and expires the ones that left each window), so features written after it use only
// history strictly before t. The dataset build calls it per row; online features call it once at "now".
import type { EventLog } from '../data/events';
import type { FeatureBatch, FeatureLayout } from './layout';
import * as rates from './rates';
import * as ev from '../data/events';

// Module-local copies of imported constants and functions: imported bindings compile to property reads on
// every use, which costs a third of the build's time in these loops.
const { C_DOWNLOADED, C_ENGAGED, C_LIKED, C_SHARED, C_VIEWS, ITEM_WINDOWS, MEAN_EMBEDDING_LAST, N_COUNTERS, USER_WINDOWS } = rates;
const { engaged, hashCat, itemRates, normAge, userRates } = rates;
const { LIKED, SHARED, DOWNLOADED } = ev;

/**
 * One sliding window of counters inside a packed counter table: `stride` counters per entity, this window's
 * N_COUNTERS at `at` within them, with an expiry pointer into the time-ordered log. An entity's windows sit
 * side by side, so one row touches one or two cache lines of the table instead of one per window.
 */
class WindowCounts {
  private expired = 0;

  constructor(readonly c: Int32Array, private readonly stride: number, private readonly at: number, readonly widthMs: number) {}

  /** Removes views with ts < t - width (only views already added, i.e. below `added`). */
  expire(t: number, ts: Float64Array, entity: Int32Array, kinds: Uint8Array, added: number): void {
    if (!Number.isFinite(this.widthMs)) return;
    const cut = t - this.widthMs;
    const { c, stride, at } = this;
    let e = this.expired;
    while (e < added && ts[e] < cut) {
      bump(c, entity[e] * stride + at, kinds[e], -1);
      e++;
    }
    this.expired = e;
  }

  /**
   * The first view of the time-ordered log (of `n`) that is still in this window at time t, which becomes the
   * expiry pointer: for a fold that counts only the views at or after it, as if the ones before had been
   * added and expired.
   */
  skipTo(t: number, ts: Float64Array, n: number): number {
    if (!Number.isFinite(this.widthMs)) return 0;
    const cut = t - this.widthMs;
    let lo = this.expired;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid] < cut) lo = mid + 1;
      else hi = mid;
    }
    this.expired = lo;
    return lo;
  }
}

const ENGAGED_BIT = 8;

/**
 * Counts one view of `kind` in `windows` consecutive windows of counters at c[o..] (an entity's windows side by
 * side): each kind bit is tested once for all of them, and the fold makes three calls per view instead of nine.
 */
function addView(c: Int32Array, o: number, windows: number, kind: number): void {
  const end = o + windows * N_COUNTERS;
  for (let w = o; w < end; w += N_COUNTERS) c[w + C_VIEWS]++;
  if (kind & ENGAGED_BIT) for (let w = o; w < end; w += N_COUNTERS) c[w + C_ENGAGED]++;
  if (kind & LIKED) for (let w = o; w < end; w += N_COUNTERS) c[w + C_LIKED]++;
  if (kind & SHARED) for (let w = o; w < end; w += N_COUNTERS) c[w + C_SHARED]++;
  if (kind & DOWNLOADED) for (let w = o; w < end; w += N_COUNTERS) c[w + C_DOWNLOADED]++;
}

function bump(c: Int32Array, o: number, kind: number, d: number): void {
  c[o + C_VIEWS] += d;
  if (kind & ENGAGED_BIT) c[o + C_ENGAGED] += d;
  if (kind & LIKED) c[o + C_LIKED] += d;
  if (kind & SHARED) c[o + C_SHARED] += d;
  if (kind & DOWNLOADED) c[o + C_DOWNLOADED] += d;
}

/** Counters per item: the life, 24hr, 3d, 7d and 15d windows side by side. */
const ITEM_STRIDE = 5 * N_COUNTERS;
/** Per mean-embedding slot: where its ring starts, its capacity, fill and head, side by side. */
const RING_START = 0;
const RING_CAP = 1;
const RING_FILL = 2;
const RING_HEAD = 3;
const RING_META = 4;
/**
 * A user's record, in 4-byte words: the short, mid and life counters (N_COUNTERS each) at 0, the two mean-embedding
 * slots' ring descriptions (positive, then negative) at USER_RING, then, 8-byte aligned, the two slots' running sums
 * of content vectors (dim float64 each) at USER_SUM. One record holds everything a row and a fold touch for its
 * user: at 10M views (166,667 users, 58 MB of records) a row's user state is one stretch of memory instead of
 * pieces of three tables.
 */
const USER_RING = 3 * N_COUNTERS;
/** USER_RING's descriptions end here; rounded up to an even word so the sums are 8-byte aligned. */
const USER_SUM = (USER_RING + 2 * RING_META + 1) & ~1;

/**
 * Pushes item `i` into the positive or negative ring (by `kind`) of the user whose record starts at word `uo`,
 * keeping the ring's running sum of content vectors: the oldest entry's vector leaves a full ring first. advanceTo
 * and foldAll push the same way, so their sums are the same bits.
 */
function pushRing(userI: Int32Array, userF: Float64Array, ring: Int32Array, emb: Float32Array, dim: number, uo: number, i: number, kind: number): void {
  const neg = kind & ENGAGED_BIT ? 0 : 1;
  const mo = uo + USER_RING + neg * RING_META;
  const base = userI[mo + RING_START];
  const cap = userI[mo + RING_CAP];
  const head = userI[mo + RING_HEAD];
  const so = ((uo + USER_SUM) >> 1) + neg * dim;
  const eo = i * dim;
  if (userI[mo + RING_FILL] === cap) {
    const old = ring[base + head] * dim;
    for (let d = 0; d < dim; d++) userF[so + d] -= emb[old + d];
  } else {
    userI[mo + RING_FILL]++;
  }
  ring[base + head] = i;
  userI[mo + RING_HEAD] = head + 1 === cap ? 0 : head + 1;
  for (let d = 0; d < dim; d++) userF[so + d] += emb[eo + d];
}

/** Each view's flags with ENGAGED_BIT added when it counts as engaged: what the engine counts. */
export function viewKinds(log: EventLog, out: Uint8Array = new Uint8Array(log.n)): Uint8Array {
  for (let k = 0; k < log.n; k++) out[k] = log.flags[k] | (engaged(log.lengthS[k], log.timespentS[k], log.flags[k]) ? ENGAGED_BIT : 0);
  return out;
}

/**
 * What FeatureEngine.foldAll folds in: every user's state, the even or odd user indices' only (two threads each
 * fold one parity over the same log), or none; and the items' and creators' counters or not.
 */
export interface FoldPart {
  users: 'all' | 'even' | 'odd' | 'none';
  items: boolean;
}

/** The point-in-time feature state over one EventLog. */
export class FeatureEngine {
  private added = 0;
  private readonly kinds: Uint8Array;
  private readonly dim: number;
  /** Words per user record (USER_SUM + 4 x dim: the layout above). */
  private readonly userWords: number;
  /** The user records as words (counters, ring descriptions) and as float64 (the sums), over one buffer. */
  private readonly userI: Int32Array;
  private readonly userF: Float64Array;
  /** Packed item counters (ITEM_STRIDE per item). */
  private readonly itemC: Int32Array;
  private readonly userShort: WindowCounts;
  private readonly userMid: WindowCounts;
  private readonly item: { h24: WindowCounts; d3: WindowCounts; d7: WindowCounts; d15: WindowCounts };
  /** Views of itemC starting at each window, so that itemRates reads every window at the item's offset. */
  private readonly itemWindows: { life: Int32Array; h24: Int32Array; d3: Int32Array; d7: Int32Array; d15: Int32Array };
  private readonly creatorLife: Int32Array;
  /**
   * Per user and polarity (slot 0 pos / 1 neg): a ring of the last item indices, described in the user's record
   * (start in `ring`, capacity = min(100, the slot's views in the log), so the rings hold at most one entry per view
   * however many users there are; fill; head), beside the running sum of the ring's content vectors.
   */
  private readonly ring: Int32Array;
  private readonly handsetCat: Int32Array;
  private readonly creatorCat: Int32Array;

  /**
   * The engine over `log`. `kinds` is viewKinds(log) when the caller has it already (two engines over one log in
   * two threads share it); the engine then reads no flags, lengths or watch times of the log.
   */
  constructor(private readonly log: EventLog, private readonly layout: FeatureLayout, kinds?: Uint8Array) {
    const nu = log.userIds.length;
    const ni = log.itemIds.length;
    this.dim = log.items.dim;
    if (this.dim !== layout.embeddingDim) throw new Error(`the log's content vectors have dimension ${this.dim}, the layout ${layout.embeddingDim}`);
    this.kinds = kinds ?? viewKinds(log);
    // An even number of words, so every record's sums are 8-byte aligned.
    const uw = (this.userWords = USER_SUM + 4 * this.dim);
    const records = new ArrayBuffer(nu * uw * 4);
    this.userI = new Int32Array(records);
    this.userF = new Float64Array(records);
    this.userShort = new WindowCounts(this.userI, uw, 0, USER_WINDOWS.short);
    this.userMid = new WindowCounts(this.userI, uw, N_COUNTERS, USER_WINDOWS.mid);
    this.itemC = new Int32Array(ni * ITEM_STRIDE);
    const win = (w: number) => this.itemC.subarray(w * N_COUNTERS);
    this.itemWindows = { life: win(0), h24: win(1), d3: win(2), d7: win(3), d15: win(4) };
    this.item = {
      h24: new WindowCounts(this.itemC, ITEM_STRIDE, N_COUNTERS, ITEM_WINDOWS['24hr']),
      d3: new WindowCounts(this.itemC, ITEM_STRIDE, 2 * N_COUNTERS, ITEM_WINDOWS['3d']),
      d7: new WindowCounts(this.itemC, ITEM_STRIDE, 3 * N_COUNTERS, ITEM_WINDOWS['7d']),
      d15: new WindowCounts(this.itemC, ITEM_STRIDE, 4 * N_COUNTERS, ITEM_WINDOWS['15d']),
    };
    this.creatorLife = new Int32Array(log.items.creators.length * N_COUNTERS);
    // Count the work first: each slot's ring needs no more places than the slot has views.
    const perSlot = new Int32Array(nu * 2);
    for (let k = 0; k < log.n; k++) perSlot[log.user[k] * 2 + (this.kinds[k] & ENGAGED_BIT ? 0 : 1)]++;
    let places = 0;
    for (let sl = 0; sl < nu * 2; sl++) {
      const cap = Math.min(MEAN_EMBEDDING_LAST, perSlot[sl]);
      const mo = (sl >> 1) * uw + USER_RING + (sl & 1) * RING_META;
      this.userI[mo + RING_START] = places;
      this.userI[mo + RING_CAP] = cap;
      places += cap;
    }
    this.ring = new Int32Array(places);
    const hsize = layout.userCat[2]?.size ?? 64;
    this.handsetCat = Int32Array.from(log.handsets, (h) => hashCat(h, hsize));
    const csize = layout.itemCat[0]?.size ?? 4096;
    this.creatorCat = Int32Array.from(log.items.creators, (c) => hashCat(c, csize));
  }

  /** Folds in every view with ts < t and expires window counts for time t. Calls must not go back in time. */
  advanceTo(t: number): void {
    const { log, kinds, userI, userF, userWords, itemC, creatorLife, ring } = this;
    const { ts, user, item } = log;
    const emb = log.items.embedding;
    const dim = this.dim;
    const creator = log.items.creator;
    while (this.added < log.n && ts[this.added] < t) {
      const k = this.added++;
      const kind = kinds[k];
      const u = user[k];
      const i = item[k];
      const uo = u * userWords;
      addView(userI, uo, 3, kind);
      const io = i * ITEM_STRIDE;
      addView(itemC, io, 5, kind);
      addView(creatorLife, creator[i] * N_COUNTERS, 1, kind);
      pushRing(userI, userF, ring, emb, dim, uo, i, kind);
    }
    const added = this.added;
    this.userShort.expire(t, ts, user, kinds, added);
    this.userMid.expire(t, ts, user, kinds, added);
    this.item.h24.expire(t, ts, item, kinds, added);
    this.item.d3.expire(t, ts, item, kinds, added);
    this.item.d7.expire(t, ts, item, kinds, added);
    this.item.d15.expire(t, ts, item, kinds, added);
  }

  /**
   * Folds in the whole log at time t (every view must be before t) on a fresh engine: the state advanceTo(t)
   * leaves, to the bit, for online rows. A view is counted only in the windows it is still in at t (the log is
   * time-ordered, so those are index ranges) instead of being added to every window and expired again: six
   * passes over the log fewer. The rings see the same pushes in the same order, so the float sums are the same.
   */
  foldAll(t: number, part: FoldPart = { users: 'all', items: true }): void {
    const { log, kinds, userI, userF, userWords, itemC, creatorLife, ring } = this;
    const n = log.n;
    if (this.added !== 0) throw new Error('foldAll needs a fresh engine: it folds the whole log at once');
    if (n > 0 && !(log.ts[n - 1] < t)) throw new Error(`foldAll(${t}): the log has views at or after that time`);
    const { user, item } = log;
    const emb = log.items.embedding;
    const dim = this.dim;
    const creator = log.items.creator;
    // Where each window's views begin; the narrower a window, the later (short within mid, 24hr within 3d ...).
    const uMid = this.userMid.skipTo(t, log.ts, n);
    const uShort = this.userShort.skipTo(t, log.ts, n);
    const i15 = this.item.d15.skipTo(t, log.ts, n);
    const i7 = this.item.d7.skipTo(t, log.ts, n);
    const i3 = this.item.d3.skipTo(t, log.ts, n);
    const i24 = this.item.h24.skipTo(t, log.ts, n);
    if (part.items) {
      for (let k = 0; k < n; k++) {
        const kind = kinds[k];
        const i = item[k];
        // Item windows life, 24hr, 3d, 7d, 15d: life, then from the narrowest that holds the view to 15d.
        const io = i * ITEM_STRIDE;
        const iw = k >= i24 ? 1 : k >= i3 ? 2 : k >= i7 ? 3 : k >= i15 ? 4 : 5;
        if (iw === 1) addView(itemC, io, 5, kind);
        else {
          addView(itemC, io, 1, kind);
          if (iw < 5) addView(itemC, io + iw * N_COUNTERS, 5 - iw, kind);
        }
        addView(creatorLife, creator[i] * N_COUNTERS, 1, kind);
      }
    }
    // Users of one parity only, when another thread folds the others: (u & mask) === want.
    const mask = part.users === 'all' || part.users === 'none' ? 0 : 1;
    const want = part.users === 'odd' ? 1 : 0;
    for (let k = 0; part.users !== 'none' && k < n; k++) {
      const u = user[k];
      if ((u & mask) !== want) continue;
      const kind = kinds[k];
      const i = item[k];
      const uo = u * userWords;
      // User windows short, mid, life side by side: from the first that holds the view to life.
      const uw = k >= uShort ? 0 : k >= uMid ? 1 : 2;
      addView(userI, uo + uw * N_COUNTERS, 3 - uw, kind);
      pushRing(userI, userF, ring, emb, dim, uo, i, kind);
    }
    this.added = n;
  }

  /** Writes row r's user part: [hod, dow, handset] and [pos mean, neg mean, 11 rates]. */
  writeUser(u: number, hod: number, dow: number, handsetCat: number, batch: FeatureBatch, r: number): void {
    const { layout, dim, userI, userF } = this;
    const uo = u * this.userWords;
    const uc = layout.userCat.length;
    const userCat = batch.userCat;
    userCat[r * uc] = hod;
    userCat[r * uc + 1] = dow;
    userCat[r * uc + 2] = handsetCat;
    const dense = batch.userDense;
    const o = r * layout.userDenseDim;
    for (let p = 0; p < 2; p++) {
      const n = userI[uo + USER_RING + p * RING_META + RING_FILL];
      const so = ((uo + USER_SUM) >> 1) + p * dim;
      const at = o + p * dim;
      if (n > 0) for (let d = 0; d < dim; d++) dense[at + d] = userF[so + d] / n;
      else for (let d = 0; d < dim; d++) dense[at + d] = 0;
    }
    userRates(userI, uo, userI, uo + N_COUNTERS, userI, uo + 2 * N_COUNTERS, dense, o + 2 * dim);
  }

  /** Writes row r's item part: [creator], [content vector, 20 rates] and the normalised age at time `t`. */
  writeItem(i: number, t: number, batch: Pick<FeatureBatch, 'itemCat' | 'itemDense' | 'itemAge'>, r: number): void {
    const { layout, dim, log } = this;
    const ic = layout.itemCat.length;
    const cr = log.items.creator[i];
    batch.itemCat[r * ic] = this.creatorCat[cr];
    const o = r * layout.itemDenseDim;
    const dense = batch.itemDense;
    const emb = log.items.embedding;
    // A loop, not set(subarray): a subarray is an object per row for the collector.
    for (let d = 0, e = i * dim; d < dim; d++) dense[o + d] = emb[e + d];
    const w = this.itemWindows;
    itemRates(w.life, w.h24, w.d3, w.d7, w.d15, i * ITEM_STRIDE, this.creatorLife, cr * N_COUNTERS, dense, o + dim);
    batch.itemAge[r] = normAge(t, log.items.createdAt[i]);
  }

  /** The categorical id of a handset maker index of the log. */
  handsetOf(h: number): number {
    return this.handsetCat[h];
  }

  /** Views a user had before the current time (life window), for "stale"/"present" decisions online. */
  userViews(u: number): number {
    return this.userI[u * this.userWords + 2 * N_COUNTERS + C_VIEWS];
  }

  /** Views an item had before the current time. */
  itemViews(i: number): number {
    return this.itemC[i * ITEM_STRIDE + C_VIEWS];
  }
}

export { C_ENGAGED, C_LIKED, C_SHARED, C_DOWNLOADED };
