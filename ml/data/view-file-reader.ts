// Reads a view file (ml/data/view-file-writer.ts) into a ViewRun, page by page into typed arrays: dictionary pages
// become the run's dictionaries, indices are copied, never turned into one string per row. Any flat Parquet file
// with the view columns in PLAIN, dictionary, RLE (booleans), DELTA_BINARY_PACKED or BYTE_STREAM_SPLIT encodings, version 1 or 2
// data pages, uncompressed or GZIP, is read here; anything else throws UnsupportedParquet (the caller reads such
// a file with the general reader).
import * as zlib from 'node:zlib';
import { readByteStreamSplit, readDelta, readHybrid } from './parquet-encoding';
import { ThriftReader, type ThriftStruct, type ThriftValue } from './parquet-thrift';
import { PQ, VIEW_COLUMNS } from './view-file-writer';
import type { ViewRun } from './view-run';

/** The file uses a Parquet feature this reader does not implement (the general reader handles it). */
export class UnsupportedParquet extends Error {}

const utf8 = new TextDecoder('utf-8');

const num = (s: ThriftStruct, id: number): number | undefined => s.get(id) as number | undefined;
const need = (s: ThriftStruct, id: number, what: string): number => {
  const v = s.get(id);
  if (typeof v !== 'number') throw new Error(`view file: the footer has no ${what}; the file is not a valid Parquet file`);
  return v;
};
const list = (s: ThriftStruct, id: number): ThriftValue[] => (s.get(id) as ThriftValue[] | undefined) ?? [];

/**
 * A string column's ids across its chunks. The first chunk's dictionary becomes the table as it is (a dictionary
 * lists each string once), so a file of one row group is read without hashing a single id; later chunks are
 * merged through an index built when the second one arrives.
 */
class IdTable {
  readonly ids: string[] = [];
  private index: Map<string, number> | undefined;

  /** The table's indices of `strings`: a chunk dictionary (`distinct`) or a page of PLAIN values. */
  add(strings: string[], distinct: boolean): Int32Array {
    const out = new Int32Array(strings.length);
    if (distinct && this.ids.length === 0) {
      for (let k = 0; k < strings.length; k++) {
        this.ids.push(strings[k]);
        out[k] = k;
      }
      return out;
    }
    const index = (this.index ??= new Map(this.ids.map((id, i) => [id, i])));
    for (let k = 0; k < strings.length; k++) {
      let i = index.get(strings[k]);
      if (i === undefined) {
        i = this.ids.length;
        this.ids.push(strings[k]);
        index.set(strings[k], i);
      }
      out[k] = i;
    }
    return out;
  }
}

/** Where a column's decoded values go. */
type Target =
  | { kind: 'string'; out: Int32Array; ids: IdTable }
  | { kind: 'float'; out: Float32Array }
  | { kind: 'ts'; out: Float64Array }
  | { kind: 'flag'; out: Uint8Array; bit: number };

/** A column chunk's dictionary, in the target's domain (id-table indices, floats, or numbers). */
type Dictionary = Int32Array | Float32Array | Float64Array | Uint8Array;

/** Reads a physical type's PLAIN values (count of them) at `pos` into the target's domain; `dictionary` for a dictionary page. */
function readPlain(buf: Uint8Array, pos: number, end: number, type: number, target: Target, count: number, dictionary: boolean): Dictionary {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const room = (bytes: number) => {
    if (pos + bytes > end) throw new Error('view file: PLAIN values run past the end of their page');
  };
  switch (type) {
    case PQ.type.BYTE_ARRAY: {
      if (target.kind !== 'string') throw new UnsupportedParquet('strings in a non-string column');
      const strings = new Array<string>(count);
      for (let k = 0; k < count; k++) {
        room(4);
        const n = dv.getUint32(pos, true);
        room(4 + n);
        strings[k] = utf8.decode(buf.subarray(pos + 4, pos + 4 + n));
        pos += 4 + n;
      }
      return target.ids.add(strings, dictionary);
    }
    case PQ.type.FLOAT: {
      room(4 * count);
      const out = new Float32Array(count);
      for (let k = 0; k < count; k++) out[k] = dv.getFloat32(pos + 4 * k, true);
      return out;
    }
    case 5 /* DOUBLE */: {
      room(8 * count);
      const out = new Float64Array(count);
      for (let k = 0; k < count; k++) out[k] = dv.getFloat64(pos + 8 * k, true);
      return out;
    }
    case PQ.type.INT64: {
      room(8 * count);
      const out = new Float64Array(count);
      for (let k = 0; k < count; k++) out[k] = dv.getUint32(pos + 8 * k, true) + dv.getInt32(pos + 8 * k + 4, true) * 2 ** 32;
      return out;
    }
    case PQ.type.BOOLEAN: {
      room(Math.ceil(count / 8));
      const out = new Uint8Array(count);
      for (let k = 0; k < count; k++) out[k] = (buf[pos + (k >> 3)] >> (k & 7)) & 1;
      return out;
    }
    default: throw new UnsupportedParquet(`physical type ${type}`);
  }
}

