// The binary shard format of datasets: one FeatureBatch and its RowFacts in one Buffer, so training streams
// a dataset shard by shard without parsing text.
//
// Layout (all integers little-endian):
//   bytes 0..3   magic "MOSH"
//   bytes 4..7   format version (uint32, currently 1)
//   bytes 8..11  header length H in bytes (uint32)
//   bytes 12..   header: UTF-8 JSON { n, layout, columns: [{ name, dtype, length, offset }] }
//   then, each column at its `offset` (from the start of the buffer, a multiple of 8), `length` elements of
//   `dtype` (int32 | float32 | float64), little-endian. Matrices are row-major (n x width).
// The same container (packColumns / unpackColumns) holds other binary dataset files under their own magic
// (item-day.ts). Shard columns, in order: userCat, userDense, itemCat, itemDense, itemAge (the batch), then the RowFacts fields
// label, lengthS, timespentS, wtg, pcc, group, ts, userIdx, itemIdx, day.
import * as os from 'node:os';
import type { FeatureBatch, FeatureLayout, RowFacts } from './layout';

/** The four bytes every shard starts with. */
export const SHARD_MAGIC = 'MOSH';
/** The format version this code writes and reads. */
export const SHARD_VERSION = 1;

type Dtype = 'int32' | 'float32' | 'float64';
/** The typed arrays a column may be. */
export type Typed = Int32Array | Float32Array | Float64Array;

/** Where one column sits in a container. */
export interface ColumnHeader {
  name: string;
  dtype: Dtype;
  length: number;
  offset: number;
}

interface ShardHeader {
  n: number;
  layout: FeatureLayout;
  columns: ColumnHeader[];
}

const BATCH_COLUMNS = ['userCat', 'userDense', 'itemCat', 'itemDense', 'itemAge'] as const;
const FACT_COLUMNS = ['label', 'lengthS', 'timespentS', 'wtg', 'pcc', 'group', 'ts', 'userIdx', 'itemIdx', 'day'] as const;

const CTORS: Record<Dtype, { new (buf: ArrayBuffer): Typed; BYTES_PER_ELEMENT: number }> = {
  int32: Int32Array, float32: Float32Array, float64: Float64Array,
};

function dtypeOf(a: Typed): Dtype {
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Float32Array) return 'float32';
  return 'float64';
}

function assertLittleEndian(): void {
  // Typed arrays use the host's byte order; every platform Node supports here is little-endian.
  if (os.endianness() !== 'LE') throw new Error('shards are little-endian and this host is big-endian');
}

/** The width each column must have per row, so a wrong-sized batch fails at encode, not at training. */
function expectedLengths(n: number, layout: FeatureLayout): Record<string, number> {
  return {
    userCat: n * layout.userCat.length, userDense: n * layout.userDenseDim, itemCat: n * layout.itemCat.length,
    itemDense: n * layout.itemDenseDim, itemAge: n,
    label: n, lengthS: n, timespentS: n, wtg: n, pcc: n, group: n, ts: n, userIdx: n, itemIdx: n, day: n,
  };
}

const align8 = (x: number) => (x + 7) & ~7;

/** A container laid out for columns of known type and length: its bytes, and a view of each column into them. */
interface PlannedContainer {
  buf: Buffer;
  views: Typed[];
}

/**
 * Lays out a container (the format at the top of this file) for columns given by name, dtype and length: writes
 * the magic, version and header, and returns a view of each column at its offset in the zeroed bytes. The bytes
 * sit in an ArrayBuffer of their own (offset 0), so the views are aligned and the buffer can be transferred; `reuse`,
 * when it has exactly the size needed, is zeroed and used instead of a new one.
 */
