import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { csvWriter, float32Text, formatOf, parquetWriter, writeAtomically, type FileChunk, type FileColumn } from './export-file';

/** The Parquet reader the checks use (hyparquet, a dev dependency: npm install --save-dev hyparquet). */
async function hyparquet(): Promise<{
  parquetMetadata(b: ArrayBuffer): { schema: { name: string; type?: string }[]; row_groups: { num_rows: bigint }[]; num_rows: bigint };
  parquetReadObjects(o: { file: { byteLength: number; slice(a: number, b?: number): ArrayBuffer } }): Promise<Record<string, unknown>[]>;
}> {
  const name = 'hyparquet';
  try {
    return await import(name);
  } catch {
    throw new Error('the Parquet checks read files with hyparquet: npm install --save-dev hyparquet');
  }
}

const COLUMNS: FileColumn[] = [
  { name: 'user_id', type: 'string' }, { name: 'item_id', type: 'string' }, { name: 'ts', type: 'int64' }, { name: 'hod', type: 'int32' },
  { name: 'rate', type: 'float32' },
];
// Row r: ids u<r> / "v,<r>" (a comma: quoted in CSV), ts 1.7e12 + r, hod r % 24, rate fround(r / 3) (NaN for r = 4).
function chunk(from: number, to: number): FileChunk {
  const rows = to - from;
  const values = new Float64Array(rows * 3);
  for (let r = from; r < to; r++) values.set([1.7e12 + r, r % 24, r === 4 ? NaN : Math.fround(r / 3)], (r - from) * 3);
  return { rows, userIds: Array.from({ length: rows }, (_, i) => `u${from + i}`), itemIds: Array.from({ length: rows }, (_, i) => `v,${from + i}`), values };
}

test('float32Text is the shortest decimal that reads back to the same float32', () => {
  // fround(0.1) = 0.100000001490116...; "0.1" reads back to it, so that is what is written.
  assert.equal(float32Text(Math.fround(0.1)), '0.1');
  assert.equal(float32Text(Math.fround(1 / 3)), '0.33333334');
  assert.equal(float32Text(2), '2');
  assert.equal(float32Text(NaN), '');
  for (let i = 1; i < 2000; i++) {
    const x = Math.fround(Math.sin(i) * 10 ** ((i % 13) - 6));
    assert.equal(Math.fround(Number(float32Text(x))), x, `${x}`);
  }
});

test('a CSV export quotes what needs it, leaves NaN empty, and appears only when complete', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-csv-'));
  try {
    const file = path.join(dir, 'a.csv');
    await writeAtomically(file, COLUMNS, async (w) => { await w.write(chunk(0, 3)); await w.write(chunk(3, 5)); });
    assert.equal(fs.readFileSync(file, 'utf8'), [
      'user_id,item_id,ts,hod,rate', 'u0,"v,0",1700000000000,0,0', 'u1,"v,1",1700000000001,1,0.33333334', 'u2,"v,2",1700000000002,2,0.6666667',
      'u3,"v,3",1700000000003,3,1', 'u4,"v,4",1700000000004,4,', ''].join('\n'));
    // A failure while filling leaves neither the file nor FILE.tmp.
    const bad = path.join(dir, 'b.csv');
    await assert.rejects(writeAtomically(bad, COLUMNS, async (w) => { await w.write(chunk(0, 2)); throw new Error('stream broke'); }), /stream broke/);
    assert.deepEqual(fs.readdirSync(dir), ['a.csv']);
    assert.throws(() => formatOf('x.tsv'), /use a \.csv or \.parquet file name/);
    assert.ok(csvWriter);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a Parquet export spread over several row groups reads back row for row (hyparquet)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-pq-'));
  try {
    const file = path.join(dir, 'a.parquet');
    const w = await parquetWriter(file, COLUMNS, 3); // 10 rows -> row groups of 3, 3, 3, 1
    await w.write(chunk(0, 4));
    await w.write(chunk(4, 10));
    await w.close();
    const { parquetReadObjects, parquetMetadata } = await hyparquet();
    const buf = fs.readFileSync(file);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    assert.deepEqual(parquetMetadata(ab).row_groups.map((g) => Number(g.num_rows)), [3, 3, 3, 1]);
    const rows = await parquetReadObjects({ file: { byteLength: ab.byteLength, slice: (a: number, b?: number) => ab.slice(a, b) } }) as Record<string, unknown>[];
    assert.equal(rows.length, 10);
    rows.forEach((row, r) => {
      assert.deepEqual({ ...row, rate: undefined }, { user_id: `u${r}`, item_id: `v,${r}`, ts: BigInt(1.7e12 + r), hod: r % 24, rate: undefined });
      assert.ok(Object.is(row.rate, r === 4 ? NaN : Math.fround(r / 3)), `rate of row ${r}: ${String(row.rate)}`);
    });
    // No rows: still a valid file with the schema.
    const empty = path.join(dir, 'e.parquet');
    const e = await parquetWriter(empty, COLUMNS);
    await e.close();
    const eb = fs.readFileSync(empty);
    const md = parquetMetadata(eb.buffer.slice(eb.byteOffset, eb.byteOffset + eb.byteLength));
    assert.equal(Number(md.num_rows), 0);
    assert.deepEqual(md.schema.slice(1).map((s) => s.name), COLUMNS.map((c) => c.name));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
