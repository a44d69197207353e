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

/** A sliding-window counter set: counts per entity, with an expiry pointer into the time-ordered log. */
class WindowCounts {
  readonly c: Int32Array;
  private expired = 0;

  constructor(entities: number, readonly widthMs: number) {
    this.c = new Int32Array(entities * N_COUNTERS);
  }

  /** Removes views with ts < t - width (only views already added, i.e. below `added`). */
  expire(t: number, log: EventLog, entityOf: (k: number) => number, kinds: Uint8Array, added: number): void {
    if (!Number.isFinite(this.widthMs)) return;
    const cut = t - this.widthMs;
    const ts = log.ts;
    while (this.expired < added && ts[this.expired] < cut) {
      bump(this.c, entityOf(this.expired) * N_COUNTERS, kinds[this.expired], -1);
      this.expired++;
    }
  }
}

const ENGAGED_BIT = 8;

function bump(c: Int32Array, o: number, kind: number, d: number): void {
  c[o + C_VIEWS] += d;
  if (kind & ENGAGED_BIT) c[o + C_ENGAGED] += d;
  if (kind & LIKED) c[o + C_LIKED] += d;
  if (kind & SHARED) c[o + C_SHARED] += d;
  if (kind & DOWNLOADED) c[o + C_DOWNLOADED] += d;
}

/** The point-in-time feature state over one EventLog. */
export class FeatureEngine {
  private added = 0;
  private readonly kinds: Uint8Array;
  private readonly dim: number;
  private readonly userShort: WindowCounts;
  private readonly userMid: WindowCounts;
  private readonly userLife: WindowCounts;
  private readonly item: { life: WindowCounts; h24: WindowCounts; d3: WindowCounts; d7: WindowCounts; d15: WindowCounts };
  private readonly creatorLife: WindowCounts;
  /**
   * Per user and polarity (slot = 2u + 0 pos / 1 neg): a ring of the last item indices at ringStart[slot] with
   * ringCap[slot] = min(100, the slot's views in the log) places (so the rings hold at most one entry per view,
   * however many users there are), its fill and head, and the running sum of the ring's content vectors.
   */
  private readonly ring: Int32Array;
  private readonly ringStart: Int32Array;
  private readonly ringCap: Uint8Array;
  private readonly fill: Uint8Array;
  private readonly head: Uint8Array;
  private readonly sum: Float64Array;
  private readonly handsetCat: Int32Array;
  private readonly creatorCat: Int32Array;
  private readonly userOf: (k: number) => number;
  private readonly itemOf: (k: number) => number;
  private readonly creatorOf: (k: number) => number;

  constructor(private readonly log: EventLog, private readonly layout: FeatureLayout) {
    const nu = log.userIds.length;
    const ni = log.itemIds.length;
    this.dim = log.items.dim;
    if (this.dim !== layout.embeddingDim) throw new Error(`the log's content vectors have dimension ${this.dim}, the layout ${layout.embeddingDim}`);
    this.kinds = new Uint8Array(log.n);
    for (let k = 0; k < log.n; k++) {
      this.kinds[k] = log.flags[k] | (engaged(log.lengthS[k], log.timespentS[k], log.flags[k]) ? ENGAGED_BIT : 0);
    }
    this.userShort = new WindowCounts(nu, USER_WINDOWS.short);
    this.userMid = new WindowCounts(nu, USER_WINDOWS.mid);
    this.userLife = new WindowCounts(nu, USER_WINDOWS.life);
    this.item = {
      life: new WindowCounts(ni, ITEM_WINDOWS.life), h24: new WindowCounts(ni, ITEM_WINDOWS['24hr']),
      d3: new WindowCounts(ni, ITEM_WINDOWS['3d']), d7: new WindowCounts(ni, ITEM_WINDOWS['7d']), d15: new WindowCounts(ni, ITEM_WINDOWS['15d']),
    };
    this.creatorLife = new WindowCounts(log.items.creators.length, Infinity);
    // Count the work first: each slot's ring needs no more places than the slot has views.
    const perSlot = new Int32Array(nu * 2);
    for (let k = 0; k < log.n; k++) perSlot[log.user[k] * 2 + (this.kinds[k] & ENGAGED_BIT ? 0 : 1)]++;
    this.ringStart = new Int32Array(nu * 2 + 1);
    this.ringCap = new Uint8Array(nu * 2);
    for (let sl = 0; sl < nu * 2; sl++) {
      this.ringCap[sl] = Math.min(MEAN_EMBEDDING_LAST, perSlot[sl]);
      this.ringStart[sl + 1] = this.ringStart[sl] + this.ringCap[sl];
    }
    this.ring = new Int32Array(this.ringStart[nu * 2]);
    this.fill = new Uint8Array(nu * 2);
    this.head = new Uint8Array(nu * 2);
    this.sum = new Float64Array(nu * 2 * this.dim);
    const hsize = layout.userCat[2]?.size ?? 64;
    this.handsetCat = Int32Array.from(log.handsets, (h) => hashCat(h, hsize));
    const csize = layout.itemCat[0]?.size ?? 4096;
    this.creatorCat = Int32Array.from(log.items.creators, (c) => hashCat(c, csize));
    const { user, item } = log;
    const creator = log.items.creator;
    this.userOf = (k) => user[k];
    this.itemOf = (k) => item[k];
    this.creatorOf = (k) => creator[item[k]];
  }

