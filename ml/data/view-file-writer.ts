// Writes a time-sorted run of views as a Parquet file, straight from the run's typed arrays: dictionary pages for
// the strings (and for float columns with few distinct values), DELTA_BINARY_PACKED timestamps, BYTE_STREAM_SPLIT
// floats, bit-packed booleans, version-1 data pages, one data page per column chunk, each chunk GZIP-compressed
// with node's zlib or left as it is when GZIP would not save 8%. Every encoding here is read by DuckDB (0.9.2 and
// later), Spark (3.2 and later), Trino and hyparquet; BYTE_STREAM_SPLIT is the youngest of them.
import * as zlib from 'node:zlib';
import { bitWidth, writeByteStreamSplit, writeDelta, writeHybrid } from './parquet-encoding';
import { ByteSink, ThriftWriter } from './parquet-thrift';
import type { ViewRun } from './view-run';

/** Parquet enum values used in the footer and page headers (parquet-format's parquet.thrift). */
export const PQ = {
  type: { BOOLEAN: 0, INT64: 2, FLOAT: 4, BYTE_ARRAY: 6 },
  repetition: { REQUIRED: 0, OPTIONAL: 1 },
  converted: { UTF8: 0, TIMESTAMP_MILLIS: 9 },
  encoding: { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, RLE_DICTIONARY: 8, BYTE_STREAM_SPLIT: 9 },
  codec: { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2 },
  page: { DATA_PAGE: 0, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 },
} as const;

/**
 * zlib settings per kind of page. Level 1: ~3x faster than 6, files within 3%. BYTE_STREAM_SPLIT floats have no
 * repeats worth finding, only skewed byte frequencies: Huffman coding alone is 3.5x faster than level 1 and 3%
 * smaller. Bit-packed indices and booleans repeat as runs (Z_RLE: matches at distance 1 only); dictionaries of
 * ids share prefixes, which the full match search finds.
 */
const GZIP_FLOATS: zlib.ZlibOptions = { level: 1, strategy: zlib.constants.Z_HUFFMAN_ONLY };
const GZIP_RUNS: zlib.ZlibOptions = { level: 1, strategy: zlib.constants.Z_RLE };
const GZIP_STRINGS: zlib.ZlibOptions = { level: 1 };
/** A float column is dictionary-encoded while it has at most this many distinct values in a row group. */
const FLOAT_DICTIONARY_MAX = 4096;

/** One leaf column of the view schema. */
export interface ColumnSpec {
  name: string;
  type: number;
  optional: boolean;
  converted?: number;
  logical?: 'string' | 'timestamp-millis-utc';
}

const str = (name: string): ColumnSpec => ({ name, type: PQ.type.BYTE_ARRAY, optional: false, converted: PQ.converted.UTF8, logical: 'string' });
const f32 = (name: string, optional: boolean): ColumnSpec => ({ name, type: PQ.type.FLOAT, optional });
const bool = (name: string): ColumnSpec => ({ name, type: PQ.type.BOOLEAN, optional: false });

/** The view file's columns, in file order. */
export const VIEW_COLUMNS: readonly ColumnSpec[] = [
  str('user_id'), str('item_id'), str('creator_id'),
  { name: 'ts', type: PQ.type.INT64, optional: false, converted: PQ.converted.TIMESTAMP_MILLIS, logical: 'timestamp-millis-utc' },
  str('language'), f32('video_length_s', true), f32('timespent_s', false), bool('liked'), bool('shared'), bool('downloaded'),
  str('handset_maker'), f32('affinity', true),
];

/** Where a written column chunk is and what its footer entry says. */
interface ChunkMeta {
  spec: ColumnSpec;
  encodings: number[];
  codec: number;
  offset: number;
  dictionaryOffset: number | undefined;
  dataOffset: number;
  compressed: number;
  uncompressed: number;
  numValues: number;
  nullCount: number;
  /** Little-endian min and max for the statistics (the ts column only). */
  min?: Uint8Array;
  max?: Uint8Array;
}

/** A page body before compression (built in a reused sink) and the zlib settings that suit it. */
interface Page {
  bytes: Uint8Array;
  gzip: zlib.ZlibOptions;
}

/** A column chunk's pages: a dictionary (with its entry count) if any, and one data page. */
interface PageBody {
  dictionary?: Page & { count: number };
  data: Page;
  encoding: number;
}

