import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyFilters } from './filters';
import { dayIndex, heldoutDays, splitTime } from './split';
import { MarketClock, parseWindow } from './time';

// Rows (user, item, binary label). Items: A=0, B=1, C=2, D=3.
const ROWS: [number, number, number][] = [
  [0, 0, 1], [0, 0, 0], [0, 1, 1], [0, 1, 0], // u0: 4 views, both classes -> passes
  [1, 0, 1], [1, 1, 0], [1, 2, 1], // u1: 3 views -> too few
  [2, 0, 1], [2, 1, 1], [2, 2, 1], [2, 2, 1], [2, 2, 1], // u2: no negative
  [3, 0, 1], [3, 3, 0], [3, 3, 1], [3, 3, 0], // u3: passes, but 3 of its 4 views are on item D
];

test('each filter is computed once on the whole window; kept = user passes and item passes', () => {
  const f = applyFilters(ROWS.map((r) => r[0]), ROWS.map((r) => r[1]), ROWS.map((r) => r[2]), 4, 4,
    { minUserViews: 4, maxUserViews: 2000, minItemViews: 4 });
  // Item views: A 5, B 4, C 4, D 3 -> A, B, C pass (>= 4); D fails.
  assert.deepEqual([...f.itemPass], [1, 1, 1, 0]);
  // u0 passes; u1 has 3 views; u2 has no negative; u3 has 4 views with both classes.
  assert.deepEqual([...f.userPass], [1, 0, 0, 1]);
  assert.equal(f.counts.users_too_few, 1);
  assert.equal(f.counts.users_no_negative, 1);
  // Kept: u0's 4 rows and u3's view of A (D fails). Iterating would now drop u3 (1 row left): a single pass keeps it.
  assert.deepEqual([...f.kept], [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
  assert.equal(f.counts.rows_kept, 5);
  assert.equal(f.counts.users_kept, 2);
  assert.equal(f.counts.items_kept, 2);
  // The summary names what a single pass leaves behind: u3 has 1 kept row (< 4) and one class only.
  assert.equal(f.counts.kept_users_lt_min_rows, 1);
  assert.equal(f.counts.kept_users_one_class, 1);
  // Drop reasons: u1's 3 + u2's 5 rows by the user filter, u3's 3 rows on D by the item filter.
  assert.equal(f.counts.dropped_user_filter, 8);
  assert.equal(f.counts.dropped_item_filter, 3);
  assert.equal(f.counts.dropped_user_and_item, 0);
  assert.equal(f.counts.rows_user_pass, 8);
  assert.equal(f.counts.rows_item_pass, 13);
});

test('too many views fails a user (the 2000 cap)', () => {
  const n = 2001;
  const f = applyFilters(new Int32Array(n), new Int32Array(n), Int32Array.from({ length: n }, (_, k) => k % 2), 1, 1);
  assert.equal(f.counts.users_too_many, 1);
  assert.equal(f.counts.rows_kept, 0);
});

test('market time in Asia/Kolkata (+05:30): hod, dow (Monday = 0), date, midnight', () => {
  const c = new MarketClock('Asia/Kolkata');
  const t = Date.UTC(2024, 0, 1, 20, 0); // 2024-01-01 20:00 UTC = 2024-01-02 01:30 IST, a Tuesday
  assert.equal(c.hod(t), 1);
  assert.equal(c.dow(t), 1);
  assert.equal(c.date(t), '2024-01-02');
  assert.equal(c.midnight('2024-01-02'), Date.UTC(2024, 0, 1, 18, 30));
  assert.throws(() => new MarketClock('Mars/Base'), /not an IANA time zone/);
});

test('windows: inclusive dates in the zone, last-Nd from the newest view; bad forms say the expected one', () => {
  const c = new MarketClock('Asia/Shanghai');
  const w = parseWindow('2022-04-25..2022-05-01', c);
  assert.equal(w.dates.length, 7);
  assert.equal(w.startMs, Date.UTC(2022, 3, 24, 16)); // 00:00 +08:00
  assert.equal(w.endMs, Date.UTC(2022, 4, 1, 16));
  const last = parseWindow('last-7d', c, Date.UTC(2022, 4, 1, 15, 59));
  assert.equal(last.from, '2022-04-25');
  assert.throws(() => parseWindow('2022-05-01..2022-04-25', c), /after/);
  assert.throws(() => parseWindow('lastweek', c), /FROM\.\.TO/);
});

test('the 60/40 split of a 7-day window falls 4.2 days after its start; held-out rows are tagged by day', () => {
  const c = new MarketClock('UTC');
  const w = parseWindow('2024-01-01..2024-01-07', c);
  const s = splitTime(w, 0.6);
  // 0.6 x 7 days = 4.2 days = 4 days 4 h 48 min after 2024-01-01 00:00.
  assert.equal(new Date(s).toISOString(), '2024-01-05T04:48:00.000Z');
  assert.deepEqual(heldoutDays(c, w, s), ['2024-01-05', '2024-01-06', '2024-01-07']);
  assert.equal(dayIndex(c, s, s - 1), -1);
  assert.equal(dayIndex(c, s, s), 0);
  assert.equal(dayIndex(c, s, Date.UTC(2024, 0, 7, 23)), 2);
  assert.throws(() => splitTime(w, 1), /strictly between/);
});
