// `modelops data export` end to end (real gRPC, Postgres, S3): each part of a built dataset is written to a
// CSV file, read back by an independent reader (Python's csv module, test/features/read_export.py), and its
// row count, header and values equal the dataset's shards; a Parquet file read back with hyparquet (a reader
// written apart from the writer; this Python has no pyarrow) holds every value of every row exactly; a missing validation part, a bad part or extension
// are refused with what to do, and a failed export leaves no file behind.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startTestPlatform, call, clientOf, type TestPlatform } from '../helpers/platform';
import { cliJson, runCli } from '../helpers/cli';
import { loadDatasetMeta, loadShard, type DatasetMeta } from '../../ml/features/dataset';
import { exportColumns } from '../../ml/features/export-columns';
import type { FeatureBatch, RowFacts } from '../../ml/features/layout';

/** The Parquet reader the checks use (hyparquet, the reader the event log's decoder uses too). */
async function hyparquet(): Promise<{
  parquetMetadata(b: ArrayBuffer): { schema: { name: string; type?: string }[]; row_groups: { num_rows: bigint }[]; num_rows: bigint };
  parquetReadObjects(o: { file: { byteLength: number; slice(a: number, b?: number): ArrayBuffer } }): Promise<Record<string, unknown>[]>;
}> {
  const name = 'hyparquet';
  try {
    return await import(name);
  } catch {
    throw new Error('the Parquet checks read files with hyparquet: npm install hyparquet');
  }
}

let tp: TestPlatform;
let env: NodeJS.ProcessEnv;
let dir: string;
let meta: DatasetMeta;

const READER = path.join(__dirname, 'read_export.py');