/** Scratch space reused across the column chunks of one file. */
class Scratch {
  remap = new Int32Array(0);
  local = new Int32Array(0);
  levels = new Int32Array(0);
  floats = new Float32Array(0);
  readonly floatSlots = new Int32Array(FLOAT_SLOTS);
  readonly floatKeys = new Int32Array(FLOAT_DICTIONARY_MAX);
  readonly dict = new ByteSink(1 << 16);
  readonly data = new ByteSink(1 << 20);

  sized(n: number, dictSize: number): void {
    if (this.local.length < n) {
      this.local = new Int32Array(n);
      this.levels = new Int32Array(n);
      this.floats = new Float32Array(n);
    }
    if (this.remap.length < dictSize) this.remap = new Int32Array(dictSize);
  }
}

/** A string column chunk: the entries used in [from, to) as a chunk dictionary, in order of first use. */
function stringChunk(s: Scratch, idx: Int32Array, ids: string[], from: number, to: number): PageBody {
  s.sized(to - from, ids.length);
  const remap = s.remap;
  remap.fill(-1, 0, ids.length);
  const local = s.local;
  const dict = s.dict;
  dict.pos = 0;
  let used = 0;
  for (let k = from; k < to; k++) {
    const g = idx[k];
    let l = remap[g];
    if (l < 0) {
      l = remap[g] = used++;
      dict.plainString(ids[g]);
    }
    local[k - from] = l;
  }
  const data = s.data;
  data.pos = 0;
  const w = bitWidth(Math.max(0, used - 1));
  data.u8(w);
  writeHybrid(data, local, 0, to - from, w);
  return { dictionary: { bytes: dict.view(), count: used, gzip: GZIP_STRINGS }, data: { bytes: data.view(), gzip: GZIP_RUNS }, encoding: PQ.encoding.RLE_DICTIONARY };
}

/**
 * A float column chunk; NaN is null when the column is optional. Few distinct values (a video length comes from
 * its item) are dictionary-encoded, the rest BYTE_STREAM_SPLIT.
 */
function floatChunk(s: Scratch, vals: Float32Array, from: number, to: number, optional: boolean): PageBody & { nulls: number } {
  const n = to - from;
  s.sized(n, 0);
  const data = s.data;
  data.pos = 0;
  let m = 0;
  const present = s.floats;
  if (optional) {
    const levels = s.levels;
    for (let k = 0; k < n; k++) {
      const v = vals[from + k];
      const def = v === v ? 1 : 0;
      levels[k] = def;
      if (def) present[m++] = v;
    }
    // Version-1 data pages prefix the definition levels with their byte length.
    const lenAt = data.pos;
    data.u32le(0);
    writeHybrid(data, levels, 0, n, 1);
    const len = data.pos - lenAt - 4;
    data.buf[lenAt] = len & 255; data.buf[lenAt + 1] = (len >>> 8) & 255; data.buf[lenAt + 2] = (len >>> 16) & 255; data.buf[lenAt + 3] = len >>> 24;
  } else {
    present.set(vals.subarray(from, to));
    m = n;
  }
  const values = present.subarray(0, m);
  if (m === 0) return { data: { bytes: data.view(), gzip: GZIP_RUNS }, encoding: PQ.encoding.PLAIN, nulls: n };
  const dictionary = floatDictionary(s, values);
  if (dictionary) {
    const w = bitWidth(Math.max(0, dictionary.count - 1));
    data.u8(w);
    writeHybrid(data, s.local, 0, m, w);
    return { dictionary, data: { bytes: data.view(), gzip: GZIP_RUNS }, encoding: PQ.encoding.RLE_DICTIONARY, nulls: n - m };
  }
  writeByteStreamSplit(data, values);
  return { data: { bytes: data.view(), gzip: GZIP_FLOATS }, encoding: PQ.encoding.BYTE_STREAM_SPLIT, nulls: n - m };
}

/** Slots of the float dictionary's hash table: a power of two, at least twice FLOAT_DICTIONARY_MAX. */
const FLOAT_SLOTS = 2 * FLOAT_DICTIONARY_MAX;

/**
 * The dictionary of `values` (indices into s.local), in order of first appearance, or undefined when there are
 * too many distinct values. Keyed by the float32's bits in an open-addressing table reused across chunks (a Map
 * of doubles cost a hashed heap number per value); -0 is +0, as a Map key is. A NaN (a Map holds every NaN as
 * one key) sends the chunk to floatDictionaryByMap.
 */