  /** Folds in every view with ts < t and expires window counts for time t. Calls must not go back in time. */
  advanceTo(t: number): void {
    const { log, kinds } = this;
    const { ts, user, item } = log;
    const emb = log.items.embedding;
    const dim = this.dim;
    const creator = log.items.creator;
    while (this.added < log.n && ts[this.added] < t) {
      const k = this.added++;
      const kind = kinds[k];
      const u = user[k];
      const i = item[k];
      bump(this.userShort.c, u * N_COUNTERS, kind, 1);
      bump(this.userMid.c, u * N_COUNTERS, kind, 1);
      bump(this.userLife.c, u * N_COUNTERS, kind, 1);
      const io = i * N_COUNTERS;
      bump(this.item.life.c, io, kind, 1);
      bump(this.item.h24.c, io, kind, 1);
      bump(this.item.d3.c, io, kind, 1);
      bump(this.item.d7.c, io, kind, 1);
      bump(this.item.d15.c, io, kind, 1);
      bump(this.creatorLife.c, creator[i] * N_COUNTERS, kind, 1);
      // Mean embeddings: push the item into the user's positive or negative ring, keeping the running sum.
      const slot = u * 2 + (kind & ENGAGED_BIT ? 0 : 1);
      const base = this.ringStart[slot];
      const cap = this.ringCap[slot];
      const so = slot * dim;
      const eo = i * dim;
      if (this.fill[slot] === cap) {
        const old = this.ring[base + this.head[slot]] * dim;
        for (let d = 0; d < dim; d++) this.sum[so + d] -= emb[old + d];
      } else {
        this.fill[slot]++;
      }
      this.ring[base + this.head[slot]] = i;
      this.head[slot] = this.head[slot] + 1 === cap ? 0 : this.head[slot] + 1;
      for (let d = 0; d < dim; d++) this.sum[so + d] += emb[eo + d];
    }
    const added = this.added;
    this.userShort.expire(t, log, this.userOf, kinds, added);
    this.userMid.expire(t, log, this.userOf, kinds, added);
    this.item.h24.expire(t, log, this.itemOf, kinds, added);
    this.item.d3.expire(t, log, this.itemOf, kinds, added);
    this.item.d7.expire(t, log, this.itemOf, kinds, added);
    this.item.d15.expire(t, log, this.itemOf, kinds, added);
  }

  /** Writes row r's user part: [hod, dow, handset] and [pos mean, neg mean, 11 rates]. */
  writeUser(u: number, hod: number, dow: number, handsetCat: number, batch: FeatureBatch, r: number): void {
    const { layout, dim } = this;
    const uc = layout.userCat.length;
    batch.userCat[r * uc] = hod;
    batch.userCat[r * uc + 1] = dow;
    batch.userCat[r * uc + 2] = handsetCat;
    const o = r * layout.userDenseDim;
    for (let p = 0; p < 2; p++) {
      const slot = u * 2 + p;
      const n = this.fill[slot];
      const so = slot * dim;
      const at = o + p * dim;
      for (let d = 0; d < dim; d++) batch.userDense[at + d] = n > 0 ? this.sum[so + d] / n : 0;
    }
    const c = u * N_COUNTERS;
    userRates(this.userShort.c, c, this.userMid.c, c, this.userLife.c, c, batch.userDense, o + 2 * dim);
  }

  /** Writes row r's item part: [creator], [content vector, 20 rates] and the normalised age at time `t`. */
  writeItem(i: number, t: number, batch: Pick<FeatureBatch, 'itemCat' | 'itemDense' | 'itemAge'>, r: number): void {
    const { layout, dim, log } = this;
    const ic = layout.itemCat.length;
    const cr = log.items.creator[i];
    batch.itemCat[r * ic] = this.creatorCat[cr];
    const o = r * layout.itemDenseDim;
    batch.itemDense.set(log.items.embedding.subarray(i * dim, (i + 1) * dim), o);
    const it = this.item;
    itemRates(it.life.c, it.h24.c, it.d3.c, it.d7.c, it.d15.c, i * N_COUNTERS, this.creatorLife.c, cr * N_COUNTERS, batch.itemDense, o + dim);
    batch.itemAge[r] = normAge(t, log.items.createdAt[i]);
  }

  /** The categorical id of a handset maker index of the log. */
  handsetOf(h: number): number {
    return this.handsetCat[h];
  }

  /** Views a user had before the current time (life window), for "stale"/"present" decisions online. */
  userViews(u: number): number {
    return this.userLife.c[u * N_COUNTERS + C_VIEWS];
  }

  /** Views an item had before the current time. */
  itemViews(i: number): number {
    return this.item.life.c[i * N_COUNTERS + C_VIEWS];
  }
}

export { C_ENGAGED, C_LIKED, C_SHARED, C_DOWNLOADED };
