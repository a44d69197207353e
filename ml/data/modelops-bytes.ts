// The byte parser of the modelops format's views.csv (ml/data/modelops-format.ts): the same rows, rejections
// (line and reason) and values as parseViewFile, but a plain line's fields are converted from their bytes into a
// sink's dictionary ids and columns, without a string per field, since bulk imports spend their time here.
import type { Vocab } from './events';
import { splitCsv } from './csv';
import type { ImportCounts } from './kuairand';
import { fileHeader, viewOfFields, VIEW_FILE_COLUMNS, VIEW_FILE_OPTIONAL, type ViewColumnIndex } from './modelops-format';

/**
 * Where parseViewBytes puts views: string columns as ids of the sink's dictionaries (NaN for an unknown length or
 * no affinity). `addIds` returns a promise to wait for when the sink must finish storing before it takes more.
 */
export interface ViewSink {
  readonly users: Vocab;
  readonly items: Vocab;
  readonly creators: Vocab;
  readonly languages: Vocab;
  readonly handsets: Vocab;
  addIds(user: number, item: number, creator: number, language: number, handset: number, ts: number, lengthS: number,
    timespentS: number, flags: number, affinity: number): Promise<void> | undefined;
}

/** 10^k for k = 0..22: the powers of ten a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The decimal number in bytes [from, to) (`-`? digits (`.` digits)?, at most 15 digits), or NaN when it is not of
 * that plain form (the caller then takes the string path). An integer of at most 15 digits divided by an exact
 * power of ten is the correctly rounded double, the same as Number() of the text.
 */
function plainDecimal(b: Buffer, from: number, to: number, signed: boolean): number {
  let k = from;
  let neg = false;
  if (signed && k < to && b[k] === 45) { neg = true; k++; }
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; k < to; k++) {
    const c = b[k];
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0 && digits > 0) {
      frac = 0;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > 15 || frac === 0) return Number.NaN;
  const v = frac > 0 ? m / POW10[frac] : m;
  return neg ? -v : v;
}

/** A byte's class in a plain line: one table load and one compare per byte where the tests were five. */
const PLAIN = 0;
const COMMA = 1;
const OTHER = 2;
/** Plain bytes: printable ASCII but the quote and the backslash (spaces, controls and non-ASCII take the slow path). */
const BYTE_CLASS = Uint8Array.from({ length: 256 }, (_, c) => (c === 44 ? COMMA : c >= 0x21 && c <= 0x7e && c !== 34 && c !== 92 ? PLAIN : OTHER));

/** Slot layout of ByteIds' table: id + 1 (0: an empty slot), hash, then the value's words (see ByteIds). */
const SLOT = 4;
/** Marks the second word of a value longer than 8 bytes: its byte length, its first word its arena offset. */
const LONG = 0x80000000 | 0;

