import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventLogBuilder } from './events';
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
