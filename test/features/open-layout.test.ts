// The open layout read by an engine that is not the platform: DuckDB (the @duckdb/node-api dev dependency, its own
// Parquet reader) reads what a real server wrote through the API and its counts and values equal the platform's
// own answers. Dataset shards are the platform's binary format (ml/features/shard.ts), which no engine reads, so a
// dataset is read through `data export --part ... --out FILE.parquet`, the documented way out (docs/features.md).
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { startTestPlatform, call, clientOf, type TestPlatform } from '../helpers/platform';
import { cliJson } from '../helpers/cli';
import { loadDatasetMeta, loadShard, type DatasetMeta } from '../../ml/features/dataset';

let tp: TestPlatform;
let env: NodeJS.ProcessEnv;
let dir: string;
let duck: DuckDBConnection;
let dataset: { id: string; counts: Record<string, number> };
let meta: DatasetMeta;

before(async () => {
  tp = await startTestPlatform({ services: ['feature'] });
  env = await tp.env('operator');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-open-layout-'));
  duck = await (await DuckDBInstance.create(':memory:')).connect();
  const op = await tp.target('operator');
  await call(op, clientOf('FeatureService', op), 'GenerateEvents', { users: 60, items: 40, days: 7, seed: 4, dim: 4, views_per_day: 6, source: 'syn' });
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
