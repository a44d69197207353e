// The event log's file format, as bytes in and bytes out (no I/O): one Parquet file per time-sorted run of views,
// and the item catalogue as a Parquet file. The columns, their types and the partitioning around them are
// described in docs/features.md ("The event log"); any engine that reads Parquet (DuckDB, Spark, Trino) reads
// these files. View files are written and read by this platform's own Parquet code (ml/data/view-file-writer.ts,
// view-file-reader.ts), straight between typed arrays and pages: per CPU-second ~26x the general library's
// encoding and ~10x its decoding, at ~14 bytes a view (bench/log-codec.bench.ts, BENCHMARKS.md). Strings are
// dictionary-encoded, a file is one row group per 1,048,576 rows, and a column chunk is GZIP-compressed where
// that saves at least 8%. Item files, small, go through the general
// library (hyparquet-writer / hyparquet), which also reads any view file the fast reader does not handle.
import * as zlib from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { parquetRead } from 'hyparquet';
import { EventLogBuilder, Vocab, type ItemRecord } from './events';
import { appendRun, type ViewRun } from './view-run';
import { writeViewFile } from './view-file-writer';
import { readViewFile, UnsupportedParquet } from './view-file-reader';

/** The columns of a view file, in file order. */
export const VIEW_FILE_COLUMNS = ['user_id', 'item_id', 'creator_id', 'ts', 'language', 'video_length_s', 'timespent_s', 'liked', 'shared',
  'downloaded', 'handset_maker', 'affinity'] as const;

/** The columns of an item (catalogue) file, in file order. */
export const ITEM_FILE_COLUMNS = ['item_id', 'creator_id', 'language', 'created_at', 'video_length_s', 'embedding'] as const;

/** Rows per row group of a view file: one dictionary per id column per million views keeps them ~0.2 B a view. */
const VIEW_ROW_GROUP = 1_048_576;
/** Rows per row group of an item file. */
const ROW_GROUP = 262_144;
const GZIP_LEVEL = 6;

type SchemaElement = Record<string, unknown>;

const str = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'REQUIRED' });
const ts = (name: string, repetition: string): SchemaElement => ({
  name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' }, repetition_type: repetition,
});
const prim = (name: string, type: string, repetition: string): SchemaElement => ({ name, type, repetition_type: repetition });

const ITEM_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: ITEM_FILE_COLUMNS.length },
  str('item_id'), str('creator_id'), str('language'), ts('created_at', 'OPTIONAL'), prim('video_length_s', 'FLOAT', 'OPTIONAL'),
  { name: 'embedding', repetition_type: 'REQUIRED', converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
];

const COMPRESSORS = { GZIP: (input: Uint8Array) => new Uint8Array(zlib.gzipSync(input, { level: GZIP_LEVEL })) };
const DECOMPRESSORS = { GZIP: (input: Uint8Array) => new Uint8Array(zlib.gunzipSync(input)) };

function write(schema: SchemaElement[], columnData: { name: string; data: unknown }[], rows: number): Uint8Array {
  const buf = parquetWriteBuffer({
    columnData: columnData as unknown as Parameters<typeof parquetWriteBuffer>[0]['columnData'],
    schema: schema as unknown as Parameters<typeof parquetWriteBuffer>[0]['schema'],
    codec: 'GZIP', compressors: COMPRESSORS, rowGroupSize: Math.max(1, Math.min(rows, ROW_GROUP)), createdBy: 'modelops event log',
  });
  return new Uint8Array(buf);
}

/**
 * Encodes a run of views, already in time order, as one Parquet file (`opts.rowGroup` rows per row group, default
 * 1,048,576). Throws if the run is not sorted by ts (a reader merges files by time and relies on it).
 */
export async function encodeViewFile(run: ViewRun, opts: { rowGroup?: number } = {}): Promise<Uint8Array> {
  const rowGroup = opts.rowGroup ?? VIEW_ROW_GROUP;
  for (let k = 1; k < run.n; k++) {
    if (run.ts[k] < run.ts[k - 1]) throw new Error(`view file: row ${k} (ts ${run.ts[k]}) is earlier than the row before it; sort the run by ts`);
  }
  if (!Number.isInteger(rowGroup) || rowGroup < 1) throw new Error(`view file: row group of ${rowGroup} rows; give a whole number >= 1`);
  return writeViewFile(run, rowGroup);
}

