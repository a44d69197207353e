// The definitions behind every meta rate, written down once (docs/design.md, "Features": windows and the
// definition of ctr live in one place, so training and serving cannot define them differently). The dataset
// build and the online features both import these.
//
// - A view is ENGAGED when the user liked, shared or downloaded it, or watched at least 90% of its length
//   (a view of unknown length is engaged only through an interaction). `ctr` is the engaged share of views
//   (the log holds views, not impressions, so a "click" is an engaged view); `like_ctr`, `share_ctr`,
//   `download_ctr` are the liked / shared / downloaded shares of views.
// - The same notion splits a user's history for the mean embeddings: engaged views are positive, the others
//   negative; each mean covers the user's last 100 of its kind.
// - Windows hold the views with t - W <= ts < t for a row at time t (strictly before the row: no leakage).
//   User: short = 1 day, mid = 7 days, life = all history. Item: 24hr, 3d, 7d, 15d and life; creator: life.
// - Smoothing: rate = (k + S * prior) / (n + S) with S = 5 pseudo-views, so one view cannot make a rate of 1.
import { LIKED, SHARED, DOWNLOADED } from '../data/events';

// Module-local copies: imported bindings compile to property reads on every use, which hot loops notice.
const INTERACTED = LIKED | SHARED | DOWNLOADED;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The share of its length a view must reach to count as engaged without an interaction. */
export const ENGAGED_COMPLETION = 0.9;
/** How many of a user's last positive / negative views the mean embeddings cover. */
export const MEAN_EMBEDDING_LAST = 100;
/** Pseudo-views of the smoothing prior. */
export const PRIOR_STRENGTH = 5;
/** The prior of each rate kind (what a rate with no history is). */
export const PRIORS = { ctr: 0.3, like: 0.05, share: 0.01, download: 0.01 } as const;

/** User windows in ms (life = Infinity). */
export const USER_WINDOWS = { short: DAY, mid: 7 * DAY, life: Infinity } as const;
/** Item windows in ms (life = Infinity). */
export const ITEM_WINDOWS = { '24hr': DAY, '3d': 3 * DAY, '7d': 7 * DAY, '15d': 15 * DAY, life: Infinity } as const;

/** The counters kept per entity and window: views and the four event kinds. */
export const C_VIEWS = 0;
export const C_ENGAGED = 1;
export const C_LIKED = 2;
export const C_SHARED = 3;
export const C_DOWNLOADED = 4;
export const N_COUNTERS = 5;

/** True when a view is engaged (see the top of this file). */
export function engaged(lengthS: number, timespentS: number, flags: number): boolean {
  if (flags & INTERACTED) return true;
  return lengthS > 0 && timespentS >= ENGAGED_COMPLETION * lengthS;
}

/** A smoothed rate: (k + S * prior) / (n + S). */
export function smooth(k: number, n: number, prior: number): number {
  return (k + S * prior) / (n + S);
}

/** Normalised item age: log1p(hours since upload) / log1p(24 * 365), 0 when the upload time is unknown. */
export function normAge(nowMs: number, createdAtMs: number): number {
  if (!Number.isFinite(createdAtMs)) return 0;
  const hours = Math.max(0, (nowMs - createdAtMs) / HOUR);
  return Math.log1p(hours) / Math.log1p(24 * 365);
}

/** Hashes a string to a categorical id in 1..size-1 (0 is "unknown", for the empty string and "unknown"). */
export function hashCat(value: string, size: number): number {
  if (!value || value === 'unknown') return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return 1 + ((h >>> 0) % (size - 1));
}

// Module-local copies for the functions below, which run per row of a build: a compiled module reads its own
// exported constants as properties of its exports object on every use, so none of them could be folded.
const S = PRIOR_STRENGTH;
const P_CTR = PRIORS.ctr;
const P_LIKE = PRIORS.like;
const P_SHARE = PRIORS.share;
const P_DOWNLOAD = PRIORS.download;
const VIEWS = C_VIEWS;
const ENGAGED = C_ENGAGED;
const LIKES = C_LIKED;
const SHARES = C_SHARED;
const DOWNLOADS = C_DOWNLOADED;

/**
 * Writes the 11 user rates (layout USER_RATES order) from counters: short/mid/life windows, each
 * [views, engaged, liked, shared, downloaded].
 */
export function userRates(short: ArrayLike<number>, so: number, mid: ArrayLike<number>, mo: number, life: ArrayLike<number>, lo: number,
  out: Float32Array, at: number): void {
  const n = short[so + VIEWS] + S;
  out[at] = (short[so + LIKES] + S * P_LIKE) / n;
  out[at + 1] = (short[so + SHARES] + S * P_SHARE) / n;
  out[at + 2] = (short[so + DOWNLOADS] + S * P_DOWNLOAD) / n;
  windowRates(mid, mo, out, at + 3);
  windowRates(life, lo, out, at + 7);
}

/** ctr, like, share and download rates of one window's counters, written at out[at..at+3]. */
function windowRates(w: ArrayLike<number>, o: number, out: Float32Array, at: number): void {
  const n = w[o + VIEWS] + S;
  out[at] = (w[o + ENGAGED] + S * P_CTR) / n;
  out[at + 1] = (w[o + LIKES] + S * P_LIKE) / n;
  out[at + 2] = (w[o + SHARES] + S * P_SHARE) / n;
  out[at + 3] = (w[o + DOWNLOADS] + S * P_DOWNLOAD) / n;
}

/** The ctr, like and share rates of one window at out[at], out[at + 4] and out[at + 8] (ITEM_RATES interleaves the windows). */
function windowRates3(w: ArrayLike<number>, o: number, out: Float32Array, at: number): void {
  const n = w[o + VIEWS] + S;
  out[at] = (w[o + ENGAGED] + S * P_CTR) / n;
  out[at + 4] = (w[o + LIKES] + S * P_LIKE) / n;
  out[at + 8] = (w[o + SHARES] + S * P_SHARE) / n;
}

/**
 * Writes the 20 item rates (layout ITEM_RATES order) from the item's life/24hr/3d/7d/15d counters (offset io) and
 * the creator's life counters (offset co).
 */
export function itemRates(life: ArrayLike<number>, h24: ArrayLike<number>, d3: ArrayLike<number>, d7: ArrayLike<number>, d15: ArrayLike<number>,
  io: number, creator: ArrayLike<number>, co: number, out: Float32Array, at: number): void {
  windowRates(life, io, out, at);
  windowRates3(h24, io, out, at + 4);
  windowRates3(d3, io, out, at + 5);
  windowRates3(d7, io, out, at + 6);
  windowRates3(d15, io, out, at + 7);
  windowRates(creator, co, out, at + 16);
}