/** Writes decoded values to rows [row, row + rows); `levels` marks the rows that have one (null: all of them). */
function scatter(target: Target, name: string, row: number, vals: Dictionary, levels: Int32Array | null, rows: number): void {
  if (levels && target.kind !== 'float') {
    // Another writer may declare every column OPTIONAL; only a float of a view may actually be missing.
    if (levels.subarray(0, rows).includes(0)) throw new Error(`view file: column ${name} has a null; only video_length_s and affinity may be null`);
    levels = null;
  }
  if (target.kind === 'flag') {
    const { out, bit } = target;
    for (let k = 0; k < rows; k++) if (vals[k]) out[row + k] |= bit;
    return;
  }
  const out = target.out;
  if (!levels) {
    out.set(vals.subarray(0, rows) as ArrayLike<number>, row);
    return;
  }
  for (let k = 0, j = 0; k < rows; k++) out[row + k] = levels[k] ? vals[j++] : Number.NaN;
}

/**
 * Decodes a page without nulls straight into the target's rows [row, row + n) for the encodings this platform
 * writes (no intermediate arrays); false when the page needs the general path.
 */
function readDense(body: Uint8Array, at: number, encoding: number, type: number, target: Target, dict: Dictionary | undefined, row: number, n: number): boolean {
  if (encoding === PQ.encoding.RLE_DICTIONARY && dict && (target.kind === 'string' || target.kind === 'float')) {
    const idx = target.kind === 'string' ? target.out.subarray(row, row + n) : new Int32Array(n);
    readHybrid(body, at + 1, body.length, body[at], idx, n);
    const out = target.out;
    const size = dict.length;
    for (let k = 0; k < n; k++) {
      const i = idx[k];
      if (i >= size) throw new Error(`view file: dictionary index ${i} past the dictionary's ${size} entries`);
      out[row + k] = dict[i];
    }
    return true;
  }
  if (encoding === PQ.encoding.BYTE_STREAM_SPLIT && type === PQ.type.FLOAT && target.kind === 'float') {
    readByteStreamSplit(body, at, n, target.out, row, n);
    return true;
  }
  if (encoding === PQ.encoding.DELTA_BINARY_PACKED && type === PQ.type.INT64 && target.kind === 'ts') {
    readDelta(body, at, target.out.subarray(row, row + n), n);
    return true;
  }
  if (encoding === PQ.encoding.PLAIN && type === PQ.type.BOOLEAN && target.kind === 'flag') {
    if (at + Math.ceil(n / 8) > body.length) throw new Error('view file: PLAIN booleans run past the end of their page');
    const { out, bit } = target;
    for (let k = 0; k < n; k++) if ((body[at + (k >> 3)] >> (k & 7)) & 1) out[row + k] |= bit;
    return true;
  }
  return false;
}

/** Maps dictionary indices to dictionary values (target domain). */
function lookup(dict: Dictionary, idx: Int32Array, m: number): Dictionary {
  const out = new (dict.constructor as new (n: number) => Dictionary)(m);
  const size = dict.length;
  for (let k = 0; k < m; k++) {
    const i = idx[k];
    if (i >= size) throw new Error(`view file: dictionary index ${i} past the dictionary's ${size} entries`);
    out[k] = dict[i];
  }
  return out;
}

function inflate(codec: number, body: Uint8Array, size: number): Uint8Array {
  if (codec === PQ.codec.UNCOMPRESSED) return body;
  if (codec !== PQ.codec.GZIP) throw new UnsupportedParquet(`compression codec ${codec}`);
  const out = zlib.gunzipSync(body);
  if (out.length !== size) throw new Error(`view file: a page inflates to ${out.length} bytes, its header says ${size}`);
  return out;
}

