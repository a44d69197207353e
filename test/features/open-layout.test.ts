// The open layout read by an engine that is not the platform: DuckDB (the @duckdb/node-api dev dependency, its own
// Parquet reader) reads what a real server wrote through the API and its counts and values equal the platform's
// own answers. The view log and the catalogue are read from a copy of the bucket's objects downloaded through the
// S3 API (this DuckDB has no S3 client without its httpfs extension), with hive partitioning as docs/features.md
// shows. Dataset shards are the platform's binary format (ml/features/shard.ts), which no engine reads, so a
// dataset is read through `data export --part ... --out FILE.parquet`, the documented way out.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { startTestPlatform, call, clientOf, type TestPlatform } from '../helpers/platform';
import { cliJson } from '../helpers/cli';
import { loadDatasetMeta, loadShard, type DatasetMeta } from '../../ml/features/dataset';
import { syntheticViews } from '../../ml/data/synthetic';

const TIMEZONE = 'Asia/Kolkata';
/** The generated log: what GenerateEvents is asked for, and the generator's parameters for the same log. */
const PARAMS = { users: 60, items: 40, days: 7, seed: 4, dim: 4, viewsPerDay: 6, timezone: TIMEZONE };

let tp: TestPlatform;
let env: NodeJS.ProcessEnv;
let dir: string;
let duck: DuckDBConnection;
let dataset: { id: string; counts: Record<string, number> };
let meta: DatasetMeta;
let generated: { views_inserted: number; items: number };

