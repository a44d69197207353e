// `modelops data ...` as a user runs it: import streams local KuaiRand files (idempotent), generate, build
// (waits for the job), list and show; usage errors exit 2.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { cliJson, runCli } from '../helpers/cli';
import { DatasetStore } from '../../services/feature/dataset-store';
import { LOG_COLUMNS, VIDEO_COLUMNS } from '../../ml/data/kuairand';
import { PgEventLogStore } from '../../registry/event-log';

let tp: TestPlatform;
let env: NodeJS.ProcessEnv;
let dir: string;

// A tiny KuaiRand-shaped log: 3 users x 2 videos over 3 days, one exact duplicate, one zero duration.
function writeFiles(): void {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-kr-'));
  const videos = [VIDEO_COLUMNS.join(','), '1,900,NORMAL,2022-04-10,LongImport,0.0,20000.0,720.0,1280.0,1,9.0,39', '2,901,NORMAL,2022-04-11,Kmovie,0.0,40000.0,720.0,1280.0,2,3.0,"2,5"'];
  const rows = [LOG_COLUMNS.join(',')];
  const t0 = Date.parse('2022-04-25T02:00:00Z');
  let k = 0;
  for (let d = 0; d < 3; d++) {
    for (const u of ['7', '8', '9']) {
      for (const v of ['1', '2']) {
        const play = (k++ % 3) * 9000 + 1000;
        const dur = v === '1' ? 20000 : 40000;
        rows.push([u, v, '20220425', '0', String(t0 + d * 86_400_000 + k * 1000), '1', String(k % 2), '0', '0', '0', '0', '1', String(play), String(dur), '0', '0', '0', '0', '1'].join(','));
      }
    }
  }
  rows.push(rows[rows.length - 1]); // exact duplicate
  rows.push(['7', '2', '20220427', '0', String(t0 + 2 * 86_400_000 + 99_000), '1', '0', '0', '0', '0', '0', '1', '500', '0', '0', '0', '0', '0', '1'].join(','));
  fs.writeFileSync(path.join(dir, 'video_features_basic_pure.csv.gz'), zlib.gzipSync(videos.join('\n')));
  fs.writeFileSync(path.join(dir, 'kuairand_pure_log_standard_20220425_20220427.csv.gz'), zlib.gzipSync(rows.join('\n')));
}

