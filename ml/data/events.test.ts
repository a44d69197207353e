import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventLogBuilder } from './events';
import { mergeOrder } from './merge-order';
import { Rng } from './rng';
import { mergeStretches, sliceRun, ViewRunBuilder, type ViewRun } from './view-run';

/** A run of `n` views (time-sorted by `take`) over few ids, so ids repeat, with one item under two creators. */
function randomRun(rng: Rng, n: number, tag: string): ViewRun {
  const b = new ViewRunBuilder();
  for (let k = 0; k < n; k++) {
    const item = `i${rng.int(7)}`;
    // Item i0 is filed under c-a in some rows and c-b in others: the first row's creator must win.
    const creator = item === 'i0' ? (rng.int(2) ? 'c-a' : 'c-b') : `c${item}`;
    b.addRaw(`u${rng.int(9)}${tag}`, item, creator, rng.int(50), 'hi', rng.int(3) ? rng.int(60) : Number.NaN, rng.next() * 30, rng.int(8),
      `h${rng.int(3)}`, Number.NaN);
  }
  return b.take();
}

/** The reference: one addView per row. */
function rowByRow(b: EventLogBuilder, r: ViewRun, from = 0, to = r.n): void {
  for (let k = from; k < to; k++) {
    b.addView(r.userIds[r.user[k]], r.itemIds[r.item[k]], r.creatorIds[r.creator[k]], r.ts[k], r.lengthS[k], r.timespentS[k], r.flags[k],
      r.handsets[r.handset[k]]);
  }
}

test('addColumns builds the same log as addView row by row: ids, indices, item creators, every column', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 20; trial++) {
    const runs = [randomRun(rng, 1 + rng.int(40), 'a'), randomRun(rng, 1 + rng.int(40), 'b'), randomRun(rng, 30, 'a')];
    // Start both builders small so addColumns has to grow its columns several times in one call.
    const fast = new EventLogBuilder(2, 16);
    const slow = new EventLogBuilder(2, 16);
    fast.addItem({ item_id: 'i3', creator_id: 'c-cat', language: 'hi', created_at: 5, video_length_s: 9, embedding: [1, 2] });
    slow.addItem({ item_id: 'i3', creator_id: 'c-cat', language: 'hi', created_at: 5, video_length_s: 9, embedding: [1, 2] });
    for (const r of runs) {
      const from = rng.int(r.n);
      const to = from + rng.int(r.n - from + 1);
      fast.addColumns(r, from, to);
      rowByRow(slow, r, from, to);
      fast.addColumns(sliceRun(r, 0, from));
      rowByRow(slow, r, 0, from);
    }
    assert.deepEqual(fast.finish(), slow.finish());
  }
});

test('addColumns of an empty range adds nothing, and an item keeps the creator of its first row ever', () => {
  const b = new ViewRunBuilder();
  b.addRaw('u1', 'i1', 'c-first', 1, 'hi', 10, 5, 0, 'h', Number.NaN);
  b.addRaw('u2', 'i1', 'c-second', 2, 'hi', 10, 5, 0, 'h', Number.NaN);
  const run = b.take();
  const log = new EventLogBuilder(0);
  log.addColumns(run, 1, 1);
  log.addColumns(run, 1, 2);
  log.addColumns(run, 0, 1);
  const out = log.finish();
  // Row 1 (u2, c-second) came first, so i1 is c-second's; then the time sort puts u1's view (ts 1) first.
  assert.equal(out.n, 2);
  assert.deepEqual(out.items.creators, ['c-second']);
  assert.deepEqual(Array.from(out.user, (u) => out.userIds[u]), ['u1', 'u2']);
  assert.deepEqual(Array.from(out.ts), [1, 2]);
});

test('addMerged builds the same log as mergeStretches handing its stretches to addColumns', () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 20; trial++) {
    // Runs over the same 50 instants, so they interleave in stretches of a row or two and tie on equal times.
    const runs = Array.from({ length: 1 + rng.int(4) }, (_, i) => randomRun(rng, rng.int(60), i % 2 ? 'a' : 'b'));
    const merged = new EventLogBuilder(2, 16);
    const stretches = new EventLogBuilder(2, 16);
    merged.addView('u1a', 'i2', 'ci2', 0, 1, 1, 0, 'h0');
    stretches.addView('u1a', 'i2', 'ci2', 0, 1, 1, 0, 'h0');
    merged.addMerged(runs);
    mergeStretches(runs, (i, from, to) => stretches.addColumns(runs[i], from, to));
    assert.deepEqual(merged.finish(), stretches.finish());
  }
});