before(async () => {
  tp = await startTestPlatform({ services: ['feature'] });
  env = await tp.env('operator');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-export-'));
  const op = await tp.target('operator');
  await call(op, clientOf('FeatureService', op), 'GenerateEvents', { users: 60, items: 40, days: 7, seed: 4, dim: 4, views_per_day: 6, source: 'syn' });
  const d = await cliJson(['data', 'build', '--source', 'syn', '--window', '2024-01-01..2024-01-07', '--label', 'wtg', '--buckets', 'equi-quantile:4',
    '--min-item-views', '5'], env);
  assert.equal(d.state, 'ready', d.error);
  meta = await loadDatasetMeta(tp.platform.ctx.artifacts, d.id);
});
after(async () => {
  await tp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The rows of one part, straight from the shards. */
async function partRows(split: string): Promise<{ batch: FeatureBatch; facts: RowFacts }[]> {
  return Promise.all(meta.shards.filter((s) => s.split === split).map((s) => loadShard(tp.platform.ctx.artifacts, s)));
}

function readBack(file: string, picks: number[], sums: string[]) {
  return JSON.parse(execFileSync('/usr/bin/python3', [READER, file, picks.join(','), sums.join(',')], { encoding: 'utf8' })) as
    { header: string[]; rows: number; picked: Record<string, (string | null)[]>; sums: Record<string, number> };
}

for (const [part, split] of [['train', 'train'], ['validation', 'validation'], ['test', 'heldout']] as const) {
  test(`data export --part ${part} writes a CSV whose rows and values are the shards'`, async () => {
    const shards = await partRows(split);
    const n = shards.reduce((s, x) => s + x.batch.n, 0);
    assert.ok(n > 10, `${part} rows: ${n}`);
    const file = path.join(dir, `${part}.csv`);
    const res = await cliJson(['data', 'export', meta.id, '--part', part, '--out', file], env);
    assert.deepEqual([res.rows, res.format, res.part], [n, 'csv', part]);
    assert.ok(!fs.existsSync(`${file}.tmp`));

    // Row k of the file is row k of the part's shards in order; check the first, one in the middle and the last.
    const picks = [0, Math.floor(n / 2), n - 1];
    const got = readBack(file, picks, ['label', 'day', 'watch_time_s']);
    const columns = exportColumns(meta.layout);
    assert.equal(got.rows, n);
    assert.deepEqual(got.header, columns.map((c) => c.name));
    assert.equal(columns.length, 3 + 3 + meta.layout.userDenseDim + 1 + meta.layout.itemDenseDim + 1 + 7);
    const col = (name: string) => columns.findIndex((c) => c.name === name);
    const rowAt = (k: number) => {
      for (const s of shards) {
        if (k < s.batch.n) return { ...s, r: k };
        k -= s.batch.n;
      }
      throw new Error('row out of range');
    };
    const L = meta.layout;
    const f32 = (s: string | null) => (s === null ? NaN : Math.fround(Number(s)));
    for (const k of picks) {
      const { batch, facts, r } = rowAt(k);
      const cells = got.picked[String(k)];
      assert.equal(cells[col('user_id')], meta.userIds[facts.userIdx[r]]);
      assert.equal(cells[col('item_id')], meta.itemIds[facts.itemIdx[r]]);
      assert.equal(Number(cells[col('ts')]), facts.ts[r]);
      assert.equal(Number(cells[col('hod')]), batch.userCat[r * L.userCat.length]);
      assert.equal(Number(cells[col('creator_id')]), batch.itemCat[r * L.itemCat.length]);
      // Every dense input reads back to the very float32 of the shard.
      for (let j = 0; j < L.userDenseDim; j++) assert.equal(f32(cells[col('pos_mean_embedding_0') + j]), batch.userDense[r * L.userDenseDim + j]);
      for (let j = 0; j < L.itemDenseDim; j++) assert.equal(f32(cells[col('embedding_0') + j]), batch.itemDense[r * L.itemDenseDim + j]);
      assert.equal(f32(cells[col('item_ctr')]), batch.itemDense[r * L.itemDenseDim + L.embeddingDim]);
      assert.equal(f32(cells[col('item_age')]), batch.itemAge[r]);
      for (const [name, a] of [['label', facts.label], ['wtg', facts.wtg], ['watch_time_s', facts.timespentS], ['length_s', facts.lengthS], ['pcc', facts.pcc]] as const) {
        assert.ok(Object.is(f32(cells[col(name)]), a[r]) || f32(cells[col(name)]) === a[r], `${name} of row ${k}: ${cells[col(name)]} vs ${a[r]}`);
      }
      assert.equal(Number(cells[col('group')]), facts.group[r]);
      assert.equal(Number(cells[col('day')]), facts.day[r]);
    }
    // Over every row: the label and day sums are exact (small integers); watch time to float rounding.
    let label = 0, day = 0, watch = 0;
    for (const { facts } of shards) for (let r = 0; r < facts.label.length; r++) { label += facts.label[r]; day += facts.day[r]; watch += facts.timespentS[r]; }
    assert.equal(got.sums.label, label);
    assert.equal(got.sums.day, day);
    assert.ok(Math.abs(got.sums.watch_time_s - watch) <= 1e-6 * Math.abs(watch), `${got.sums.watch_time_s} vs ${watch}`);
    if (part !== 'test') assert.equal(day, -n); // day is -1 outside the test part
  });
}

test('data export --out FILE.parquet writes every value of every row exactly (read back with hyparquet)', async () => {
  const shards = await partRows('heldout');
  const file = path.join(dir, 'test.parquet');
  const res = await cliJson(['data', 'export', meta.id, '--part', 'test', '--out', file], env);
  assert.equal(res.format, 'parquet');
  const buf = fs.readFileSync(file);
  assert.equal(buf.toString('ascii', 0, 4), 'PAR1');
  const { parquetReadObjects, parquetMetadata } = await hyparquet();
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const md = parquetMetadata(ab);
  const columns = exportColumns(meta.layout);
  assert.deepEqual(md.schema.slice(1).map((e) => e.name), columns.map((c) => c.name));
  assert.deepEqual(md.schema.slice(1).map((e) => e.type), columns.map((c) => ({ string: 'BYTE_ARRAY', int32: 'INT32', int64: 'INT64', float32: 'FLOAT', float64: 'DOUBLE' })[c.type]));
  const rows = await parquetReadObjects({ file: { byteLength: ab.byteLength, slice: (a: number, b?: number) => ab.slice(a, b) } }) as Record<string, unknown>[];
  const n = shards.reduce((s, x) => s + x.batch.n, 0);
  assert.equal(rows.length, n);
  assert.equal(res.rows, n);
  const L = meta.layout;
  let k = 0;
  for (const { batch, facts } of shards) {
    for (let r = 0; r < batch.n; r++, k++) {
      const row = rows[k];
      const want: Record<string, unknown> = { user_id: meta.userIds[facts.userIdx[r]], item_id: meta.itemIds[facts.itemIdx[r]], ts: BigInt(facts.ts[r]),
        item_age: batch.itemAge[r], label: facts.label[r], wtg: facts.wtg[r], watch_time_s: facts.timespentS[r], length_s: facts.lengthS[r], pcc: facts.pcc[r],
        group: facts.group[r], day: facts.day[r] };
      L.userCat.forEach((c, j) => { want[c.name] = batch.userCat[r * L.userCat.length + j]; });
      L.itemCat.forEach((c, j) => { want[c.name] = batch.itemCat[r * L.itemCat.length + j]; });
      const ud = columns.findIndex((c) => c.name === 'pos_mean_embedding_0');
      for (let j = 0; j < L.userDenseDim; j++) want[columns[ud + j].name] = batch.userDense[r * L.userDenseDim + j];
      const id = columns.findIndex((c) => c.name === 'embedding_0');
      for (let j = 0; j < L.itemDenseDim; j++) want[columns[id + j].name] = batch.itemDense[r * L.itemDenseDim + j];
      for (const c of columns) assert.ok(Object.is(row[c.name], want[c.name]), `row ${k} ${c.name}: ${String(row[c.name])} vs ${String(want[c.name])}`);
    }
  }
});

test('data export refuses what it cannot do, saying how to fix it, and never leaves a partial file', async () => {
  const file = path.join(dir, 'x.csv');
  const badPart = await runCli(['data', 'export', meta.id, '--part', 'heldout', '--out', file], env);
  assert.equal(badPart.code, 2);
  assert.match(badPart.stderr, /--part: "heldout" is not one of train, validation, test/);
  const badExt = await runCli(['data', 'export', meta.id, '--part', 'test', '--out', path.join(dir, 'x.json')], env);
  assert.equal(badExt.code, 2);
  assert.match(badExt.stderr, /use a \.csv or \.parquet file name/);
  const missing = await runCli(['data', 'export', 'ds-nope', '--part', 'test', '--out', file], env);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /NOT_FOUND/);
  // A dataset without a validation part refuses --part validation with FAILED_PRECONDITION.
  const none = await cliJson(['data', 'build', '--source', 'syn', '--window', '2024-01-01..2024-01-07', '--label', 'wtg', '--buckets', 'equi-quantile:4',
    '--min-item-views', '5', '--val-frac', '0'], env);
  const noVal = await runCli(['data', 'export', none.id, '--part', 'validation', '--out', file], env);
  assert.notEqual(noVal.code, 0);
  assert.match(noVal.stderr, /FAILED_PRECONDITION.*has no validation part \(built with --val-frac 0\)/);
  assert.ok(!fs.existsSync(file) && !fs.existsSync(`${file}.tmp`));
  // Reads are open to readers.
  const reader = await tp.env('reader');
  const r = await cliJson(['data', 'export', none.id, '--part', 'test', '--out', file], reader);
  assert.equal(r.rows, (await loadDatasetMeta(tp.platform.ctx.artifacts, none.id)).shards.filter((s) => s.split === 'heldout').reduce((s, x) => s + x.rows, 0));
});