before(async () => {
  tp = await startTestPlatform({ services: ['feature'] });
  env = await tp.env('operator');
  writeFiles();
});
after(async () => {
  await tp?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('data import streams the files; quirks are counted; importing again stores nothing new', async () => {
  const a = await cliJson(['data', 'import', '--format', 'kuairand', dir, '--dim', '4'], env);
  assert.equal(a.source, 'kuairand');
  assert.equal(a.counts.views_inserted, 19);
  assert.equal(a.counts.rows_duplicate_in_file, 1);
  assert.equal(a.counts.rows_zero_duration, 1);
  assert.equal(a.counts.rows_length_from_video_features, 1);
  assert.equal(a.counts.items_upserted, 2);
  assert.ok(a.notes.some((n: string) => /no downloads/.test(n)));
  const b = await cliJson(['data', 'import', '--format', 'kuairand', dir, '--dim', '4'], env);
  assert.equal(b.counts.views_inserted, 0);
  assert.equal(b.counts.views_already_stored, 19);
});

test('data build waits for the job and prints the summary; list and show find it', async () => {
  const d = await cliJson(['data', 'build', '--source', 'kuairand', '--window', '2022-04-25..2022-04-27', '--label', 'p90', '--buckets', 'equi-quantile:2',
    '--min-user-views', '2', '--min-item-views', '2'], env);
  assert.equal(d.state, 'ready', d.error);
  assert.equal(d.timezone, 'Asia/Shanghai');
  assert.equal(d.counts.rows_in_window, 19);
  assert.ok(d.counts.rows_kept > 0);
  assert.ok(d.summary.filters && d.summary.dropped);
  const listed = await cliJson(['data', 'list'], env);
  assert.ok(listed.datasets.some((x: { id: string }) => x.id === d.id));
  const shown = await cliJson(['data', 'show', d.id], env);
  assert.equal(shown.meta_sha256, d.meta_sha256);
  const human = await runCli(['data', 'show', d.id], env);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /label balance/);
  assert.equal(d.val_frac, 0.1);
  assert.match(d.validation, /^0\.1 of the window/);
});

test('data build --val-frac 0 has no validation part; a dataset built before validation parts existed says it has none', async () => {
  const d = await cliJson(['data', 'build', '--source', 'kuairand', '--window', '2022-04-25..2022-04-27', '--label', 'p90', '--buckets', 'equi-quantile:2',
    '--min-user-views', '2', '--min-item-views', '2', '--val-frac', '0'], env);
  assert.equal(d.state, 'ready', d.error);
  assert.equal(d.val_frac, 0);
  assert.match(d.validation, /none: built with --val-frac 0/);
  assert.equal(d.counts.rows_validation, undefined);
  // A dataset row as builds wrote it before: no valFrac in its spec.
  await new DatasetStore(tp.platform.ctx.db.pool).create({ id: 'ds-before', source: 'kuairand', createdBy: 'test',
    spec: { window: '2022-04-25..2022-04-27', trainFrac: 0.6, label: 'p90', task: 'binary', buckets: 'equi-quantile:2', timezone: 'Asia/Shanghai' } });
  const old = await cliJson(['data', 'show', 'ds-before'], env);
  assert.equal(old.val_frac, null);
  assert.match(old.validation, /none: built before the validation part existed/);
  const human = await runCli(['data', 'show', 'ds-before'], env);
  assert.match(human.stdout, /validation +none: built before/);
  const bad = await runCli(['data', 'build', '--source', 'kuairand', '--window', '2022-04-25..2022-04-27', '--val-frac', '0.4'], env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /leave no test part; make their sum less than 1/);
});

test('data generate stores a synthetic source; bad usage exits 2 or names the gRPC code', async () => {
  const g = await cliJson(['data', 'generate', '--users', '20', '--items', '10', '--days', '2', '--seed', '4', '--dim', '4'], env);
  assert.equal(g.source, 'synthetic-4');
  assert.ok(g.counts.views_inserted > 0);
  const fmt = await runCli(['data', 'import', '--format', 'csv', dir], env);
  assert.equal(fmt.code, 2);
  assert.match(fmt.stderr, /--format kuairand/);
  const bad = await runCli(['data', 'build', '--window', 'yesterday'], env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /INVALID_ARGUMENT/);
  const dim = await runCli(['data', 'import', '--format', 'kuairand', dir, '--dim', '8'], env);
  assert.match(dim.stderr, /INVALID_ARGUMENT.*dimension 4/);
});

test('data generate --out writes files that data import --format modelops loads; bad rows are reported', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-gen-'));
  try {
    const g = await cliJson(['data', 'generate', '--users', '15', '--items', '8', '--days', '2', '--seed', '9', '--dim', '4', '--out', out], env);
    assert.ok(g.counts.views_generated > 0);
    assert.deepEqual(fs.readdirSync(out).sort(), ['items.csv.gz', 'source.json', 'views.csv.gz']);
    // One extra views file with a bad row: it is rejected with its line and reason, the rest loads.
    fs.writeFileSync(path.join(out, 'views-extra.csv'), 'user_id,item_id,creator_id,ts,language,video_length_s,timespent_s,liked,shared,downloaded,handset_maker\nu0,v0,c0,-3,hi,,1,0,0,0,x\n');
    const imp = await cliJson(['data', 'import', '--format', 'modelops', out, '--source', 'files-9'], env);
    assert.equal(imp.source, 'files-9');
    assert.equal(imp.counts.views_inserted, g.counts.views_generated);
    assert.equal(imp.counts.items_upserted, 8);
    assert.deepEqual(imp.rejections, [{ file: 'views-extra.csv', line: 2, reason: 'ts "-3" is not a positive epoch-ms time' }]);
    // The true affinity travels with the files.
    const events = new PgEventLogStore(tp.platform.ctx.db.pool, tp.platform.ctx.artifacts);
    let withAffinity = 0;
    await events.scan('files-9', (_day, run) => { for (let k = 0; k < run.n; k++) if (!Number.isNaN(run.affinity[k])) withAffinity++; });
    assert.equal(withAffinity, g.counts.views_generated);
    // The same log through the store directly (same seed) holds the same number of views.
    const direct = await cliJson(['data', 'generate', '--users', '15', '--items', '8', '--days', '2', '--seed', '9', '--dim', '4', '--source', 'direct-9'], env);
    assert.equal(direct.counts.views_inserted, g.counts.views_generated);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('a large file with a bad header fails the import with INVALID_ARGUMENT (the upload does not hang)', async () => {
  const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-bad-'));
  try {
    // ~4 MB after the header, more than the server's pipe and gRPC buffers hold.
    const row = 'u1,v1,c1,1700000000000,hi,10,5,0,0,0,x,extra\n';
    fs.writeFileSync(path.join(bad, 'views.csv'), `user_id,item_id,creator_id,ts,language,video_length_s,timespent_s,liked,shared,downloaded,handset_maker,colour\n${row.repeat(90_000)}`);
    const r = await runCli(['data', 'import', '--format', 'modelops', bad, '--dim', '4', '--source', 'bad'], env);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /INVALID_ARGUMENT: views\.csv: line 1: .*unknown columns: colour/);
  } finally {
    fs.rmSync(bad, { recursive: true, force: true });
  }
});
