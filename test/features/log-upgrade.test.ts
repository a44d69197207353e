// The upgrade of an older store: views in the Postgres table view_events move into the event log's files when
// the feature service starts (per source and market day, in the order the table gave them: ts, then insertion),
// a day that an interrupted move stored already is not stored twice, and the table is dropped at the end.
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { EmbeddedS3 } from '../../services/common/embedded';
import { openDatabase } from '../../registry/data-source';
import { createTestDatabase, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { PgEventLogStore } from '../../registry/event-log';
import { ViewRunBuilder, type ViewRun } from '../../ml/data/view-run';
import { movedDayKey } from '../../services/feature/log-upgrade';

let tp: TestPlatform | undefined;
let tdb: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
const s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-upgrade-'));
const s3 = new EmbeddedS3(s3Dir, pino({ level: 'silent' }));
after(async () => {
  await tp?.stop();
  await tdb?.drop();
  await s3.stop();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

const T0 = Date.parse('2024-03-01T00:00:00Z');
const HOUR = 3_600_000;

test('feature-service start moves view_events into the event log files, once per source and day, and drops the table', async () => {
  tdb = await createTestDatabase('mo_upgrade');
  const db = await openDatabase(tdb.url);
  await db.pool.query(`INSERT INTO event_sources (source, format, timezone, language, dim) VALUES
    ('old-a', 'synthetic', 'Asia/Kolkata', 'hi', 2), ('old-b', 'modelops', 'UTC', 'en', 2)`);
  // 40 views of old-a over two Kolkata days (inserted in reverse time order, with pairs of equal times), 5 of old-b.
  const rows: [string, string, number, number | null, number, boolean, number | null][] = [];
  for (let k = 39; k >= 0; k--) rows.push(['old-a', `u${k % 6}`, T0 + Math.floor(k / 2) * 2 * HOUR, k % 4 ? 10 + k : null, k / 2, k % 3 === 0, k % 5 ? k / 100 : null]);
  for (let k = 0; k < 5; k++) rows.push(['old-b', `w${k}`, T0 + k * HOUR, 12, 1 + k, false, null]);
  await db.pool.query(`INSERT INTO view_events (row_key, source, user_id, item_id, creator_id, ts, language, video_length_s, timespent_s, liked, shared,
      downloaded, handset_maker, affinity)
    SELECT 1000 + i, s, u, 'v' || (i % 3), 'c', ts, 'hi', len, t, lk, false, i % 2 = 0, 'mk\\x', aff
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::real[], $5::real[], $6::boolean[], $7::real[]) WITH ORDINALITY AS x(s, u, ts, len, t, lk, aff, i)`,
  [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[4]), rows.map((r) => r[5]), rows.map((r) => r[6])]);
  const want = (await db.pool.query(`SELECT source, user_id, item_id, ts::float8 AS ts, video_length_s, timespent_s, liked, downloaded, handset_maker, affinity
    FROM view_events ORDER BY source, ts, id`)).rows;
  await db.close();

  // Both starts below share this database and this bucket.
  const endpoint = await s3.start('modelops');
  const config = { databaseUrl: tdb.url, s3: { endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' } };
  // A move cut short earlier stored old-b's only day (2024-03-01 in UTC) already: the start must not store it again.
  tp = await startTestPlatform({ services: ['registry'], config });
  const early = new PgEventLogStore(tp.platform.ctx.db.pool, tp.platform.ctx.artifacts);
  const b = new ViewRunBuilder();
  for (const w of want.filter((r) => r.source === 'old-b')) {
    b.addRaw(w.user_id, w.item_id, 'c', w.ts, 'hi', w.video_length_s ?? Number.NaN, w.timespent_s, (w.liked ? 1 : 0) | (w.downloaded ? 4 : 0), w.handset_maker,
      w.affinity ?? Number.NaN);
  }
  await early.append('old-b', 'UTC', b.take(), movedDayKey('old-b', '2024-03-01'));
  await tp.stop();

  tp = await startTestPlatform({ services: ['feature'], config });
  const pool = tp.platform.ctx.db.pool;
  assert.equal((await pool.query("SELECT to_regclass('view_events') AS t")).rows[0].t, null, 'the table is gone');
  const events = new PgEventLogStore(pool, tp.platform.ctx.artifacts);
  const got: Record<string, unknown>[] = [];
  for (const source of ['old-a', 'old-b']) {
    await events.scan(source, (_day, r: ViewRun) => {
      for (let k = 0; k < r.n; k++) {
        got.push({ source, user_id: r.userIds[r.user[k]], item_id: r.itemIds[r.item[k]], ts: r.ts[k], video_length_s: Number.isNaN(r.lengthS[k]) ? null : r.lengthS[k],
          timespent_s: r.timespentS[k], liked: (r.flags[k] & 1) !== 0, downloaded: (r.flags[k] & 4) !== 0, handset_maker: r.handsets[r.handset[k]],
          affinity: Number.isNaN(r.affinity[k]) ? null : r.affinity[k] });
      }
    });
  }
  const f32 = (x: number | null) => (x === null ? null : Math.fround(x));
  assert.deepEqual(got, want.map((w) => ({ ...w, video_length_s: f32(w.video_length_s), timespent_s: f32(w.timespent_s), affinity: f32(w.affinity) })));
  // old-a: 05:30 Kolkata on Mar 1 plus 2-hour steps: days Mar 1 and Mar 2 there.
  assert.deepEqual((await pool.query("SELECT source, day::text AS day, rows FROM event_log_files ORDER BY source, day")).rows,
    [{ source: 'old-a', day: '2024-03-01', rows: 20 }, { source: 'old-a', day: '2024-03-02', rows: 20 }, { source: 'old-b', day: '2024-03-01', rows: 5 }]);
});
