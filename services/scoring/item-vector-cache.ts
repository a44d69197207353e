// The per-version item-vector cache: item tower outputs for every known item in one row-major Float32Array
// (plus, for two-tower-mod, the age logit of each item), indexed by item id. Built and warmed when the
// version loads, rebuilt on a schedule (default 10 min) so new items and changed rates are picked up, and
// filled on demand: a candidate missing from the cache is computed from the feature store in the call that
// needs it; only an item the store does not know is "unknown" (remembered briefly, so a stream of unknown
// ids does not cost a database round trip each).
//
// A rebuild computes a whole new state and swaps it in one assignment; a call reads `state` once after its
// last await, so the rows it looks up always belong to the arrays it multiplies.
import type { FeatureSource } from './sources';
import type { OnnxModel } from '../../ml/model/onnx-model';
import { ItemIndex } from './item-index';

/** One immutable-in-place snapshot of the cache (rows are only appended, never moved or changed). */
export interface CacheState {
  /** Item id of each row. */
  ids: string[];
  /** Row of each item id (an open-addressing table over `ids`: item-index.ts). */
  index: ItemIndex;
  /** count x dim item vectors (capacity x dim allocated). */
  vecs: Float32Array;
  /** The age logit per row (two-tower-mod), else undefined. */
  bias?: Float32Array;
  /** Per-row marks used to drop duplicate candidates without a per-call Set. */
  stamp: Uint32Array;
  count: number;
}

/** Tunables of the cache. */
export interface ItemCacheOptions {
  /** Items per item-tower batch when building. */
  batch?: number;
  /** How long an id the store does not know stays "unknown" before the store is asked again. */
  unknownTtlMs?: number;
  /** At most this many remembered unknown ids. */
  maxUnknown?: number;
  /** The clock (epoch ms), for item age and TTLs. */
  now?: () => number;
}

/** Rows computed for some ids (those the store knows). */
interface Computed {
  ids: string[];
  vecs: Float32Array;
  bias?: Float32Array;
}

/** The item-vector cache of one serving version. */
export class ItemVectorCache {
  state: CacheState;
  private readonly unknown = new Map<string, number>();
  private readonly pending = new Map<string, Promise<void>>();
  private tick = 0;
  private timer?: NodeJS.Timeout;
  private readonly batch: number;
  private readonly unknownTtlMs: number;
  private readonly maxUnknown: number;
  private readonly now: () => number;
  /** Called after each whole rebuild is swapped in (the retrieval index rebuilds from it). */
  onRebuilt?: (st: CacheState) => void;
  /** Item lookups of calls that found the vector cached, and those that had to compute it. */
  hits = 0;
  misses = 0;

  constructor(private readonly runtime: OnnxModel, private readonly features: FeatureSource, opts: ItemCacheOptions = {}) {
    this.batch = opts.batch ?? 4096;
    this.unknownTtlMs = opts.unknownTtlMs ?? 60_000;
    this.maxUnknown = opts.maxUnknown ?? 200_000;
    this.now = opts.now ?? Date.now;
    this.state = emptyState(runtime.dim, runtime.itemBias, 0);
  }

  /** The vector dimension. */
  get dim(): number {
    return this.runtime.dim;
  }

  /** Computes vectors for `ids` from the feature store and replaces the whole cache with them. */
  async build(ids: string[]): Promise<void> {
    const parts: Computed[] = [];
    for (let i = 0; i < ids.length; i += this.batch) parts.push(await this.compute(ids.slice(i, i + this.batch)));
    const total = parts.reduce((s, p) => s + p.ids.length, 0);
    let next = emptyState(this.dim, this.runtime.itemBias, total + Math.max(1024, total >> 2));
    for (const p of parts) append(next, p, this.dim);
    // Rows filled on demand while this build ran are carried over from the state they were added to.
    const prev = this.state;
    const asked = new Set(ids);
    for (let r = 0; r < prev.count; r++) {
      const id = prev.ids[r];
      if (next.index.has(id) || asked.has(id)) continue;
      next = appendGrowing(next, {
        ids: [id], vecs: prev.vecs.subarray(r * this.dim, (r + 1) * this.dim),
        bias: prev.bias ? prev.bias.subarray(r, r + 1) : undefined,
      }, this.dim);
    }
    this.state = next;
    this.onRebuilt?.(next);
  }

  /** Rebuilds from the ids the cache holds now (new rates, new item age). */
  refresh(): Promise<void> {
    return this.build(this.state.ids.slice(0, this.state.count));
  }

  /** Rebuilds every `ms`; errors are passed to `onError` and the old state keeps serving. */
  schedule(ms: number, onError: (err: unknown) => void): void {
    this.stop();
    this.timer = setInterval(() => { this.refresh().catch(onError); }, ms);
    this.timer.unref();
  }

  /** Stops the schedule. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** True when the store answered recently that it does not know `id` (no need to ask again yet). */
  isKnownUnknown(id: string, now: number): boolean {
    const until = this.unknown.get(id);
    return until !== undefined && until > now;
  }