/** Reads every column chunk of a file, handing each to `onChunk` with the row it starts at. */
async function readChunks(bytes: Uint8Array, columns: readonly string[], onChunk: (column: string, data: ArrayLike<unknown>, rowStart: number) => void): Promise<void> {
  const file = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes.buffer as ArrayBuffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  await parquetRead({
    file, columns: [...columns], compressors: DECOMPRESSORS,
    parsers: { timestampFromMilliseconds: (ms: bigint) => Number(ms) },
    onChunk: (c) => onChunk(c.columnName, c.columnData as ArrayLike<unknown>, c.rowStart),
  });
}

/** Decodes a view file into a run (columns with one dictionary per string column). */
export async function decodeViewFile(bytes: Uint8Array): Promise<ViewRun> {
  try {
    return readViewFile(bytes);
  } catch (e) {
    if (!(e instanceof UnsupportedParquet)) throw e;
    return decodeWithLibrary(bytes);
  }
}

/** Decodes a view file with the general reader (Parquet features the fast reader leaves out, such as SNAPPY pages). */
async function decodeWithLibrary(bytes: Uint8Array): Promise<ViewRun> {
  const cols = new Map<string, { start: number; data: ArrayLike<unknown> }[]>();
  let n = 0;
  await readChunks(bytes, VIEW_FILE_COLUMNS, (name, data, start) => {
    let list = cols.get(name);
    if (!list) cols.set(name, (list = []));
    list.push({ start, data });
    n = Math.max(n, start + data.length);
  });
  const each = (name: string, f: (k: number, x: unknown) => void) => {
    for (const { start, data } of cols.get(name) ?? []) for (let j = 0; j < data.length; j++) f(start + j, data[j]);
  };
  const dict = (name: string): [Int32Array, string[]] => {
    const v = new Vocab();
    const out = new Int32Array(n);
    each(name, (k, x) => { out[k] = v.add(x as string); });
    return [out, v.ids];
  };
  const f32 = (name: string): Float32Array => {
    const out = new Float32Array(n);
    each(name, (k, x) => { out[k] = x === null || x === undefined ? Number.NaN : (x as number); });
    return out;
  };
  const [user, userIds] = dict('user_id');
  const [item, itemIds] = dict('item_id');
  const [creator, creatorIds] = dict('creator_id');
  const [language, languages] = dict('language');
  const [handset, handsets] = dict('handset_maker');
  const tsCol = new Float64Array(n);
  each('ts', (k, x) => { tsCol[k] = Number(x); });
  const flags = new Uint8Array(n);
  each('liked', (k, x) => { if (x) flags[k] |= 1; });
  each('shared', (k, x) => { if (x) flags[k] |= 2; });
  each('downloaded', (k, x) => { if (x) flags[k] |= 4; });
  return {
    n, user, item, creator, language, handset, userIds, itemIds, creatorIds, languages, handsets, ts: tsCol,
    lengthS: f32('video_length_s'), timespentS: f32('timespent_s'), flags, affinity: f32('affinity'),
  };
}

/**
 * Decodes a view file straight into an EventLogBuilder, keeping the rows with ts < `beforeTs` (all when
 * undefined) in file order; returns how many were added.
 */
export async function readViewFileInto(bytes: Uint8Array, into: EventLogBuilder, beforeTs?: number): Promise<number> {
  return appendRun(into, await decodeViewFile(bytes), beforeTs);
}

/** Encodes catalogue items as one Parquet file (embedding as a list of float). */
export async function encodeItemFile(items: ItemRecord[]): Promise<Uint8Array> {
  return write(ITEM_SCHEMA, [
    { name: 'item_id', data: items.map((it) => it.item_id) },
    { name: 'creator_id', data: items.map((it) => it.creator_id) },
    { name: 'language', data: items.map((it) => it.language) },
    { name: 'created_at', data: items.map((it) => it.created_at) },
    { name: 'video_length_s', data: items.map((it) => it.video_length_s) },
    { name: 'embedding', data: items.map((it) => it.embedding) },
  ], items.length);
}

/** Decodes an item file. */
export async function decodeItemFile(bytes: Uint8Array): Promise<ItemRecord[]> {
  const out: ItemRecord[] = [];
  await readChunks(bytes, ITEM_FILE_COLUMNS, (name, data, start) => {
    for (let j = 0; j < data.length; j++) {
      const it = (out[start + j] ??= { item_id: '', creator_id: '', language: '', created_at: null, video_length_s: null, embedding: [] });
      const x = data[j];
      if (name === 'item_id') it.item_id = x as string;
      else if (name === 'creator_id') it.creator_id = x as string;
      else if (name === 'language') it.language = x as string;
      else if (name === 'created_at') it.created_at = x === null || x === undefined ? null : Number(x);
      else if (name === 'video_length_s') it.video_length_s = x === null || x === undefined ? null : (x as number);
      else if (name === 'embedding') it.embedding = Array.from(x as number[]);
    }
  });
  return out;
}
