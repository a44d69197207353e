// The item cache's index from item id to row: an open-addressing hash table in one Int32Array, built for
// the hot path (500 lookups of freshly decoded id strings per Score call).
//
// Why not a Map<string, number>: a Map lookup of a fresh string touches ~3 scattered cache lines (the hash
// bucket, the entry, then the stored key string to compare), and between two gRPC calls those lines have
// been evicted, so in the server each lookup is a few cache misses (bench/score.bench.ts measured the
// Score path at ~2x its tight-loop cost). Here a slot is 32 bytes holding the hash, the row and, for ids of
// at most 20 Latin-1 characters (the usual case), the id's bytes themselves: a lookup reads one slot (one
// line) and compares exactly against the inline bytes. Longer or non-Latin-1 ids are compared against the
// stored string (exact either way: the index never answers by hash alone). A lookup packs the query's
// bytes into words while hashing it, so the compare is five word compares, not one per character.

/** Int32 words per slot: hash, row + 1 (0 = empty), key length (~length when not inline), 5 words of key bytes. */
const SLOT = 8;
/** Ids up to this many characters (all below 256) are stored inline in their slot. */
const INLINE_CHARS = 20;

/** A 32-bit hash of the id's UTF-16 code units (FNV-1a, then a murmur3 finaliser to spread the low bits). */
function hashOf(id: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Item id -> row; rows are those of `ids` (the cache's row-to-id list, shared with the index). */
export class ItemIndex {
  private table: Int32Array;
  private mask: number;
  private n = 0;

  /** An index over rows of `ids`, sized for about `capacity` ids before it first grows. */
  constructor(private readonly ids: string[], capacity = 1024) {
    let slots = 1024;
    while (slots < 2 * capacity) slots *= 2;
    this.table = new Int32Array(slots * SLOT);
    this.mask = slots - 1;
  }

  /** Number of distinct ids indexed. */
  get size(): number {
    return this.n;
  }

  /** The row of `id`, or -1 when it is not indexed. */
  row(id: string): number {
    const len = id.length;
    if (len > INLINE_CHARS) return this.rowSlow(id);
    // Hash and pack the id's bytes into words in one pass (a char above 255 cannot be inline: slow path).
    let h = 0x811c9dc5 | 0;
    let w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, wide = 0;
    for (let i = 0; i < len; i++) {
      const c = id.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      wide |= c;
      const sh = (i & 3) << 3;
      switch (i >> 2) {
        case 0: w0 |= c << sh; break;
        case 1: w1 |= c << sh; break;
        case 2: w2 |= c << sh; break;
        case 3: w3 |= c << sh; break;
        default: w4 |= c << sh;
      }
    }
    if (wide > 255) return this.rowSlow(id);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const t = this.table;
    const mask = this.mask;
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const b = p * SLOT;
      const r = t[b + 1];
      if (r === 0) return -1;
      if (t[b] === h && t[b + 2] === len && t[b + 3] === w0 && t[b + 4] === w1 && t[b + 5] === w2 && t[b + 6] === w3 && t[b + 7] === w4) return r - 1;
    }
  }

  /** `row` for ids that cannot be inline (longer than 20 characters, or a character above 255). */
  private rowSlow(id: string): number {
    const len = id.length;
    const h = hashOf(id);
    const t = this.table;
    const mask = this.mask;
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const b = p * SLOT;
      const r = t[b + 1];
      if (r === 0) return -1;
      if (t[b] === h && this.matches(b, id, len, r - 1)) return r - 1;
    }
  }

  /** The row of `id`, or undefined (Map-like). */
  get(id: string): number | undefined {
    const r = this.row(id);
    return r < 0 ? undefined : r;
  }

  /** True when `id` is indexed. */
  has(id: string): boolean {
    return this.row(id) >= 0;
  }

  /** Maps `id` to `row` (replacing its previous row, as Map.set does); `ids[row]` must be `id`. */
  set(id: string, row: number): void {
    if (2 * (this.n + 1) > this.mask + 1) this.grow();
    const len = id.length;
    const h = hashOf(id);
    const t = this.table;
    const mask = this.mask;
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const b = p * SLOT;
      const r = t[b + 1];
      if (r === 0) {
        t[b] = h;
        t[b + 1] = row + 1;
        let inline = len <= INLINE_CHARS;
        for (let i = 0; inline && i < len; i++) if (id.charCodeAt(i) > 255) inline = false;
        if (inline) {
          t[b + 2] = len;
          for (let w = 0; w < 5; w++) t[b + 3 + w] = 0;
          for (let i = 0; i < len; i++) t[b + 3 + (i >> 2)] |= id.charCodeAt(i) << ((i & 3) << 3);
        } else {
          t[b + 2] = ~len;
        }
        this.n++;
        return;
      }
      if (t[b] === h && this.matches(b, id, len, r - 1)) {
        t[b + 1] = row + 1;
        return;
      }
    }
  }

  /** True when slot `b` (holding row `r`) holds exactly `id`. */
  private matches(b: number, id: string, len: number, r: number): boolean {
    const t = this.table;
    const l = t[b + 2];
    if (l === len) {
      for (let i = 0; i < len; i++) {
        if (id.charCodeAt(i) !== ((t[b + 3 + (i >> 2)] >>> ((i & 3) << 3)) & 255)) return false;
      }
      return true;
    }
    return l === ~len && this.ids[r] === id;
  }

  /** Doubles the table, moving each slot by its stored hash (no key is re-read). */
  private grow(): void {
    const old = this.table;
    const slots = 2 * (this.mask + 1);
    const t = new Int32Array(slots * SLOT);
    const mask = slots - 1;
    for (let b = 0; b < old.length; b += SLOT) {
      if (old[b + 1] === 0) continue;
      let p = old[b] & mask;
      while (t[p * SLOT + 1] !== 0) p = (p + 1) & mask;
      t.set(old.subarray(b, b + SLOT), p * SLOT);
    }
    this.table = t;
    this.mask = mask;
  }
}