/** Reads one column chunk into rows [row0, row0 + rows). */
function readChunk(file: Uint8Array, meta: ThriftStruct, name: string, type: number, optional: boolean, target: Target, row0: number): void {
  const codec = need(meta, 4, 'codec');
  const values = need(meta, 5, 'value count');
  const dictAt = num(meta, 11);
  const dataAt = need(meta, 9, 'data page offset');
  let pos = dictAt !== undefined && dictAt > 0 && dictAt < dataAt ? dictAt : dataAt;
  let dict: Dictionary | undefined;
  let done = 0;
  while (done < values) {
    const r = new ThriftReader(file, pos);
    const h = r.struct();
    const pageType = need(h, 1, 'page type');
    const size = need(h, 2, 'page size');
    const stored = need(h, 3, 'compressed page size');
    const bodyAt = r.pos;
    if (bodyAt + stored > file.length) throw new Error('view file: a page runs past the end of the file (truncated?)');
    pos = bodyAt + stored;
    const raw = file.subarray(bodyAt, bodyAt + stored);
    if (pageType === PQ.page.DICTIONARY_PAGE) {
      const dh = h.get(7) as ThriftStruct;
      const body = inflate(codec, raw, size);
      dict = readPlain(body, 0, body.length, type, target, need(dh, 1, 'dictionary size'), true);
      continue;
    }
    let body: Uint8Array;
    let n: number;
    let encoding: number;
    let levels: Int32Array | null = null;
    let at = 0;
    if (pageType === PQ.page.DATA_PAGE) {
      const dh = h.get(5) as ThriftStruct;
      n = need(dh, 1, 'page value count');
      encoding = need(dh, 2, 'page encoding');
      body = inflate(codec, raw, size);
      if (optional) {
        const len = new DataView(body.buffer, body.byteOffset).getUint32(0, true);
        levels = new Int32Array(n);
        readHybrid(body, 4, 4 + len, 1, levels, n);
        at = 4 + len;
      }
    } else if (pageType === PQ.page.DATA_PAGE_V2) {
      const dh = h.get(8) as ThriftStruct;
      n = need(dh, 1, 'page value count');
      encoding = need(dh, 4, 'page encoding');
      const defLen = need(dh, 5, 'definition levels length');
      if (need(dh, 6, 'repetition levels length') !== 0) throw new UnsupportedParquet('repetition levels');
      if (optional) {
        levels = new Int32Array(n);
        readHybrid(raw, 0, defLen, 1, levels, n);
      }
      const compressed = (dh.get(7) as boolean | undefined) ?? true;
      body = compressed ? inflate(codec, raw.subarray(defLen), size - defLen) : raw.subarray(defLen);
    } else {
      continue; // index pages and the like carry no values
    }
    if (levels && !levels.subarray(0, n).includes(0)) levels = null;
    if (!levels && readDense(body, at, encoding, type, target, dict, row0 + done, n)) {
      done += n;
      continue;
    }
    let m = n;
    if (levels) {
      m = 0;
      for (let k = 0; k < n; k++) m += levels[k];
    }
    let vals: Dictionary;
    switch (encoding) {
      case PQ.encoding.PLAIN: vals = readPlain(body, at, body.length, type, target, m, false); break;
      case 2 /* PLAIN_DICTIONARY */: case PQ.encoding.RLE_DICTIONARY: {
        if (!dict) throw new Error('view file: a dictionary-encoded page without a dictionary page');
        const idx = new Int32Array(m);
        readHybrid(body, at + 1, body.length, body[at], idx, m);
        vals = lookup(dict, idx, m);
        break;
      }
      case PQ.encoding.RLE: {
        // Booleans only: the hybrid at width 1 behind a 4-byte length.
        if (type !== PQ.type.BOOLEAN) throw new UnsupportedParquet(`RLE values of type ${type}`);
        const len = new DataView(body.buffer, body.byteOffset).getUint32(at, true);
        vals = new Int32Array(m);
        readHybrid(body, at + 4, at + 4 + len, 1, vals, m);
        break;
      }
      case PQ.encoding.DELTA_BINARY_PACKED: {
        if (type !== PQ.type.INT64) throw new UnsupportedParquet(`DELTA_BINARY_PACKED of type ${type}`);
        vals = new Float64Array(m);
        readDelta(body, at, vals, m);
        break;
      }
      case PQ.encoding.BYTE_STREAM_SPLIT: {
        if (type !== PQ.type.FLOAT) throw new UnsupportedParquet(`BYTE_STREAM_SPLIT of type ${type}`);
        vals = new Float32Array(m);
        readByteStreamSplit(body, at, m, vals, 0, m);
        break;
      }
      default: throw new UnsupportedParquet(`encoding ${encoding}`);
    }
    scatter(target, name, row0 + done, vals, levels, n);
    done += n;
  }
}