  /** Computes and caches the vectors of `ids` (single flight per id); ids the store lacks become unknown. */
  async fill(ids: string[]): Promise<void> {
    const waits: Promise<void>[] = [];
    const mine: string[] = [];
    for (const id of ids) {
      const p = this.pending.get(id);
      if (p) waits.push(p);
      else mine.push(id);
    }
    if (mine.length > 0) {
      const work = this.compute(mine).then((c) => {
        const st = this.state;
        const fresh = c.ids.filter((id) => !st.index.has(id));
        if (fresh.length < c.ids.length) {
          const keep = new Set(fresh);
          c = select(c, keep, this.dim);
        }
        if (c.ids.length > 0) this.state = appendGrowing(st, c, this.dim);
        const known = new Set(c.ids);
        const until = this.now() + this.unknownTtlMs;
        if (this.unknown.size > this.maxUnknown) this.unknown.clear();
        for (const id of mine) if (!known.has(id) && !this.state.index.has(id)) this.unknown.set(id, until);
      });
      const done = work.finally(() => { for (const id of mine) this.pending.delete(id); });
      for (const id of mine) this.pending.set(id, done);
      waits.push(done);
    }
    await Promise.all(waits);
  }

  /** A fresh mark for one call's duplicate detection (rows marked with it are already taken). */
  nextStamp(): number {
    this.tick = (this.tick + 1) >>> 0;
    if (this.tick === 0) {
      this.state.stamp.fill(0);
      this.tick = 1;
    }
    return this.tick;
  }

  private async compute(ids: string[]): Promise<Computed> {
    if (ids.length === 0) return { ids: [], vecs: new Float32Array(0) };
    const layout = this.runtime.layout;
    const { batch, found } = await this.features.itemRows(ids, this.now());
    const keep: number[] = [];
    for (let i = 0; i < ids.length; i++) if (found[i]) keep.push(i);
    const n = keep.length;
    if (n === 0) return { ids: [], vecs: new Float32Array(0) };
    const cw = layout.itemCat.length, dw = layout.itemDenseDim;
    const cat = new Int32Array(n * cw);
    const dense = new Float32Array(n * dw);
    const age = new Float32Array(n);
    keep.forEach((src, j) => {
      cat.set(batch.itemCat.subarray(src * cw, (src + 1) * cw), j * cw);
      dense.set(batch.itemDense.subarray(src * dw, (src + 1) * dw), j * dw);
      age[j] = batch.itemAge[src];
    });
    const { vecs, bias } = await this.runtime.itemTerms(cat, dense, age, n);
    return { ids: keep.map((i) => ids[i]), vecs, bias };
  }
}

function emptyState(dim: number, withBias: boolean, capacity: number): CacheState {
  const cap = Math.max(capacity, 1024);
  const ids: string[] = [];
  return {
    ids, index: new ItemIndex(ids, cap), vecs: new Float32Array(cap * dim), bias: withBias ? new Float32Array(cap) : undefined,
    stamp: new Uint32Array(cap), count: 0,
  };
}

/** Appends rows in place (the caller made room). */
function append(st: CacheState, c: Computed, dim: number): void {
  if (st.count + c.ids.length > st.stamp.length) throw new Error('item cache: append past capacity');
  st.vecs.set(c.vecs.subarray(0, c.ids.length * dim), st.count * dim);
  if (st.bias && c.bias) st.bias.set(c.bias.subarray(0, c.ids.length), st.count);
  for (const id of c.ids) {
    st.index.set(id, st.count);
    st.ids.push(id);
    st.count++;
  }
}

/** Appends rows, growing into a new state (same rows, larger arrays) when full. */
function appendGrowing(st: CacheState, c: Computed, dim: number): CacheState {
  let target = st;
  if (st.count + c.ids.length > st.stamp.length) {
    const cap = Math.max(2 * st.stamp.length, st.count + c.ids.length);
    target = {
      ids: st.ids, index: st.index, vecs: new Float32Array(cap * dim), bias: st.bias ? new Float32Array(cap) : undefined,
      stamp: new Uint32Array(cap), count: st.count,
    };
    target.vecs.set(st.vecs.subarray(0, st.count * dim));
    if (target.bias && st.bias) target.bias.set(st.bias.subarray(0, st.count));
    target.stamp.set(st.stamp.subarray(0, st.count));
  }
  append(target, c, dim);
  return target;
}

/** The rows of `c` whose id is in `keep`. */
function select(c: Computed, keep: Set<string>, dim: number): Computed {
  const idx = c.ids.map((id, i) => (keep.has(id) ? i : -1)).filter((i) => i >= 0);
  const vecs = new Float32Array(idx.length * dim);
  idx.forEach((i, j) => vecs.set(c.vecs.subarray(i * dim, (i + 1) * dim), j * dim));
  return { ids: idx.map((i) => c.ids[i]), vecs, bias: c.bias ? Float32Array.from(idx.map((i) => c.bias![i])) : undefined };
}