function floatDictionary(s: Scratch, values: Float32Array): (Page & { count: number }) | undefined {
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  const slots = s.floatSlots.fill(0);
  const keys = s.floatKeys;
  const local = s.local;
  let count = 0;
  for (let k = 0; k < bits.length; k++) {
    let v = bits[k];
    if ((v & 0x7fffffff) > 0x7f800000) return floatDictionaryByMap(s, values);
    if (v === NEG_ZERO) v = 0;
    let at = Math.imul(v, 0x9e3779b1) >>> (32 - FLOAT_SLOTS_LOG2);
    let l = -1;
    for (let e = slots[at]; e !== 0; e = slots[at]) {
      if (keys[e - 1] === v) {
        l = e - 1;
        break;
      }
      at = (at + 1) & (FLOAT_SLOTS - 1);
    }
    if (l < 0) {
      if (count === FLOAT_DICTIONARY_MAX) return undefined;
      l = count++;
      keys[l] = v;
      slots[at] = l + 1;
    }
    local[k] = l;
  }
  return { bytes: new Uint8Array(keys.slice(0, count).buffer), count, gzip: GZIP_FLOATS };
}

const FLOAT_SLOTS_LOG2 = Math.log2(FLOAT_SLOTS);
const NEG_ZERO = 0x80000000 | 0;

/** floatDictionary through a Map, for a chunk holding a NaN. */
function floatDictionaryByMap(s: Scratch, values: Float32Array): (Page & { count: number }) | undefined {
  const index = new Map<number, number>();
  const local = s.local;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    let l = index.get(v);
    if (l === undefined) {
      if (index.size === FLOAT_DICTIONARY_MAX) return undefined;
      l = index.size;
      index.set(v, l);
    }
    local[k] = l;
  }
  const entries = Float32Array.from(index.keys());
  return { bytes: new Uint8Array(entries.buffer), count: entries.length, gzip: GZIP_FLOATS };
}

/** One flag bit of each view as PLAIN booleans (LSB-first bits). */
function boolChunk(s: Scratch, flags: Uint8Array, bit: number, from: number, to: number): PageBody {
  const n = to - from;
  const data = s.data;
  data.pos = 0;
  data.ensure(Math.ceil(n / 8));
  const buf = data.buf;
  buf.fill(0, 0, Math.ceil(n / 8));
  for (let k = 0; k < n; k++) if (flags[from + k] & bit) buf[k >> 3] |= 1 << (k & 7);
  data.pos = Math.ceil(n / 8);
  return { data: { bytes: data.view(), gzip: GZIP_RUNS }, encoding: PQ.encoding.PLAIN };
}

function tsChunk(s: Scratch, ts: Float64Array, from: number, to: number): PageBody {
  const data = s.data;
  data.pos = 0;
  writeDelta(data, ts.subarray(from, to));
  return { data: { bytes: data.view(), gzip: GZIP_RUNS }, encoding: PQ.encoding.DELTA_BINARY_PACKED };
}

function int64le(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return b;
}

/** Appends a page (header + body, GZIP-compressed when `compress`); returns its sizes in the file and inflated. */
function writePage(file: ByteSink, header: ThriftWriter, type: number, page: Page, compress: boolean, detail: (h: ThriftWriter) => void): { compressed: number; uncompressed: number } {
  const body = page.bytes;
  const packed = compress ? zlib.gzipSync(body, page.gzip) : body;
  header.pos = 0;
  header.fields(() => {
    header.i32(1, type);
    header.i32(2, body.length);
    header.i32(3, packed.length);
    detail(header);
  });
  file.bytes(header.view());
  file.bytes(packed);
  return { compressed: header.pos + packed.length, uncompressed: header.pos + body.length };
}

/** Chunks up to this size are compressed without a trial; larger pages are sampled in SLICES slices of SAMPLE / SLICES bytes. */
const SAMPLE = 1 << 16;
const SLICES = 8;