/** A run of `n` views at the times `time()` draws (sorted by `take`), over ids that repeat within and across runs. */
function timedRun(rng: Rng, n: number, tag: string, time: () => number): ViewRun {
  const b = new ViewRunBuilder();
  for (let k = 0; k < n; k++) {
    const item = `i${rng.int(40)}`;
    const creator = item === 'i0' ? (rng.int(2) ? 'c-a' : 'c-b') : `c${item}`;
    b.addRaw(`u${rng.int(60)}${tag}`, item, creator, time(), 'hi', rng.int(3) ? rng.int(60) : Number.NaN, rng.next() * 30, rng.int(8),
      `h${rng.int(4)}`, Number.NaN);
  }
  return b.take();
}

test('addMerged builds the same log as mergeStretches and addColumns for every kind of day: ties, fractions, far-off times, empty runs, many runs', () => {
  const rng = new Rng(23);
  const day = 86_400_000;
  const t0 = 1_700_000_000_000;
  // Each kind draws the times of one run (`r` of `runs`): the merge sorts some by time in buckets and walks others
  // stretch by stretch, and every path must give the reference's rows and dictionaries.
  const kinds: Record<string, (r: number, runs: number) => () => number> = {
    'whole ms over a day': () => () => t0 + rng.int(day),
    'few instants, many ties': () => () => t0 + rng.int(5),
    'ties between interleaved runs': () => () => t0 + 3 * rng.int(700),
    fractions: () => () => t0 + rng.next() * 1000,
    'far apart': () => () => (rng.int(2) ? t0 : -t0 * 1000) + rng.int(1e6) * 1e7,
    'one far-off time': () => () => (rng.int(500) === 0 ? t0 + 1e15 : t0 + rng.int(1000)),
    'runs one after another': (r) => () => t0 + r * day + rng.int(day),
    'long stretches': () => () => t0 + 1000 * rng.int(8) + rng.int(3),
    'one time': () => () => t0,
  };
  for (const [kind, timeOf] of Object.entries(kinds)) {
    for (let trial = 0; trial < 12; trial++) {
      const count = [1, 2, 3, 6, 7, 40, 300][trial % 7];
      const runs = Array.from({ length: count }, (_, r) => {
        // Some runs are empty, some a single row, most a few hundred rows.
        const n = rng.int(8) === 0 ? rng.int(2) : rng.int(count > 40 ? 30 : 1500);
        return timedRun(rng, n, r % 3 ? 'a' : 'b', timeOf(r, count));
      });
      const merged = new EventLogBuilder(2, 16);
      const stretches = new EventLogBuilder(2, 16);
      for (const b of [merged, stretches]) {
        b.addItem({ item_id: 'i3', creator_id: 'c-cat', language: 'hi', created_at: 5, video_length_s: 9, embedding: [1, 2] });
        b.addView('u1a', 'i2', 'ci2', 0, 1, 1, 0, 'h0');
      }
      merged.addMerged(runs);
      mergeStretches(runs, (i, from, to) => stretches.addColumns(runs[i], from, to));
      // The same dictionaries again, cut, as a reader hands out the next part of the same files: entries looked up
      // by the first call must keep their indices.
      const again = runs.map((r) => sliceRun(r, r.n >> 1, r.n));
      merged.addMerged(again);
      mergeStretches(again, (i, from, to) => stretches.addColumns(again[i], from, to));
      assert.deepEqual(merged.finish(), stretches.finish(), `${kind}, ${count} runs`);
    }
  }
});

test('mergeOrder gives the run of each row of a stable sort by time of the runs one after another', () => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 200; trial++) {
    const spread = [3, 100, 1e6, 1e13][trial % 4];
    const runs = Array.from({ length: 1 + rng.int(9) }, () => {
      const ts = Float64Array.from({ length: rng.int(200) }, () => Math.floor(rng.next() * spread) / (trial % 8 < 4 ? 1 : 7));
      return { n: ts.length, ts: ts.sort() };
    });
    const rows = runs.flatMap((r, i) => Array.from(r.ts, (t) => ({ t, i })));
    // Array.prototype.sort is stable.
    const want = rows.sort((a, b) => a.t - b.t).map((x) => x.i);
    assert.deepEqual(Array.from(mergeOrder(runs)), want, `trial ${trial}`);
  }
});
