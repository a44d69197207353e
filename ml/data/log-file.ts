// The event log's file format, as bytes in and bytes out (no I/O): one Parquet file per time-sorted run of views,
// and the item catalogue as a Parquet file. The columns, their types and the partitioning around them are
// described in docs/features.md ("The event log"); any engine that reads Parquet (DuckDB, Spark, Trino) reads
// these files. Strings are dictionary-encoded where that halves them (every id column of a real log), pages are
// GZIP-compressed with node's zlib, and a file is one row group per 262,144 rows.
import * as zlib from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { parquetRead } from 'hyparquet';
import { EventLogBuilder, Vocab, type ItemRecord } from './events';
import { appendRun, type ViewRun } from './view-run';

/** The columns of a view file, in file order. */
export const VIEW_FILE_COLUMNS = ['user_id', 'item_id', 'creator_id', 'ts', 'language', 'video_length_s', 'timespent_s', 'liked', 'shared',
  'downloaded', 'handset_maker', 'affinity'] as const;

/** The columns of an item (catalogue) file, in file order. */
export const ITEM_FILE_COLUMNS = ['item_id', 'creator_id', 'language', 'created_at', 'video_length_s', 'embedding'] as const;

const ROW_GROUP = 262_144;
const GZIP_LEVEL = 6;

type SchemaElement = Record<string, unknown>;

const str = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'REQUIRED' });
const ts = (name: string, repetition: string): SchemaElement => ({
  name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' }, repetition_type: repetition,
});
const prim = (name: string, type: string, repetition: string): SchemaElement => ({ name, type, repetition_type: repetition });

const VIEW_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: VIEW_FILE_COLUMNS.length },
  str('user_id'), str('item_id'), str('creator_id'), ts('ts', 'REQUIRED'), str('language'), prim('video_length_s', 'FLOAT', 'OPTIONAL'),
  prim('timespent_s', 'FLOAT', 'REQUIRED'), prim('liked', 'BOOLEAN', 'REQUIRED'), prim('shared', 'BOOLEAN', 'REQUIRED'),
  prim('downloaded', 'BOOLEAN', 'REQUIRED'), str('handset_maker'), prim('affinity', 'FLOAT', 'OPTIONAL'),
];

const ITEM_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: ITEM_FILE_COLUMNS.length },
  str('item_id'), str('creator_id'), str('language'), ts('created_at', 'OPTIONAL'), prim('video_length_s', 'FLOAT', 'OPTIONAL'),
  { name: 'embedding', repetition_type: 'REQUIRED', converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
];

const COMPRESSORS = { GZIP: (input: Uint8Array) => new Uint8Array(zlib.gzipSync(input, { level: GZIP_LEVEL })) };
const DECOMPRESSORS = { GZIP: (input: Uint8Array) => new Uint8Array(zlib.gunzipSync(input)) };

/** Strings of an index column through its dictionary. */
function strings(index: Int32Array, dict: string[]): string[] {
  const out = new Array<string>(index.length);
  for (let k = 0; k < index.length; k++) out[k] = dict[index[k]];
  return out;
}

/** A float column with NaN as null. */
function nullable(a: Float32Array): (number | null)[] {
  const out = new Array<number | null>(a.length);
  for (let k = 0; k < a.length; k++) out[k] = Number.isNaN(a[k]) ? null : a[k];
  return out;
}

function bit(flags: Uint8Array, mask: number): boolean[] {
  const out = new Array<boolean>(flags.length);
  for (let k = 0; k < flags.length; k++) out[k] = (flags[k] & mask) !== 0;
  return out;
}

function write(schema: SchemaElement[], columnData: { name: string; data: unknown }[], rows: number): Uint8Array {
  const buf = parquetWriteBuffer({
    columnData: columnData as unknown as Parameters<typeof parquetWriteBuffer>[0]['columnData'],
    schema: schema as unknown as Parameters<typeof parquetWriteBuffer>[0]['schema'],
    codec: 'GZIP', compressors: COMPRESSORS, rowGroupSize: Math.max(1, Math.min(rows, ROW_GROUP)), createdBy: 'modelops event log',
  });
  return new Uint8Array(buf);
}

/**
 * Encodes a run of views, already in time order, as one Parquet file. Throws if the run is not sorted by ts
 * (a reader merges files by time and relies on it).
 */
export async function encodeViewFile(run: ViewRun): Promise<Uint8Array> {
  for (let k = 1; k < run.n; k++) {
    if (run.ts[k] < run.ts[k - 1]) throw new Error(`view file: row ${k} (ts ${run.ts[k]}) is earlier than the row before it; sort the run by ts`);
  }
  return write(VIEW_SCHEMA, [
    { name: 'user_id', data: strings(run.user, run.userIds) },
    { name: 'item_id', data: strings(run.item, run.itemIds) },
    { name: 'creator_id', data: strings(run.creator, run.creatorIds) },
    { name: 'ts', data: run.ts },
    { name: 'language', data: strings(run.language, run.languages) },
    { name: 'video_length_s', data: nullable(run.lengthS) },
    { name: 'timespent_s', data: run.timespentS },
    { name: 'liked', data: bit(run.flags, 1) },
    { name: 'shared', data: bit(run.flags, 2) },
    { name: 'downloaded', data: bit(run.flags, 4) },
    { name: 'handset_maker', data: strings(run.handset, run.handsets) },
    { name: 'affinity', data: nullable(run.affinity) },
  ], run.n);
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
