// The import parses views.csv in a worker thread (ml/data/view-parse-worker.ts): the view files a load stores must
// be the same bytes as when the main thread parsed it, batch for batch, with new users and items arriving in
// every batch the worker hands over.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { bytesOf } from '../../ml/data/csv';
import { newCounts } from '../../ml/data/kuairand';
import { parseViewBytes } from '../../ml/data/modelops-bytes';
import { VIEW_FILE_COLUMNS, VIEW_FILE_OPTIONAL, viewLine } from '../../ml/data/modelops-format';
import { syntheticViews } from '../../ml/data/synthetic';
import { parseViewsOffThread } from '../../ml/data/view-parse-worker';
import { PgEventLogStore } from '../../registry/event-log';
import { PgEventSourceStore } from '../../registry/event-source-store';
import { LogWriter } from '../../services/feature/log-writer';
import { importStream, type ImportMessage } from '../../services/feature/ingest';
import { OnlineLogs } from '../../services/feature/online-log';
import { PgOnlineFeatureStore } from '../../registry/online-feature-store';
import type { DomainError } from '../../core/errors';

let tp: TestPlatform;

before(async () => {
  tp = await startTestPlatform({ services: ['feature'] });
});
after(async () => { await tp?.stop(); });

async function* chunksOf(bytes: Buffer, size: number) { for (let k = 0; k < bytes.length; k += size) yield bytes.subarray(k, k + size); }

test('a views file parsed in the worker is stored as the same files as one parsed on the main thread', async () => {
  const pool = tp.platform.ctx.db.pool;
  const events = new PgEventLogStore(pool, tp.platform.ctx.artifacts);
  const sources = new PgEventSourceStore(pool);
  // In user order, as `data generate --out` writes it: every user and many items are new when they first appear.
  const views = [...syntheticViews({ users: 80, items: 60, days: 3, seed: 4, dim: 4 }, () => undefined)];
  const text = [[...VIEW_FILE_COLUMNS, ...VIEW_FILE_OPTIONAL].join(','), ...views.map((v) => viewLine(v, v.affinity)), 'u1,v1,c1,x,hi,1,1,0,0,0,a,0'].join('\n');
  const gz = zlib.gzipSync(text);
  const opts = { file: 'views.csv.gz', language: 'hi' };
  const load = async (source: string, parse: (w: LogWriter) => Promise<void>) => {
    const src = await sources.ensure({ source, format: 'modelops', timezone: 'Asia/Kolkata', language: 'hi', dim: 4 });
    // Batches of 250 views and at most 600 buffered: several files a day, some sent before their day is full.
    const writer = new LogWriter(events, src.source, src.timezone, 250, 600);
    await parse(writer);
    await writer.flush();
    const files = await pool.query('SELECT day::text AS day, rows, sha256 FROM event_log_files WHERE source = $1 ORDER BY day, seq, id', [source]);
    return { added: writer.added, files: files.rows };
  };
  const mainTally = newCounts();
  const onMain = await load('parsed-on-main', (w) => parseViewBytes(bytesOf(chunksOf(gz, 4096)), opts, mainTally, w));
  const workerTally = newCounts();
  const inWorker = await load('parsed-in-worker', (w) => parseViewsOffThread(chunksOf(gz, 4096), { ...opts, batchRows: 97 }, workerTally, w));
  assert.equal(onMain.added, views.length);
  assert.ok(onMain.files.length >= 6, `${onMain.files.length} files`);
  assert.deepEqual(inWorker, onMain);
  assert.deepEqual(workerTally, mainTally);
  assert.equal(workerTally.counts.rows_rejected, 1);
});

test('through ImportEvents, a views file with a bad header fails with INVALID_ARGUMENT naming the columns, and a stream that breaks off mid-file stops its parse worker', async () => {
  const pool = tp.platform.ctx.db.pool;
  const events = new PgEventLogStore(pool, tp.platform.ctx.artifacts);
  const sources = new PgEventSourceStore(pool);
  const stores = { sources, events, onlineRows: new PgOnlineFeatureStore(pool), online: new OnlineLogs(sources, events) };
  const header = { format: 'modelops', source: 'bad-import', timezone: 'UTC', language: 'hi', dim: 4 };
  async function* badHeader(): AsyncGenerator<ImportMessage> {
    yield { header };
    yield { chunk: { file_name: 'views.csv.gz', data: zlib.gzipSync('user_id,item_id,colour\nu1,v1,red\n') } };
  }
  await assert.rejects(importStream(stores, badHeader()), (e: DomainError) =>
    e.code === 'INVALID_ARGUMENT' && /views\.csv\.gz: line 1: .*missing columns: creator_id.*unknown columns: colour/.test(e.message));
  // The client goes away after the first chunk: the import fails with its stream's error, and the worker reading
  // the file is stopped (a worker left waiting for the rest would keep this test's process alive).
  const gz = zlib.gzipSync([[...VIEW_FILE_COLUMNS].join(','), ...Array.from({ length: 5000 }, (_, k) => `u${k},v1,c1,${1_700_000_000_000 + k},hi,10,1,0,0,0,a`)].join('\n'));
  async function* cutOff(): AsyncGenerator<ImportMessage> {
    yield { header: { ...header, source: 'cut-off' } };
    yield { chunk: { file_name: 'views.csv.gz', data: gz.subarray(0, gz.length >> 1) } };
    throw new Error('the client cancelled the call');
  }
  await assert.rejects(importStream(stores, cutOff()), /the client cancelled the call/);
});
