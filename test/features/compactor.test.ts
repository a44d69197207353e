// The compactor's triggers on a real event log (Postgres and an S3 server): a source is compacted after a batch
// once it has STAGED_FILES_MAX staged files, not before; the timed sweep merges exactly the sources whose staged
// files are older than its age, and a reader sees the same views before and after.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { openDatabase, type Database } from '../../registry/data-source';
import { S3ArtifactStore } from '../../registry/artifact-store';
import { EmbeddedS3 } from '../../services/common/embedded';
import { createTestDatabase } from '../helpers/platform';
import { EventLogBuilder, type EventLog } from '../../ml/data/events';
import { ViewRunBuilder } from '../../ml/data/view-run';
import { PgEventLogStore } from '../../registry/event-log';
import { Compactor, STAGED_FILES_MAX } from '../../services/feature/compactor';

let db: Database;
let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let s3: EmbeddedS3;
let s3Dir: string;
let store: PgEventLogStore;
const silent = pino({ level: 'silent' });

before(async () => {
  tdb = await createTestDatabase('mo_compactor');
  db = await openDatabase(tdb.url);
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-compactor-'));
  s3 = new EmbeddedS3(s3Dir, silent);
  const endpoint = await s3.start('modelops');
  const artifacts = new S3ArtifactStore({ endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' });
  store = new PgEventLogStore(db.pool, artifacts);
});
after(async () => {
  await db?.close();
  await tdb?.drop();
  await s3?.stop();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

const T0 = Date.parse('2024-01-01T00:00:00Z');
/** Stores one staged batch of one view (view k of a source, all on the same market day). */
const appendOne = async (source: string, k: number) => {
  const b = new ViewRunBuilder();
  b.add({ user_id: `u${k % 3}`, item_id: `v${k}`, creator_id: 'c', ts: T0 + k * 1000, language: 'hi', video_length_s: 10, timespent_s: k,
    liked: false, shared: false, downloaded: false, handset_maker: 'h' });
  await store.append(source, 'Asia/Kolkata', b.take(), `${source}-${k}`, { staged: true });
};
const read = async (source: string): Promise<EventLog> => {
  const b = new EventLogBuilder(2);
  await store.read(source, b);
  return b.finish();
};

test('a batch compacts its source only once the source has STAGED_FILES_MAX staged files', async () => {
  const compactor = new Compactor(store, silent);
  for (let k = 0; k < STAGED_FILES_MAX - 1; k++) await appendOne('few', k);
  compactor.afterAppend('few');
  await compactor.stop();
  assert.equal((await store.stats('few')).stagedFiles, STAGED_FILES_MAX - 1);

  await appendOne('few', STAGED_FILES_MAX - 1);
  const before = await read('few');
  compactor.afterAppend('few');
  await compactor.stop();
  const s = await store.stats('few');
  assert.deepEqual({ staged: s.stagedFiles, files: s.files, rows: s.rows }, { staged: 0, files: 1, rows: STAGED_FILES_MAX });
  assert.deepEqual(await read('few'), before);
});

test('the sweep merges the sources whose staged files are older than its age, and no other', async () => {
  const compactor = new Compactor(store, silent);
  await appendOne('aged', 0);
  await appendOne('aged', 1);
  await appendOne('merged', 0);
  await store.compact('merged');
  assert.deepEqual(await store.sourcesStagedBefore(3600), [], 'nothing is an hour old');
  assert.deepEqual(await compactor.sweep(3600), []);
  assert.equal((await store.stats('aged')).stagedFiles, 2);

  await new Promise((r) => setTimeout(r, 20));
  // 'merged' has no staged file left, and 'few' (the test above) neither: only 'aged' is swept.
  assert.deepEqual(await store.sourcesStagedBefore(0), ['aged']);
  const before = await read('aged');
  assert.deepEqual(await compactor.sweep(0), ['aged']);
  assert.equal((await store.stats('aged')).stagedFiles, 0);
  assert.deepEqual(await read('aged'), before);
  await compactor.stop();
});