/** A 32-bit mix of a short value's two words (its low bits pick the slot). */
function mixWords(w0: number, w1: number): number {
  let h = Math.imul(w0, 0x9e3779b1) ^ Math.imul(w1 ^ 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

/**
 * The ids of a string column's values by their bytes (an open-addressing table), so a value seen before costs a
 * hash and a compare, not a string and a Map lookup; the value before is checked first (a user's views come in a
 * row). Only plain ASCII (0x21..0x7e) reaches it, so a value of at most 8 bytes, zero-padded into two words,
 * is its own key: its slot holds the words and its id, and a lookup reads that slot alone (one cache miss at
 * most, where a table of entries and an arena of bytes cost several for each of the 5 ids of a view). Longer
 * values keep their bytes in an arena, found by hash and compared byte by byte.
 */
class ByteIds {
  private slots = new Int32Array(SLOT * 2048);
  private entries = 0;
  private arena = new Uint8Array(1 << 12);
  private used = 0;
  private lastW0 = 0;
  private lastW1 = 0;
  private lastId = -1;
  private lastLongAt = 0;
  private lastLongN = -1;
  private lastLongId = -1;

  constructor(private readonly vocab: Vocab) {}

  /** The id of bytes [from, to) (plain ASCII) in the vocabulary, adding the value if new. */
  idOf(b: Buffer, from: number, to: number): number {
    const n = to - from;
    if (n > 8) return this.longIdOf(b, from, to);
    let w0 = 0;
    let w1 = 0;
    const m = n < 4 ? n : 4;
    for (let k = 0; k < m; k++) w0 |= b[from + k] << (8 * k);
    for (let k = 4; k < n; k++) w1 |= b[from + k] << (8 * (k - 4));
    if (w0 === this.lastW0 && w1 === this.lastW1 && this.lastId >= 0) return this.lastId;
    const h = mixWords(w0, w1);
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    let s = h & mask;
    for (let at = s * SLOT; slots[at] !== 0; at = s * SLOT) {
      if (slots[at + 2] === w0 && slots[at + 3] === w1) {
        this.lastW0 = w0;
        this.lastW1 = w1;
        return (this.lastId = slots[at] - 1);
      }
      s = (s + 1) & mask;
    }
    const id = this.vocab.add(b.toString('latin1', from, to));
    this.put(s, id, h, w0, w1);
    this.lastW0 = w0;
    this.lastW1 = w1;
    return (this.lastId = id);
  }

  /** idOf for a value of more than 8 bytes. */
  private longIdOf(b: Buffer, from: number, to: number): number {
    const n = to - from;
    if (n === this.lastLongN && this.same(this.lastLongAt, b, from, n)) return this.lastLongId;
    let h = 0x811c9dc5;
    for (let k = from; k < to; k++) h = Math.imul(h ^ b[k], 16777619);
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    let s = h & mask;
    for (let at = s * SLOT; slots[at] !== 0; at = s * SLOT) {
      if (slots[at + 1] === h && slots[at + 3] === (LONG | n) && this.same(slots[at + 2], b, from, n)) return this.lastLong(slots[at + 2], n, slots[at] - 1);
      s = (s + 1) & mask;
    }
    if (this.used + n > this.arena.length) {
      const a = new Uint8Array(Math.max(2 * this.arena.length, this.used + n));
      a.set(this.arena.subarray(0, this.used));
      this.arena = a;
    }
    const offset = this.used;
    b.copy(this.arena, offset, from, to);
    this.used += n;
    const id = this.vocab.add(b.toString('latin1', from, to));
    this.put(s, id, h, offset, LONG | n);
    return this.lastLong(offset, n, id);
  }

  private lastLong(at: number, n: number, id: number): number {
    this.lastLongAt = at;
    this.lastLongN = n;
    return (this.lastLongId = id);
  }

  private same(o: number, b: Buffer, from: number, n: number): boolean {
    const arena = this.arena;
    for (let k = 0; k < n; k++) if (arena[o + k] !== b[from + k]) return false;
    return true;
  }

  /** Fills empty slot `s`; grows the table past half full. */
  private put(s: number, id: number, h: number, w0: number, w1: number): void {
    const at = s * SLOT;
    this.slots[at] = id + 1;
    this.slots[at + 1] = h;
    this.slots[at + 2] = w0;
    this.slots[at + 3] = w1;
    if (2 * ++this.entries > this.slots.length / SLOT) this.rehash();
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(2 * old.length);
    const mask = slots.length / SLOT - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      if (old[at] === 0) continue;
      let s = old[at + 1] & mask;
      while (slots[s * SLOT] !== 0) s = (s + 1) & mask;
      slots.set(old.subarray(at, at + SLOT), s * SLOT);
    }
    this.slots = slots;
  }
}

/**
 * Parses a views.csv byte stream straight into a sink's columns, with the same rows, rejections (line and
 * reason) and values as parseViewFile over its lines: a line of plain ASCII fields (no quotes, spaces or
 * backslashes; numbers without exponents; flags 0/1) is converted from its bytes without a string per field,
 * any other line goes through parseViewFile's checks. Lines end at \n, \r\n or a lone \r, as readline's do.
 */
export async function parseViewBytes(bytes: AsyncIterable<Buffer>, opts: { file: string; language: string }, tally: ImportCounts,
  sink: ViewSink): Promise<void> {
  let cols: ViewColumnIndex | undefined;
  let n = 0;
  let read = 0;
  // Field positions of the columns, in the header's order.
  let at: Int32Array = new Int32Array(0);
  let width = 0;
  const start = new Int32Array(64);
  const end = new Int32Array(64);
  const ids = { user: new ByteIds(sink.users), item: new ByteIds(sink.items), creator: new ByteIds(sink.creators), language: new ByteIds(sink.languages),
    handset: new ByteIds(sink.handsets) };
  const unknownCreator = (): number => sink.creators.add('unknown');
  const unknownHandset = (): number => sink.handsets.add('unknown');
  const marketLanguage = (): number => sink.languages.add(opts.language);

  const slow = (text: string): Promise<void> | undefined => {
    let wait: Promise<void> | undefined;
    for (const line of text.split('\r')) {
      n++;
      if (!cols) {
        cols = fileHeader(line, VIEW_FILE_COLUMNS, opts.file, VIEW_FILE_OPTIONAL);
        width = cols.size;
        at = Int32Array.from([...VIEW_FILE_COLUMNS, ...VIEW_FILE_OPTIONAL], (c) => cols!.get(c) ?? -1);
        continue;
      }
      if (!line.trim()) continue;
      const row = viewOfFields(splitCsv(line), cols, opts, tally, n);
      if (!row) continue;
      const { view: v, affinity } = row;
      const w = sink.addIds(sink.users.add(v.user_id), sink.items.add(v.item_id), sink.creators.add(v.creator_id), sink.languages.add(v.language),
        sink.handsets.add(v.handset_maker), v.ts, v.video_length_s ?? Number.NaN, v.timespent_s,
        (v.liked ? 1 : 0) | (v.shared ? 2 : 0) | (v.downloaded ? 4 : 0), affinity ?? Number.NaN);
      if (w) wait = wait ? wait.then(() => w) : w;
    }
    return wait;
  };

  /** One line [from, to) without its \n; undefined or a promise to wait for. */
  const line = (b: Buffer, from: number, to: number): Promise<void> | undefined => {
    if (to > from && b[to - 1] === 13) to--;
    if (!cols || to - from < width) return slow(b.toString('utf8', from, to));
    let fields = 0;
    start[0] = from;
    for (let k = from; k < to; k++) {
      const c = BYTE_CLASS[b[k]];
      if (c === PLAIN) continue;
      if (c !== COMMA || ++fields >= 63) return slow(b.toString('utf8', from, to));
      end[fields - 1] = k;
      start[fields] = k + 1;
    }
    end[fields] = to;
    if (fields + 1 !== width) return slow(b.toString('utf8', from, to));
    // at: user_id, item_id, creator_id, ts, language, video_length_s, timespent_s, liked, shared, downloaded, handset_maker, affinity
    const fu = at[0], fi = at[1], fc = at[2], ft = at[3], fl = at[4], fv = at[5], fs = at[6], f1 = at[7], f2 = at[8], f3 = at[9], fh = at[10], fa = at[11];
    const ul = end[fu] - start[fu];
    const il = end[fi] - start[fi];
    const cl = end[fc] - start[fc];
    const hl = end[fh] - start[fh];
    if (ul === 0 || ul > 200 || il === 0 || il > 200 || cl > 200 || end[fl] - start[fl] > 200 || hl > 200) return slow(b.toString('utf8', from, to));
    const tl = end[ft] - start[ft];
    if (tl === 0 || tl > 15) return slow(b.toString('utf8', from, to));
    let ts = 0;
    for (let k = start[ft]; k < end[ft]; k++) {
      const c = b[k] - 48;
      if (c < 0 || c > 9) return slow(b.toString('utf8', from, to));
      ts = ts * 10 + c;
    }
    if (ts <= 0) return slow(b.toString('utf8', from, to));
    const spent = plainDecimal(b, start[fs], end[fs], false);
    if (Number.isNaN(spent)) return slow(b.toString('utf8', from, to));
    let len = Number.NaN;
    if (end[fv] > start[fv]) {
      len = plainDecimal(b, start[fv], end[fv], false);
      if (Number.isNaN(len)) return slow(b.toString('utf8', from, to));
      if (len === 0) len = Number.NaN;
    }
    if (end[f1] - start[f1] !== 1 || end[f2] - start[f2] !== 1 || end[f3] - start[f3] !== 1) return slow(b.toString('utf8', from, to));
    const c1 = b[start[f1]] - 48;
    const c2 = b[start[f2]] - 48;
    const c3 = b[start[f3]] - 48;
    if ((c1 | c2 | c3) & ~1) return slow(b.toString('utf8', from, to));
    const flags = c1 | (c2 << 1) | (c3 << 2);
    let affinity = Number.NaN;
    if (fa >= 0 && end[fa] > start[fa]) {
      affinity = plainDecimal(b, start[fa], end[fa], true);
      if (Number.isNaN(affinity)) return slow(b.toString('utf8', from, to));
    }
    n++;
    read++;
    return sink.addIds(ids.user.idOf(b, start[fu], end[fu]), ids.item.idOf(b, start[fi], end[fi]),
      cl ? ids.creator.idOf(b, start[fc], end[fc]) : unknownCreator(),
      end[fl] > start[fl] ? ids.language.idOf(b, start[fl], end[fl]) : marketLanguage(),
      hl ? ids.handset.idOf(b, start[fh], end[fh]) : unknownHandset(), ts, len, spent, flags, affinity);
  };

  try {
    let rest: Buffer | undefined;
    for await (const chunk of bytes) {
      const b = chunk;
      let from = 0;
      if (rest) {
        // Only the line cut at the chunk's edge is joined (copying every chunk whole would cost a copy per byte).
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          rest = Buffer.concat([rest, chunk]);
          continue;
        }
        const joined = Buffer.concat([rest, chunk.subarray(0, nl)]);
        rest = undefined;
        const wait = line(joined, 0, joined.length);
        if (wait) await wait;
        from = nl + 1;
      }
      for (let nl = b.indexOf(10, from); nl >= 0; nl = b.indexOf(10, from)) {
        const wait = line(b, from, nl);
        from = nl + 1;
        if (wait) await wait;
      }
      rest = from < b.length ? b.subarray(from) : undefined;
    }
    if (rest) {
      const wait = line(rest, 0, rest.length);
      if (wait) await wait;
    }
  } finally {
    tally.counts.rows_read = (tally.counts.rows_read ?? 0) + read;
  }
}
