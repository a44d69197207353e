import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { linesOf } from './csv';
import { LOG_COLUMNS, VIDEO_COLUMNS, newCounts, parseLog, parseVideos } from './kuairand';
import type { ViewRecord } from './events';

async function* once(b: Buffer) { yield b.subarray(0, 10); yield b.subarray(10); }

const VIDEOS = [VIDEO_COLUMNS.join(','),
  '1,900,NORMAL,2022-04-10,LongImport,0.0,87433.0,720.0,1280.0,9155697141,9.0,39',
  '2,901,NORMAL,2022-04-11,Kmovie,0.0,,720.0,1280.0,1,9.0,"2,5"',
].join('\n');
const row = (u: string, v: string, t: string, play: string, dur: string, like = '0', fwd = '0') =>
  [u, v, '20220425', '0', t, '1', like, '0', '0', fwd, '0', '1', play, dur, '0', '0', '0', '0', '1'].join(',');
const LOG = [LOG_COLUMNS.join(','),
  row('7', '1', '1650812741436', '61802', '49866', '1', '1'),
  row('7', '1', '1650812741436', '61802', '49866', '1', '1'), // exact duplicate
  row('8', '1', '1650812741500', '1000', '0'), // zero duration: the video file gives 87.433 s
  row('8', '2', '1650812741600', '1000', '0'), // zero duration, video 2 has no duration either
  row('9', 'x', '1650812741700', '1000', '1000'), // malformed id
  row('9', '1', '-5', '1000', '1000'), // negative time
  '1,2,3', // wrong number of fields
].join('\n');

test('KuaiRand: gzip read directly, columns mapped, quirks counted, bad rows rejected with line and reason', async () => {
  const tally = newCounts();
  const items = await parseVideos(linesOf(once(zlib.gzipSync(VIDEOS))), { file: 'v.csv.gz', dim: 8, timezone: 'Asia/Shanghai', language: 'zh' }, tally);
  assert.equal(items.size, 2);
  assert.equal(items.get('1')!.creator_id, '900');
  assert.equal(items.get('1')!.video_length_s, 87.433);
  assert.equal(items.get('1')!.created_at, Date.UTC(2022, 3, 9, 16)); // 2022-04-10 00:00 +08:00
  assert.equal(items.get('2')!.video_length_s, null);
  assert.equal(items.get('1')!.embedding.length, 8);
  assert.notDeepEqual(items.get('1')!.embedding, items.get('2')!.embedding);
  const views: ViewRecord[] = [];
  await parseLog(linesOf(once(zlib.gzipSync(LOG))), { file: 'log.csv.gz', language: 'zh', source: 'k' }, items, tally, (v) => { views.push(v); });
  assert.equal(views.length, 3);
  assert.deepEqual(views[0], { user_id: '7', item_id: '1', creator_id: '900', ts: 1650812741436, language: 'zh', video_length_s: 49.866,
    timespent_s: 61.802, liked: true, shared: true, downloaded: false, handset_maker: 'unknown' });
  assert.equal(views[1].video_length_s, 87.433);
  assert.equal(views[2].video_length_s, null);
  assert.equal(tally.counts.rows_duplicate_in_file, 1);
  assert.equal(tally.counts.rows_zero_duration, 2);
  assert.equal(tally.counts.rows_length_from_video_features, 1);
  assert.equal(tally.counts.rows_no_length, 1);
  assert.equal(tally.counts.rows_rejected, 3);
  assert.deepEqual(tally.rejections.map((r) => r.line), [6, 7, 8]);
  assert.match(tally.rejections[1].reason, /time_ms "-5"/);
});

test('KuaiRand: an unknown or missing header column fails the file with what is wrong', async () => {
  const bad = ['user_id,video_id,colour', '1,2,3'].join('\n');
  await assert.rejects(parseLog(linesOf(once(Buffer.from(bad))), { file: 'log.csv', language: 'zh', source: 'k' }, new Map(), newCounts(), () => undefined),
    /line 1: .*missing columns: date.*unknown columns: colour/);
});
