import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { Vocab } from './events';
import { newCounts } from './kuairand';
import { bytesOf } from './csv';
import { parseViewBytes, type ViewSink } from './modelops-bytes';
import { parseViewsOffThread } from './view-parse-worker';

/** A sink that records every call with the sink's ids; every `slowEvery`-th view answers with a promise resolved a little later. */
function recordingSink(slowEvery = 0) {
  const calls: number[][] = [];
  const sink: ViewSink = {
    users: new Vocab(), items: new Vocab(), creators: new Vocab(), languages: new Vocab(), handsets: new Vocab(),
    addIds(...a: number[]) {
      calls.push(a);
      return slowEvery && calls.length % slowEvery === 0 ? new Promise<void>((r) => setTimeout(r, 1)) : undefined;
    },
  };
  const dictionaries = () => [sink.users, sink.items, sink.creators, sink.languages, sink.handsets].map((v) => v.ids);
  return { sink, calls, dictionaries };
}

async function* chunksOf(bytes: Buffer, size: number) { for (let k = 0; k < bytes.length; k += size) yield bytes.subarray(k, k + size); }

/**
 * A views file where new users, items, creators, languages and handsets keep arriving (so later batches carry new
 * dictionary entries), with lines that take the string path (quotes, spaces, exponents), defaults (no creator,
 * language or handset) and rejected lines.
 */
function viewsText(): string {
  const lines = ['user_id,item_id,creator_id,ts,language,video_length_s,timespent_s,liked,shared,downloaded,handset_maker,affinity'];
  for (let k = 0; k < 400; k++) {
    const u = `u${Math.floor(k / 3)}`;
    const i = `v${(k * 7) % (40 + k)}`;
    const c = k % 11 === 0 ? '' : `c${k % 13}`;
    const lang = k % 17 === 0 ? '' : ['hi', 'en', `l${Math.floor(k / 100)}`][k % 3];
    const h = k % 19 === 0 ? '' : `h${k % 5}${k > 200 ? 'b' : ''}`;
    lines.push(`${u},${i},${c},${1_700_000_000_000 + ((k * 7919) % 5000)},${lang},${k % 4 ? (k % 60) + 0.5 : ''},${(k % 33) / 4},${k % 2},${k % 3 === 0 ? 1 : 0},0,${h},${k % 5 ? ((k % 9) - 4) / 7 : ''}`);
    if (k % 50 === 7) lines.push(`"u,${k}",v1,c1,1700000000003,hi,10,1.5,true,false,0,vivo,1e-7`);
    if (k % 50 === 8) lines.push(` u${k} ,v${k}x,c1,1700000000004,hi,10,2.5e1,0,0,0,apple,3`);
    if (k % 50 === 9) lines.push(`u${k},v1,c1,abc,hi,10,1,0,0,0,apple,0.5`);
    if (k % 50 === 10) lines.push(`u${k},v1,c1,5,hi,10,1,2,0,0,apple,0.5\r`);
    if (k % 50 === 11) lines.push('');
  }
  return lines.join('\n');
}

const opts = { file: 'views.csv.gz', language: 'hi' };

test('the worker parser gives the sink the views, dictionary order, rejections and counts of the in-thread parser', async () => {
  const text = Buffer.from(viewsText());
  const gz = zlib.gzipSync(text);
  const want = recordingSink();
  const wantTally = newCounts();
  await parseViewBytes(bytesOf(chunksOf(gz, 1 << 20)), opts, wantTally, want.sink);
  assert.ok(want.calls.length > 390 && wantTally.rejections.length >= 16);
  // Batches of 3 and 64 views: new strings arrive in almost every batch; the sink sometimes makes the parser wait.
  for (const [input, size, batchRows, slowEvery] of [[gz, 97, 3, 5], [gz, 1 << 20, 64, 0], [text, 13, 7, 2]] as const) {
    const got = recordingSink(slowEvery);
    const tally = newCounts();
    // Counts and rejections of an earlier file in the same import are kept and added to.
    tally.counts.rows_read = 5;
    await parseViewsOffThread(chunksOf(input, size), { ...opts, batchRows }, tally, got.sink);
    const what = `${input === gz ? 'gzip' : 'plain'} in chunks of ${size}, batches of ${batchRows}`;
    assert.deepEqual(got.calls, want.calls, what);
    assert.deepEqual(got.dictionaries(), want.dictionaries(), what);
    assert.deepEqual(tally, { ...wantTally, counts: { ...wantTally.counts, rows_read: wantTally.counts.rows_read + 5 } }, what);
  }
});

test('the ids map onto a sink whose dictionaries already hold strings, as the in-thread parser adds them', async () => {
  const text = Buffer.from(viewsText());
  const seeded = () => {
    const r = recordingSink();
    for (const s of ['u7', 'u1', 'zz']) r.sink.users.add(s);
    r.sink.handsets.add('h3');
    r.sink.creators.add('unknown');
    return r;
  };
  const want = seeded();
  await parseViewBytes(chunksOf(text, 1 << 20), opts, newCounts(), want.sink);
  const got = seeded();
  await parseViewsOffThread(chunksOf(text, 4096), { ...opts, batchRows: 16 }, newCounts(), got.sink);
  assert.deepEqual(got.calls, want.calls);
  assert.deepEqual(got.dictionaries(), want.dictionaries());
});

/**
 * The error parseViewBytes gives and the one the worker gives, with the views each handed over first (for a stream
 * that breaks mid-way that number depends on when the inflater reports the error, on either thread, so only the
 * error is compared there).
 */
async function bothFail(input: Buffer) {
  const outcome = async (run: (sink: ViewSink) => Promise<void>) => {
    const r = recordingSink();
    const err = await run(r.sink).then(() => undefined, (e: Error & { code?: string }) => e);
    assert.ok(err, 'the parse failed');
    return { message: err.message, code: err.code, views: r.calls.length };
  };
  const want = await outcome((sink) => parseViewBytes(bytesOf(chunksOf(input, 1000)), opts, newCounts(), sink));
  const got = await outcome((sink) => parseViewsOffThread(chunksOf(input, 1000), { ...opts, batchRows: 5 }, newCounts(), sink));
  assert.deepEqual({ message: got.message, code: got.code }, { message: want.message, code: want.code });
  return { want, got };
}

test('malformed input fails with the in-thread parser\'s error (message and code)', async () => {
  const header = await bothFail(zlib.gzipSync('user_id,item_id,colour\nu1,v1,red\n'));
  assert.match(header.got.message, /views\.csv\.gz: line 1: .*missing columns: creator_id.*unknown columns: colour/);
  assert.equal(header.got.views, 0);
  const gz = zlib.gzipSync(viewsText());
  const truncated = await bothFail(gz.subarray(0, gz.length - 600));
  assert.equal(truncated.got.code, 'Z_BUF_ERROR');
  const corrupt = Buffer.from(gz);
  corrupt.fill(0x55, 3000, 3100);
  const bad = await bothFail(corrupt);
  assert.equal(bad.got.code, 'Z_DATA_ERROR');
});

test('a failing sink stops the worker and its error is the one the parse rejects with', async () => {
  const { sink } = recordingSink();
  const failing: ViewSink = Object.assign(Object.create(sink) as ViewSink, {
    addIds: (...a: number[]) => (a[5] % 7 === 3 ? Promise.reject(new Error('store is down')) : undefined),
  });
  await assert.rejects(parseViewsOffThread(chunksOf(Buffer.from(viewsText()), 512), { ...opts, batchRows: 8 }, newCounts(), failing), /store is down/);
});
