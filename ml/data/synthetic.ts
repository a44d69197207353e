// The synthetic watch-log generator: seeded and deterministic, for any size. Users have latent tastes, items
// have content vectors near their creator's style, lengths are lognormal, activity follows hour-of-day and
// day-of-week cycles, and watch time carries a real duration bias: longer videos get more absolute watch
// time but lower completion, so the choice of label matters. The true affinity (taste . content) of every
// view is recorded with it, so experiments can check how much of it a model recovers.
import type { ItemRecord, ViewRecord } from './events';
import { Rng, sigmoid } from './rng';
import { MarketClock } from './time';

/** Generator settings. */
export interface SyntheticParams {
  users: number;
  items: number;
  days: number;
  seed: number;
  /** Content-vector dimension (default 16). */
  dim?: number;
  /** First calendar date (default 2024-01-01) in the market zone. */
  start?: string;
  /** Market time zone (default Asia/Kolkata). */
  timezone?: string;
  /** Mean views per user per day (default 8). */
  viewsPerDay?: number;
  /** Language of the market (default hi). */
  language?: string;
}

/** A generated view plus its true affinity. */
export type SyntheticView = ViewRecord & { affinity: number };

/** Handset makers and their shares. */
export const HANDSETS: [string, number][] = [
  ['xiaomi', 0.24], ['samsung', 0.2], ['vivo', 0.16], ['oppo', 0.12], ['realme', 0.1], ['oneplus', 0.06], ['apple', 0.04], ['motorola', 0.04], ['nokia', 0.04],
];

/** Relative activity per local hour (evening peak) and per weekday (Monday first; weekends busier). */
export const HOD_WEIGHTS = [2, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 6, 6, 5, 5, 5, 6, 7, 9, 10, 10, 8, 4];
export const DOW_WEIGHTS = [1, 0.95, 0.95, 1, 1.05, 1.25, 1.3];

const DAY = 86_400_000;

function cdfOf(w: number[]): number[] {
  const out: number[] = [];
  let s = 0;
  for (const x of w) out.push((s += x));
  return out;
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const k = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) v[i] *= k;
  return v;
}

/**
 * `rng.pick(cdf)` for a long cdf, the same index from the same draw: a guide of where each of `cdf.length` equal
 * slices of the total starts narrows the binary search to an index or two (the items' cdf has tens of thousands
 * of entries, searched once or more per view). An answer the guide got wrong by a rounding at a slice's edge is
 * caught by checking its neighbours, and searched for over the whole cdf.
 */