function planColumns(magic: string, version: number, header: Record<string, unknown>, columns: [string, Dtype, number][],
  reuse?: ArrayBuffer): PlannedContainer {
  assertLittleEndian();
  // The header's size depends on the offsets, which depend on the header's size: fix offsets relative to the
  // data start first, then shift by the aligned header end.
  const rel: ColumnHeader[] = [];
  let pos = 0;
  for (const [name, dtype, length] of columns) {
    rel.push({ name, dtype, length, offset: pos });
    pos = align8(pos + length * CTORS[dtype].BYTES_PER_ELEMENT);
  }
  let dataStart = 0;
  let headerBytes = Buffer.alloc(0);
  for (let guess = 64; ; guess = dataStart) {
    const cols = rel.map((c) => ({ ...c, offset: c.offset + guess }));
    headerBytes = Buffer.from(JSON.stringify({ ...header, columns: cols }), 'utf8');
    dataStart = align8(12 + headerBytes.length);
    if (dataStart === guess) break;
  }
  const size = dataStart + pos;
  const ab = reuse && reuse.byteLength === size ? reuse : new ArrayBuffer(size);
  const out = Buffer.from(ab);
  if (ab === reuse) out.fill(0);
  out.write(magic, 0, 'ascii');
  out.writeUInt32LE(version, 4);
  out.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(out, 12);
  const views = rel.map((c) => {
    const Ctor = CTORS[c.dtype] as unknown as { new (buf: ArrayBuffer, offset: number, length: number): Typed };
    return new Ctor(ab, dataStart + c.offset, c.length);
  });
  return { buf: out, views };
}

/**
 * Packs named typed arrays into the container every binary dataset file uses (the layout at the top of this
 * file, with its own magic and version): the shards here and the item-day inputs of item-day.ts.
 */
export function packColumns(magic: string, version: number, header: Record<string, unknown>, arrays: [string, Typed][]): Buffer {
  const { buf, views } = planColumns(magic, version, header, arrays.map(([name, a]) => [name, dtypeOf(a), a.length]));
  arrays.forEach(([, a], i) => views[i].set(a));
  return buf;
}

/**
 * Unpacks a container written by packColumns: its JSON header and fresh (aligned) copies of its columns.
 * `want(header)` gives the length each named column must have; `what` names the file kind in errors.
 */
export function unpackColumns<H extends { columns: ColumnHeader[] }>(buf: Buffer, magic: string, version: number, what: string,
  want: (header: H) => Record<string, number>): { header: H; cols: Record<string, Typed> } {
  assertLittleEndian();
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== magic) throw new Error(`${what}: not a ${magic} file (bad magic)`);
  const v = buf.readUInt32LE(4);
  if (v !== version) throw new Error(`${what}: format version ${v} is not supported (expected ${version})`);
  const hlen = buf.readUInt32LE(8);
  if (12 + hlen > buf.length) throw new Error(`${what}: truncated header`);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + hlen)) as H;
  const lengths = want(header);
  const cols: Record<string, Typed> = {};
  for (const c of header.columns) {
    const Ctor = CTORS[c.dtype];
    if (!Ctor) throw new Error(`${what}: column ${c.name} has unknown dtype ${c.dtype}`);
    const bytes = c.length * Ctor.BYTES_PER_ELEMENT;
    if (c.offset + bytes > buf.length) throw new Error(`${what}: column ${c.name} runs past the end (truncated file)`);
    if (lengths[c.name] !== undefined && lengths[c.name] !== c.length) throw new Error(`${what}: column ${c.name} has ${c.length} values, expected ${lengths[c.name]}`);
    const ab = new ArrayBuffer(bytes);
    buf.copy(new Uint8Array(ab), 0, c.offset, c.offset + bytes);
    cols[c.name] = new Ctor(ab);
  }
  for (const name of Object.keys(lengths)) {
    if (!cols[name]) throw new Error(`${what}: column ${name} is missing`);
  }
  return { header, cols };
}

/** Encodes a batch and its facts as one shard Buffer (see the format at the top of this file). */
export function encodeShard(batch: FeatureBatch, facts: RowFacts, layout: FeatureLayout): Buffer {
  const n = batch.n;
  const want = expectedLengths(n, layout);
  const arrays: [string, Typed][] = [
    ...BATCH_COLUMNS.map((c) => [c, batch[c]] as [string, Typed]),
    ...FACT_COLUMNS.map((c) => [c, facts[c]] as [string, Typed]),
  ];
  for (const [name, a] of arrays) {
    if (!a || a.length !== want[name]) {
      throw new Error(`encodeShard: column ${name} has ${a?.length} values, expected ${want[name]} for ${n} rows`);
    }
  }
  return packColumns(SHARD_MAGIC, SHARD_VERSION, { n, layout }, arrays);
}