/** Decodes a view file's bytes into a run. */
export function readViewFile(file: Uint8Array): ViewRun {
  const magic = (at: number) => file[at] === 0x50 && file[at + 1] === 0x41 && file[at + 2] === 0x52 && file[at + 3] === 0x31;
  if (file.length < 12 || !magic(0) || !magic(file.length - 4)) throw new Error('view file: not a Parquet file (no PAR1 at both ends)');
  const footerLen = new DataView(file.buffer, file.byteOffset).getUint32(file.length - 8, true);
  const footerAt = file.length - 8 - footerLen;
  if (footerAt < 4) throw new Error('view file: the footer length points before the start of the file (truncated?)');
  const fmd = new ThriftReader(file, footerAt).struct();
  const schema = list(fmd, 2) as ThriftStruct[];
  const leaves = new Map<string, { type: number; optional: boolean }>();
  for (const el of schema.slice(1)) {
    if (el.has(5)) throw new UnsupportedParquet('nested columns');
    leaves.set(utf8.decode(el.get(4) as Uint8Array), { type: need(el, 1, 'column type'), optional: num(el, 3) === PQ.repetition.OPTIONAL });
  }
  const n = need(fmd, 3, 'row count');
  const table = () => new IdTable();
  const strings = { user_id: table(), item_id: table(), creator_id: table(), language: table(), handset_maker: table() };
  const run: ViewRun = {
    n, user: new Int32Array(n), item: new Int32Array(n), creator: new Int32Array(n), language: new Int32Array(n), handset: new Int32Array(n),
    userIds: strings.user_id.ids, itemIds: strings.item_id.ids, creatorIds: strings.creator_id.ids, languages: strings.language.ids,
    handsets: strings.handset_maker.ids, ts: new Float64Array(n), lengthS: new Float32Array(n), timespentS: new Float32Array(n), flags: new Uint8Array(n),
    affinity: new Float32Array(n),
  };
  const targets: Record<string, Target> = {
    user_id: { kind: 'string', out: run.user, ids: strings.user_id },
    item_id: { kind: 'string', out: run.item, ids: strings.item_id },
    creator_id: { kind: 'string', out: run.creator, ids: strings.creator_id },
    language: { kind: 'string', out: run.language, ids: strings.language },
    handset_maker: { kind: 'string', out: run.handset, ids: strings.handset_maker },
    ts: { kind: 'ts', out: run.ts },
    video_length_s: { kind: 'float', out: run.lengthS },
    timespent_s: { kind: 'float', out: run.timespentS },
    affinity: { kind: 'float', out: run.affinity },
    liked: { kind: 'flag', out: run.flags, bit: 1 },
    shared: { kind: 'flag', out: run.flags, bit: 2 },
    downloaded: { kind: 'flag', out: run.flags, bit: 4 },
  };
  for (const c of VIEW_COLUMNS) {
    const leaf = leaves.get(c.name);
    if (!leaf) throw new Error(`view file: no column ${c.name}; a view file has ${VIEW_COLUMNS.map((x) => x.name).join(', ')}`);
    if (leaf.type !== c.type && !(c.type === PQ.type.FLOAT && leaf.type === 5)) {
      throw new Error(`view file: column ${c.name} has Parquet type ${leaf.type}, ${c.type} expected`);
    }
  }
  let row = 0;
  for (const g of list(fmd, 4) as ThriftStruct[]) {
    const rows = need(g, 3, 'row group row count');
    for (const cc of list(g, 1) as ThriftStruct[]) {
      const meta = cc.get(3) as ThriftStruct | undefined;
      if (!meta) throw new UnsupportedParquet('column chunks in other files');
      const path = list(meta, 3) as Uint8Array[];
      const name = utf8.decode(path[path.length - 1]);
      const target = targets[name];
      if (!target) continue;
      const leaf = leaves.get(name)!;
      if (need(meta, 5, 'value count') !== rows) throw new Error(`view file: column ${name} holds ${num(meta, 5)} values in a row group of ${rows} rows`);
      readChunk(file, meta, name, leaf.type, leaf.optional, target, row);
    }
    row += rows;
  }
  if (row !== n) throw new Error(`view file: the row groups hold ${row} rows, the footer says ${n}`);
  return run;
}