/** The fraction of its size GZIP leaves of a page, estimated from slices spread over it (exact for small pages). */
function gzipRatio(page: Page): number {
  const body = page.bytes;
  if (body.length <= SAMPLE) return body.length === 0 ? 1 : zlib.gzipSync(body, page.gzip).length / body.length;
  const sample = new Uint8Array(SAMPLE);
  const slice = SAMPLE / SLICES;
  const step = Math.floor((body.length - slice) / (SLICES - 1));
  for (let i = 0; i < SLICES; i++) sample.set(body.subarray(i * step, i * step + slice), i * slice);
  return zlib.gzipSync(sample, page.gzip).length / SAMPLE;
}

/**
 * Whether GZIP pays for a chunk (one codec covers its dictionary and data pages): bit-packed indices of ids
 * drawn from thousands of users and items, and the timestamps' packed deltas, are near random bits (GZIP saves
 * under 3% of them at several times the encoder's cost), while floats, flags and the id strings of a large
 * dictionary shrink by 10-90%. Slices spread over a page are the sample: a BYTE_STREAM_SPLIT page starts with
 * its least compressible bytes, so its head alone would mislead.
 */
function worthCompressing(page: PageBody): boolean {
  const dict = page.dictionary?.bytes.length ?? 0;
  const data = page.data.bytes.length;
  if (data + dict <= SAMPLE) return true;
  const kept = gzipRatio(page.data) * data + (page.dictionary ? gzipRatio(page.dictionary) * dict : 0);
  return kept < 0.92 * (data + dict);
}

/** Appends one column chunk (dictionary page if any, then one data page). */
function writeChunk(file: ByteSink, header: ThriftWriter, spec: ColumnSpec, page: PageBody, rows: number, nulls: number): ChunkMeta {
  const offset = file.pos;
  let compressed = 0;
  let uncompressed = 0;
  let dictionaryOffset: number | undefined;
  const compress = worthCompressing(page);
  if (page.dictionary) {
    dictionaryOffset = file.pos;
    const { count } = page.dictionary;
    const sizes = writePage(file, header, PQ.page.DICTIONARY_PAGE, page.dictionary, compress, (h) => h.struct(7, () => {
      h.i32(1, count);
      h.i32(2, PQ.encoding.PLAIN);
    }));
    compressed += sizes.compressed;
    uncompressed += sizes.uncompressed;
  }
  const dataOffset = file.pos;
  const sizes = writePage(file, header, PQ.page.DATA_PAGE, page.data, compress, (h) => h.struct(5, () => {
    h.i32(1, rows);
    h.i32(2, page.encoding);
    h.i32(3, PQ.encoding.RLE);
    h.i32(4, PQ.encoding.RLE);
  }));
  compressed += sizes.compressed;
  uncompressed += sizes.uncompressed;
  const encodings = page.dictionary ? [PQ.encoding.PLAIN, PQ.encoding.RLE, page.encoding] : [PQ.encoding.RLE, page.encoding];
  return { spec, encodings, codec: compress ? PQ.codec.GZIP : PQ.codec.UNCOMPRESSED, offset, dictionaryOffset, dataOffset, compressed, uncompressed, numValues: rows, nullCount: nulls };
}

/** Writes the footer: FileMetaData (parquet.thrift field ids), its length and the magic. */
function writeFooter(file: ByteSink, rows: number, groups: { rows: number; chunks: ChunkMeta[] }[]): void {
  const t = new ThriftWriter(4096);
  t.fields(() => {
    t.i32(1, 1);
    t.structList(2, [undefined, ...VIEW_COLUMNS], (c) => {
      if (!c) {
        t.string(4, 'schema');
        t.i32(5, VIEW_COLUMNS.length);
        return;
      }
      t.i32(1, c.type);
      t.i32(3, c.optional ? PQ.repetition.OPTIONAL : PQ.repetition.REQUIRED);
      t.string(4, c.name);
      if (c.converted !== undefined) t.i32(6, c.converted);
      if (c.logical === 'string') t.struct(10, () => t.struct(1, () => undefined));
      if (c.logical === 'timestamp-millis-utc') {
        t.struct(10, () => t.struct(8, () => {
          t.bool(1, true);
          t.struct(2, () => t.struct(1, () => undefined));
        }));
      }
    });
    t.i64(3, rows);
    t.structList(4, groups, (g) => {
      t.structList(1, g.chunks, (c) => {
        t.i64(2, c.offset);
        t.struct(3, () => {
          t.i32(1, c.spec.type);
          t.i32List(2, c.encodings);
          t.stringList(3, [c.spec.name]);
          t.i32(4, c.codec);
          t.i64(5, c.numValues);
          t.i64(6, c.uncompressed);
          t.i64(7, c.compressed);
          t.i64(9, c.dataOffset);
          if (c.dictionaryOffset !== undefined) t.i64(11, c.dictionaryOffset);
          t.struct(12, () => {
            t.i64(3, c.nullCount);
            if (c.max) t.binary(5, c.max);
            if (c.min) t.binary(6, c.min);
          });
        });
      });
      const bytes = g.chunks.reduce((s, c) => s + c.uncompressed, 0);
      t.i64(2, bytes);
      t.i64(3, g.rows);
      t.i64(5, g.chunks[0].offset);
      t.i64(6, g.chunks.reduce((s, c) => s + c.compressed, 0));
    });
    t.string(6, 'modelops event log');
    // Every column sorts by its type's natural order, which makes the ts min/max statistics usable by readers.
    t.structList(7, VIEW_COLUMNS, () => t.struct(1, () => undefined));
  });
  file.bytes(t.view());
  file.u32le(t.pos);
  file.bytes(MAGIC);
}