/** A shard being filled in place: its bytes, and its batch and facts as views into them. */
export interface ShardInPlace {
  buf: Buffer;
  batch: FeatureBatch;
  facts: RowFacts;
}

/**
 * A shard of `n` rows whose batch and facts are views into its final bytes: once every row is written, `buf` is
 * the encoded shard, the same bytes encodeShard gives for those arrays, without a copy of 380 bytes a row. `reuse`
 * (the ArrayBuffer of an earlier shard of the same size, done with) saves allocating new memory for every shard.
 */
export function allocShard(n: number, layout: FeatureLayout, reuse?: ArrayBuffer): ShardInPlace {
  const want = expectedLengths(n, layout);
  const dtypes: Record<string, Dtype> = { userCat: 'int32', userDense: 'float32', itemCat: 'int32', itemDense: 'float32', itemAge: 'float32',
    label: 'float32', lengthS: 'float32', timespentS: 'float32', wtg: 'float32', pcc: 'float32', group: 'int32', ts: 'float64', userIdx: 'int32',
    itemIdx: 'int32', day: 'int32' };
  const names = [...BATCH_COLUMNS, ...FACT_COLUMNS];
  const { buf, views } = planColumns(SHARD_MAGIC, SHARD_VERSION, { n, layout }, names.map((c) => [c, dtypes[c], want[c]]), reuse);
  const v = Object.fromEntries(names.map((c, i) => [c, views[i]])) as Record<string, Typed>;
  return {
    buf,
    batch: { n, userCat: v.userCat as Int32Array, userDense: v.userDense as Float32Array, itemCat: v.itemCat as Int32Array,
      itemDense: v.itemDense as Float32Array, itemAge: v.itemAge as Float32Array },
    facts: { label: v.label as Float32Array, lengthS: v.lengthS as Float32Array, timespentS: v.timespentS as Float32Array, wtg: v.wtg as Float32Array,
      pcc: v.pcc as Float32Array, group: v.group as Int32Array, ts: v.ts as Float64Array, userIdx: v.userIdx as Int32Array,
      itemIdx: v.itemIdx as Int32Array, day: v.day as Int32Array },
  };
}

/** Decodes a shard; the arrays are fresh copies (aligned, independent of `buf`). */
export function decodeShard(buf: Buffer): { layout: FeatureLayout; batch: FeatureBatch; facts: RowFacts } {
  const { header, cols } = unpackColumns<ShardHeader>(buf, SHARD_MAGIC, SHARD_VERSION, 'decodeShard', (h) => expectedLengths(h.n, h.layout));
  const batch: FeatureBatch = {
    n: header.n, userCat: cols.userCat as Int32Array, userDense: cols.userDense as Float32Array,
    itemCat: cols.itemCat as Int32Array, itemDense: cols.itemDense as Float32Array, itemAge: cols.itemAge as Float32Array,
  };
  const facts: RowFacts = {
    label: cols.label as Float32Array, lengthS: cols.lengthS as Float32Array, timespentS: cols.timespentS as Float32Array,
    wtg: cols.wtg as Float32Array, pcc: cols.pcc as Float32Array, group: cols.group as Int32Array, ts: cols.ts as Float64Array,
    userIdx: cols.userIdx as Int32Array, itemIdx: cols.itemIdx as Int32Array, day: cols.day as Int32Array,
  };
  return { layout: header.layout, batch, facts };
}

/** Allocates an empty batch and facts of `n` rows for a layout (what the builder fills). */
export function allocRows(n: number, layout: FeatureLayout): { batch: FeatureBatch; facts: RowFacts } {
  return {
    batch: {
      n, userCat: new Int32Array(n * layout.userCat.length), userDense: new Float32Array(n * layout.userDenseDim),
      itemCat: new Int32Array(n * layout.itemCat.length), itemDense: new Float32Array(n * layout.itemDenseDim),
      itemAge: new Float32Array(n),
    },
    facts: {
      label: new Float32Array(n), lengthS: new Float32Array(n), timespentS: new Float32Array(n), wtg: new Float32Array(n),
      pcc: new Float32Array(n), group: new Int32Array(n), ts: new Float64Array(n), userIdx: new Int32Array(n),
      itemIdx: new Int32Array(n), day: new Int32Array(n),
    },
  };
}