before(async () => {
  tp = await startTestPlatform({ services: ['feature'] });
  env = await tp.env('operator');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-open-layout-'));
  duck = await (await DuckDBInstance.create(':memory:')).connect();
  const op = await tp.target('operator');
  const g = await call<object, { counts: Record<string, string | number> }>(op, clientOf('FeatureService', op), 'GenerateEvents',
    { users: PARAMS.users, items: PARAMS.items, days: PARAMS.days, seed: PARAMS.seed, dim: PARAMS.dim, views_per_day: PARAMS.viewsPerDay, timezone: TIMEZONE, source: 'syn' });
  generated = { views_inserted: Number(g.counts.views_inserted), items: Number(g.counts.items) };
  dataset = await cliJson(['data', 'build', '--source', 'syn', '--window', '2024-01-01..2024-01-07', '--label', 'wtg', '--buckets', 'equi-quantile:4',
    '--min-item-views', '5'], env);
  assert.equal((dataset as unknown as { state: string }).state, 'ready');
  meta = await loadDatasetMeta(tp.platform.ctx.artifacts, dataset.id);
});
after(async () => {
  duck?.closeSync();
  await tp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Rows of a DuckDB query as plain objects (BIGINT and DATE as strings, as DuckDB's JSON conversion gives them). */
async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await duck.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

for (const [part, split, count] of [['train', 'train', 'rows_train'], ['validation', 'validation', 'rows_validation'], ['test', 'heldout', 'rows_heldout']] as const) {
  test(`DuckDB reads the ${part} part of a built dataset (exported to Parquet): row count, label sum and rows equal the platform's`, async () => {
    const file = path.join(dir, `${part}.parquet`);
    const res = await cliJson(['data', 'export', dataset.id, '--part', part, '--out', file], env);
    const shards = await Promise.all(meta.shards.filter((s) => s.split === split).map((s) => loadShard(tp.platform.ctx.artifacts, s)));
    const n = shards.reduce((a, s) => a + s.batch.n, 0);
    const q = (sql: string) => rows(sql.replaceAll('$FILE', `read_parquet('${file}')`));
    const [agg] = await q('SELECT count(*) AS n, sum(label) AS positives, min(ts) AS first, max(ts) AS last FROM $FILE');
    // The count GetDataset reports, the export's own count and the shards all agree with what DuckDB reads.
    assert.ok(n > 10, `${part}: ${n} rows`);
    assert.equal(Number(agg.n), Number(dataset.counts[count]));
    assert.equal(Number(agg.n), res.rows);
    assert.equal(Number(agg.n), n);
    let positives = 0;
    for (const { facts } of shards) for (let r = 0; r < facts.label.length; r++) positives += facts.label[r];
    assert.equal(Number(agg.positives), positives); // binary labels: a sum of 0s and 1s, exact
    assert.equal(Number(agg.first), shards[0].facts.ts[0]);
    const lastShard = shards[shards.length - 1];
    assert.equal(Number(agg.last), lastShard.facts.ts[lastShard.batch.n - 1]);
    // Row k of the file (DuckDB keeps a single file's order) is row k of the part: the first, a middle and the last.
    const all = await q('SELECT user_id, item_id, ts, label, watch_time_s, day FROM $FILE');
    for (const k of [0, Math.floor(n / 2), n - 1]) {
      let r = k;
      const s = shards.find((x) => (r < x.batch.n ? true : ((r -= x.batch.n), false)))!;
      assert.deepEqual(
        [all[k].user_id, all[k].item_id, Number(all[k].ts), all[k].label, all[k].watch_time_s, all[k].day],
        [meta.userIds[s.facts.userIdx[r]], meta.itemIds[s.facts.itemIdx[r]], s.facts.ts[r], s.facts.label[r], s.facts.timespentS[r], s.facts.day[r]],
        `${part} row ${k}`);
    }
  });
}

/** Every object under `prefix`, downloaded through the S3 API into `into` under its key (DuckDB here has no S3 client). */
async function download(prefix: string, into: string): Promise<string[]> {
  const keys = await tp.platform.ctx.artifacts.list(prefix);
  for (const key of keys) {
    const file = path.join(into, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, await tp.platform.ctx.artifacts.get(key));
  }
  return keys;
}

test('DuckDB reads the view log from the bucket with hive partitioning: counts, days and values equal the platform\'s', async () => {
  const local = path.join(dir, 'bucket');
  const keys = await download('events/views/', local);
  assert.ok(keys.length > 0 && keys.every((k) => /^events\/views\/source=syn\/day=\d{4}-\d{2}-\d{2}\/[^/]+\.parquet$/.test(k)), keys.join(', '));
  const views = `read_parquet('${local}/events/views/*/*/*.parquet', hive_partitioning = true)`;
  const manifest = (await tp.platform.ctx.db.pool.query<{ day: string; rows: string; files: string }>(
    `SELECT day::text AS day, sum(rows)::bigint AS rows, count(*) AS files FROM event_log_files WHERE source = 'syn' GROUP BY day ORDER BY day`)).rows;
  // The platform's answers: what GenerateEvents stored, and the manifest's files per day (nothing else is in the bucket).
  assert.equal(keys.length, manifest.reduce((a, m) => a + Number(m.files), 0));
  const perDay = await rows(`SELECT day::VARCHAR AS day, count(*) AS n, any_value(source) AS source FROM ${views} GROUP BY day ORDER BY day`);
  assert.deepEqual(perDay.map((r) => [r.day, Number(r.n), r.source]), manifest.map((m) => [m.day, Number(m.rows), 'syn']));
  assert.equal(perDay.reduce((a, r) => a + Number(r.n), 0), generated.views_inserted);
  // A view's folder is its date in the source's market time zone.
  const [wrongDay] = await rows(`SELECT count(*) AS n FROM ${views} WHERE strftime(timezone('${TIMEZONE}', ts), '%Y-%m-%d') <> day::VARCHAR`);
  assert.equal(Number(wrongDay.n), 0);
  // ... and not in UTC (5.5 hours apart), so the check above tells the zones apart.
  const [utcDay] = await rows(`SELECT count(*) AS n FROM ${views} WHERE strftime(timezone('UTC', ts), '%Y-%m-%d') <> day::VARCHAR`);
  assert.ok(Number(utcDay.n) > 0 && perDay.length === PARAMS.days, `${utcDay.n} views on another UTC date; ${perDay.length} days`);
  // Rows are in time order within a file.
  const [unsorted] = await rows(`SELECT count(*) AS n FROM (SELECT ts < lag(ts) OVER (PARTITION BY filename ORDER BY file_row_number) AS back
    FROM read_parquet('${local}/events/views/*/*/*.parquet', filename = true, file_row_number = true)) WHERE back`);
  assert.equal(Number(unsorted.n), 0);
  // Values: the first views in time order are the generator's (the same seed gives the same log), field by field.
  const want = [...syntheticViews(PARAMS, () => undefined)].sort((a, b) => a.ts - b.ts || (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));
  const got = await rows(`SELECT user_id, item_id, creator_id, epoch_ms(ts) AS ts, language, video_length_s, timespent_s, liked, shared, downloaded,
    handset_maker, affinity FROM ${views} ORDER BY ts, user_id LIMIT 5`);
  assert.equal(got.length, 5);
  got.forEach((g, k) => {
    const v = want[k];
    assert.deepEqual(g, { user_id: v.user_id, item_id: v.item_id, creator_id: v.creator_id, ts: String(v.ts), language: v.language,
      video_length_s: v.video_length_s === null ? null : Math.fround(v.video_length_s), timespent_s: Math.fround(v.timespent_s), liked: v.liked,
      shared: v.shared, downloaded: v.downloaded, handset_maker: v.handset_maker, affinity: Math.fround(v.affinity) }, `view ${k}`);
  });
  const [sums] = await rows(`SELECT count(*) FILTER (WHERE liked) AS liked, count(DISTINCT user_id) AS users, count(DISTINCT item_id) AS items FROM ${views}`);
  assert.deepEqual([Number(sums.liked), Number(sums.users), Number(sums.items)],
    [want.filter((v) => v.liked).length, new Set(want.map((v) => v.user_id)).size, new Set(want.map((v) => v.item_id)).size]);
});

test('DuckDB reads the item catalogue from the bucket: its rows and content vectors are the ones GetItemFeatures serves', async () => {
  const local = path.join(dir, 'bucket');
  const cat = (await tp.platform.ctx.db.pool.query<{ object_key: string; rows: number }>(`SELECT object_key, rows FROM event_log_catalogues WHERE source = 'syn'`)).rows[0];
  assert.ok(cat, 'the source has a catalogue file');
  await download(cat.object_key, local);
  const items = await rows(`SELECT item_id, creator_id, epoch_ms(created_at) AS created_at, video_length_s, embedding, source
    FROM read_parquet('${local}/${cat.object_key}', hive_partitioning = true) ORDER BY item_id`);
  assert.equal(items.length, cat.rows);
  assert.equal(items.length, generated.items);
  assert.ok(items.every((it) => it.source === 'syn' && Array.isArray(it.embedding) && (it.embedding as number[]).length === PARAMS.dim));
  const op = await tp.target('reader');
  const ids = items.slice(0, 3).map((it) => it.item_id as string);
  const res = await call<object, { items: { id: string; dense: number[] }[] }>(op, clientOf('FeatureService', op), 'GetItemFeatures', { item_ids: ids, source: 'syn' });
  for (const [k, served] of res.items.entries()) {
    assert.equal(served.id, ids[k]);
    // The item inputs start with the content vector (docs/features.md, "Features"): the file's floats, bit for bit.
    assert.deepEqual(served.dense.slice(0, PARAMS.dim), items[k].embedding, served.id);
  }
});