export function picker(cumulative: number[]): (rng: Rng) => number {
  const cdf = Float64Array.from(cumulative);
  const last = cdf.length - 1;
  const total = cdf[last];
  const slices = cdf.length;
  const scale = slices / total;
  // The first index whose cdf exceeds `x`, between lo and hi (hi when none does): what Rng.pick answers over 0..last.
  const search = (x: number, lo: number, hi: number) => {
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const guide = new Int32Array(slices + 1);
  for (let b = 0; b < slices; b++) guide[b] = search((b * total) / slices, 0, last);
  guide[slices] = last;
  return (rng: Rng) => {
    const x = rng.next() * total;
    const b = Math.min(slices - 1, Math.floor(x * scale));
    const i = search(x, guide[b], guide[b + 1]);
    if ((i === 0 || cdf[i - 1] <= x) && (i === last || cdf[i] > x)) return i;
    return search(x, 0, last);
  };
}

/** Ids the generator uses, so imports and tests can name them. */
export const userId = (u: number) => `u${u}`;
export const itemId = (i: number) => `v${i}`;
export const creatorId = (c: number) => `c${c}`;

/**
 * Generates items (all first) and then views, user by user; the views of one user are in time order, the
 * whole stream is not. Returns the counts.
 */
export function generateSynthetic(p: SyntheticParams, onItem: (it: ItemRecord) => void, onView: (v: SyntheticView) => void): { items: number; views: number } {
  let views = 0;
  for (const v of syntheticViews(p, onItem)) {
    onView(v);
    views++;
  }
  return { items: p.items, views };
}

/** The same log as a pull stream: items go to `onItem` before the first view is yielded. */
export function* syntheticViews(p: SyntheticParams, onItem: (it: ItemRecord) => void): Generator<SyntheticView> {
  const language = p.language ?? 'hi';
  for (const u of syntheticUsers(p, onItem)) {
    const userId_ = userId(u.user);
    const handset = HANDSETS[u.handset][0];
    for (let k = 0; k < u.n; k++) {
      yield ({ user_id: userId_, item_id: itemId(u.item[k]), creator_id: creatorId(u.creator[k]), ts: u.ts[k], language, video_length_s: u.lengthS[k],
        timespent_s: u.timespentS[k], liked: (u.flags[k] & 1) !== 0, shared: (u.flags[k] & 2) !== 0, downloaded: (u.flags[k] & 4) !== 0,
        handset_maker: handset, affinity: u.affinity[k] });
    }
  }
}

/**
 * One user's views from the generator as columns, in time order. The arrays are reused for the next user and
 * hold more than `n` values: copy what you keep.
 */
export interface SyntheticUserViews {
  /** The user's index (its id is userId(user)). */
  user: number;
  /** Index into HANDSETS. */
  handset: number;
  n: number;
  /** Item and creator indices (ids itemId(i), creatorId(c)). */
  item: Int32Array;
  creator: Int32Array;
  /** Epoch ms. */
  ts: Float64Array;
  lengthS: Float64Array;
  timespentS: Float64Array;
  /** Bit 0 liked, bit 1 shared, bit 2 downloaded. */
  flags: Uint8Array;
  affinity: Float64Array;
}

class UserBuffer implements SyntheticUserViews {
  user = 0;
  handset = 0;
  n = 0;
  item = new Int32Array(256);
  creator = new Int32Array(256);
  ts = new Float64Array(256);
  lengthS = new Float64Array(256);
  timespentS = new Float64Array(256);
  flags = new Uint8Array(256);
  affinity = new Float64Array(256);

  reserve(n: number): void {
    if (n <= this.item.length) return;
    const cap = Math.max(n, 2 * this.item.length);
    this.item = new Int32Array(cap); this.creator = new Int32Array(cap); this.ts = new Float64Array(cap); this.lengthS = new Float64Array(cap);
    this.timespentS = new Float64Array(cap); this.flags = new Uint8Array(cap); this.affinity = new Float64Array(cap);
  }
}

/**
 * The generator itself, user by user, as columns (what a bulk load stores without a JS object per view):
 * items go to `onItem` before the first user is yielded; syntheticViews is this stream as view records.
 */
export function* syntheticUsers(p: SyntheticParams, onItem: (it: ItemRecord) => void): Generator<SyntheticUserViews> {
  for (const [k, v] of Object.entries({ users: p.users, items: p.items, days: p.days })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${k}: ${v} is not a positive whole number`);
  }
  const dim = p.dim ?? 16;
  if (!Number.isInteger(dim) || dim < 1 || dim > 1024) throw new Error(`dim: ${dim} is not a whole number in 1..1024`);
  const rng = new Rng(p.seed);
  const clock = new MarketClock(p.timezone ?? 'Asia/Kolkata');
  const t0 = clock.midnight(p.start ?? '2024-01-01');
  const language = p.language ?? 'hi';
  const perDay = p.viewsPerDay ?? 8;

  // Creators have a style; their items' content vectors scatter around it.
  const nCreators = Math.max(1, Math.round(p.items / 20));
  const style = Array.from({ length: nCreators }, () => unit(Float32Array.from({ length: dim }, () => rng.normal())));
  // One flat array (item i at i * dim): a view reads a random item's vector, one cache line instead of an object's
  // header and then its own buffer.
  const content = new Float32Array(p.items * dim);
  const lengthS = new Float32Array(p.items);
  const createdAt = new Float64Array(p.items);
  const popularity: number[] = [];
  const itemCreator = new Int32Array(p.items);
  for (let i = 0; i < p.items; i++) {
    const c = rng.int(nCreators);
    itemCreator[i] = c;
    const v = unit(Float32Array.from({ length: dim }, (_, d) => style[c][d] + (0.7 * rng.normal()) / Math.sqrt(dim)));
    content.set(v, i * dim);
    lengthS[i] = Math.min(600, Math.max(2, Math.round(Math.exp(Math.log(25) + 0.9 * rng.normal()))));
    // Most items exist before the window; a fifth are uploaded during it.
    createdAt[i] = rng.bernoulli(0.8) ? t0 - Math.floor(rng.next() * 30 * DAY) : t0 + Math.floor(rng.next() * p.days * DAY);
    popularity.push(1 / Math.pow(i + 1, 0.8));
    onItem({ item_id: itemId(i), creator_id: creatorId(c), language, created_at: createdAt[i], video_length_s: lengthS[i], embedding: Array.from(v) });
  }
  // Shuffle popularity so that item index does not encode it.
  for (let i = popularity.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [popularity[i], popularity[j]] = [popularity[j], popularity[i]];
  }
  const pickItem = picker(cdfOf(popularity));
  const hodCdf = cdfOf(HOD_WEIGHTS);
  const handsetCdf = cdfOf(HANDSETS.map((h) => h[1]));
  // Every user's days start at the same times with the same weekday weight: found once, not per user and day.
  const dayStart = Array.from({ length: p.days }, (_, d) => t0 + d * DAY);
  const dayWeight = dayStart.map((t) => DOW_WEIGHTS[clock.dow(t + DAY / 2)]);
  const out = new UserBuffer();
  const taste = new Float32Array(dim);
  // A typed array's own sort orders numbers without a comparator call per pair (equal times are equal numbers, so
  // the order is the same as a stable sort's).
  let times = new Float64Array(256);
  for (let u = 0; u < p.users; u++) {
    for (let d = 0; d < dim; d++) taste[d] = rng.normal();
    unit(taste);
    const handset = rng.pick(handsetCdf);
    const activity = perDay * Math.exp(0.8 * rng.normal() - 0.32);
    let m = 0;
    for (let d = 0; d < p.days; d++) {
      const rate = activity * dayWeight[d];
      // Poisson count by inversion (rates are small).
      let k = 0;
      for (let s = -Math.log(1 - rng.next()); s < rate && k < 5000; s += -Math.log(1 - rng.next())) k++;
      if (m + k > times.length) {
        const grown = new Float64Array(Math.max(m + k, 2 * times.length));
        grown.set(times.subarray(0, m));
        times = grown;
      }
      for (let j = 0; j < k; j++) times[m++] = dayStart[d] + rng.pick(hodCdf) * 3_600_000 + Math.floor(rng.next() * 3_600_000);
    }
    const sorted = times.subarray(0, m).sort();
    out.reserve(m);
    out.user = u;
    out.handset = handset;
    let n = 0;
    for (let q = 0; q < m; q++) {
      const ts = sorted[q];
      let i = pickItem(rng);
      for (let tries = 0; createdAt[i] > ts && tries < 3; tries++) i = pickItem(rng);
      if (createdAt[i] > ts) continue;
      let a = 0;
      const at = i * dim;
      for (let d = 0; d < dim; d++) a += taste[d] * content[at + d];
      const len = lengthS[i];
      // Completion falls with length (duration bias) and rises with affinity; watch time = length x completion.
      const completion = sigmoid(0.6 + 2.5 * a - 0.7 * Math.log(len / 20)) * Math.exp(0.35 * rng.normal());
      const spent = Math.round(Math.min(3 * len, len * completion) * 1000) / 1000;
      const liked = rng.bernoulli(sigmoid(-3.5 + 3 * a + completion));
      const shared = rng.bernoulli(sigmoid(-5.5 + 3 * a + completion));
      const downloaded = rng.bernoulli(sigmoid(-6 + 2.5 * a + completion));
      out.item[n] = i;
      out.creator[n] = itemCreator[i];
      out.ts[n] = Math.round(ts);
      out.lengthS[n] = len;
      out.timespentS[n] = spent;
      out.flags[n] = (liked ? 1 : 0) | (shared ? 2 : 0) | (downloaded ? 4 : 0);
      out.affinity[n] = a;
      n++;
    }
    out.n = n;
    if (n) yield out;
  }
}