const MAGIC = Uint8Array.from([0x50, 0x41, 0x52, 0x31]);

/** Encodes rows of a time-sorted run as Parquet bytes, `rowGroup` rows per row group. */
export function writeViewFile(run: ViewRun, rowGroup: number): Uint8Array {
  const file = new ByteSink(Math.max(1 << 16, run.n * 16));
  const header = new ThriftWriter(256);
  const s = new Scratch();
  file.bytes(MAGIC);
  const groups: { rows: number; chunks: ChunkMeta[] }[] = [];
  for (let from = 0; from < run.n; from += rowGroup) {
    const to = Math.min(run.n, from + rowGroup);
    const rows = to - from;
    const chunks: ChunkMeta[] = [];
    const put = (spec: ColumnSpec, page: PageBody, nulls = 0) => {
      const meta = writeChunk(file, header, spec, page, rows, nulls);
      chunks.push(meta);
      return meta;
    };
    for (const spec of VIEW_COLUMNS) {
      switch (spec.name) {
        case 'user_id': put(spec, stringChunk(s, run.user, run.userIds, from, to)); break;
        case 'item_id': put(spec, stringChunk(s, run.item, run.itemIds, from, to)); break;
        case 'creator_id': put(spec, stringChunk(s, run.creator, run.creatorIds, from, to)); break;
        case 'language': put(spec, stringChunk(s, run.language, run.languages, from, to)); break;
        case 'handset_maker': put(spec, stringChunk(s, run.handset, run.handsets, from, to)); break;
        case 'ts': {
          const meta = put(spec, tsChunk(s, run.ts, from, to));
          meta.min = int64le(run.ts[from]);
          meta.max = int64le(run.ts[to - 1]);
          break;
        }
        case 'video_length_s': case 'timespent_s': case 'affinity': {
          const vals = spec.name === 'video_length_s' ? run.lengthS : spec.name === 'timespent_s' ? run.timespentS : run.affinity;
          const page = floatChunk(s, vals, from, to, spec.optional);
          put(spec, page, page.nulls);
          break;
        }
        case 'liked': put(spec, boolChunk(s, run.flags, 1, from, to)); break;
        case 'shared': put(spec, boolChunk(s, run.flags, 2, from, to)); break;
        case 'downloaded': put(spec, boolChunk(s, run.flags, 4, from, to)); break;
        default: throw new Error(`view file: no writer for column ${spec.name}`);
      }
    }
    groups.push({ rows, chunks });
  }
  writeFooter(file, run.n, groups);
  // The sink was sized for ~16 bytes a view; copy out only when that left much of it unused.
  return file.pos > 0.75 * file.buf.length ? file.view() : file.view().slice();
}

/** floatDictionary (or its Map fallback, `byMap`) on its own, for tests: the dictionary's bytes and each value's index. */
export function floatDictionaryOf(values: Float32Array, byMap: boolean): { bytes: Uint8Array; local: Int32Array } | undefined {
  const s = new Scratch();
  s.sized(values.length, 0);
  const d = byMap ? floatDictionaryByMap(s, values) : floatDictionary(s, values);
  return d && { bytes: d.bytes.slice(), local: s.local.slice(0, values.length) };
}
