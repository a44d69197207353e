import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mergedRun, mergeRuns, splitByDay, ViewRunBuilder, type ViewRun } from './view-run';
import { Rng } from './rng';
import { MarketClock } from './time';

const runOf = (rows: [string, number][]): ViewRun => {
  const b = new ViewRunBuilder();
  for (const [u, ts] of rows) b.addRaw(u, 'i', 'c', ts, 'hi', Number.NaN, 1, 0, 'h', Number.NaN);
  return b.take();
};
const users = (r: ViewRun) => Array.from(r.user, (u) => r.userIds[u]);

test('merged runs are in time order; equal times keep the runs\' order, and each run its own', () => {
  // Run 0 (earliest arrival): a@1 b@3 c@3; run 1: d@1 e@2 f@3; run 2: g@0 h@3.
  // Time 0: g; 1: a (run 0 before run 1), d; 2: e; 3: b, c (run 0), f (run 1), h (run 2).
  const m = mergedRun([runOf([['a', 1], ['b', 3], ['c', 3]]), runOf([['d', 1], ['e', 2], ['f', 3]]), runOf([['g', 0], ['h', 3]])]);
  assert.deepEqual(users(m), ['g', 'a', 'd', 'e', 'b', 'c', 'f', 'h']);
  assert.deepEqual(Array.from(m.ts), [0, 1, 1, 2, 3, 3, 3, 3]);
});

test('a run splits at market midnights: 18:29 and 18:30 UTC fall on two Kolkata days', () => {
  const t = Date.parse('2024-01-01T18:29:00Z');
  const parts = splitByDay(runOf([['a', t], ['b', t + 60_000], ['c', t + 60_000 + 86_400_000]]), new MarketClock('Asia/Kolkata'));
  assert.deepEqual(parts.map((p) => [p.day, users(p.run)]), [['2024-01-01', ['a']], ['2024-01-02', ['b']], ['2024-01-03', ['c']]]);
});

test('a merge copies stretches with dictionaries mapped once: the same run as addFrom row by row, dictionaries in the same order', () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 20; trial++) {
    // Runs with few distinct times, so stretches are short and ties between runs are common.
    const runs = Array.from({ length: 1 + rng.int(4) }, (_, r) => {
      const b = new ViewRunBuilder();
      for (let k = 0, n = rng.int(30); k < n; k++) {
        b.addRaw(`u${rng.int(6)}`, `i${rng.int(5)}`, `c${rng.int(3)}`, rng.int(12), `l${rng.int(2)}`, rng.int(4) ? rng.int(60) : Number.NaN,
          rng.next(), rng.int(8), `h${r}${rng.int(2)}`, rng.int(2) ? rng.next() : Number.NaN);
      }
      return b.take();
    });
    const slow = new ViewRunBuilder();
    mergeRuns(runs, (r, k) => slow.addFrom(r, k));
    assert.deepEqual(mergedRun(runs), slow.take());
  }
});

test('addRows keeps each run\'s dictionary map across calls until take, and starts afresh after it', () => {
  const a = runOf([['x', 1], ['y', 2], ['x', 3]]);
  const b = new ViewRunBuilder();
  b.addRows(a, 2, 3);
  b.addRows(a, 0, 2);
  const first = b.take();
  assert.deepEqual(first.userIds, ['x', 'y']);
  assert.deepEqual(users(first), ['x', 'y', 'x']);
  b.addRows(a, 1, 2);
  const second = b.take();
  assert.deepEqual(second.userIds, ['y']);
  assert.deepEqual(Array.from(second.user), [0]);
});
