// The protocol report's saturation flags, gated days and beats_baselines on small hand-made lists.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { listSetOf, rowSpecs, tablesOf, type EvalRows } from './evaluate';
import { protocolReport } from './protocol-report';

// 40 users on one day, each with a list of 3 rows: items 0, 1, 2; item 2 is the relevant one in every list.
// The candidate scores item 2 highest; the sanity scorers: "up" ranks by item index (item 2 first, like the
// candidate), "down" ranks item 2 last.
const U = 40;
const rows: EvalRows = {
  user: Int32Array.from({ length: 3 * U }, (_, i) => Math.floor(i / 3)), nUsers: U,
  label: Float64Array.from({ length: 3 * U }, (_, i) => (i % 3 === 2 ? 1 : 0)),
  item: Int32Array.from({ length: 3 * U }, (_, i) => i % 3),
  day: new Int32Array(3 * U), days: ['2024-01-04'],
};
const cand = Float64Array.from({ length: 3 * U }, (_, i) => (i % 3 === 2 ? 1 : 0) + 0.001 * (i % 7));
const down = Float64Array.from({ length: 3 * U }, (_, i) => -(i % 3));
const random = Float64Array.from({ length: 3 * U }, (_, i) => ((i * 7919) % 13) / 13);

test('K >= the median list length is flagged uninformative, metrics without K are not', () => {
  const ls = listSetOf(rows, rowSpecs(rows, [1, 3, 5]));
  const t = (s: Float64Array) => tablesOf(rows, ls, s);
  const r = protocolReport(ls, t(cand), null, { random: t(random), shortest: t(down) }, { bootstrap: { resamples: 200, seed: 1 }, minGatedLists: 30 });
  assert.equal(r.median_list_length, 3);
  // recall@1 separates the scorers (candidate 1, down 0); K = 3 and 5 cover every list of 3 rows.
  assert.deepEqual(r.informative['recall@1'], { informative: true, reason: null });
  assert.equal(r.informative['recall@3'].informative, false);
  assert.match(r.informative['recall@3'].reason!, /K = 3 >= the median evaluated list length 3/);
  assert.equal(r.informative['recall@5'].informative, false);
  assert.equal(r.informative.mrr.informative, true);
  // The candidate ranks the relevant item first in every list: its MRR is 1, "down" gets 1/3, so it beats both
  // scorers on MRR (interval above 0, and the only day has 40 >= 30 lists: gated, delta > 0).
  assert.equal(r.overall.mrr, 1);
  assert.ok(Math.abs(r.sanity.shortest!.overall.mrr! - 1 / 3) < 1e-12);
  assert.deepEqual(r.days['2024-01-04'], { lists: 40, gated: true, reason: null });
  assert.equal(r.beats_baselines.mrr.beats, true);
  // recall@3 is 1 for every scorer: no delta, no interval above 0.
  assert.equal(r.beats_baselines['recall@3'].beats, false);
});

test('every sanity baseline equal: uninformative; a day below the minimum is reported, not gated', () => {
  const ls = listSetOf(rows, rowSpecs(rows, [1]));
  const t = (s: Float64Array) => tablesOf(rows, ls, s);
  // Two sanity scorers that rank identically get the same value on every metric.
  const r = protocolReport(ls, t(cand), null, { random: t(down), popular: t(down) }, { bootstrap: false });
  assert.equal(r.informative.mrr.informative, false);
  assert.match(r.informative.mrr.reason!, /every sanity baseline gets/);
  assert.equal(r.days['2024-01-04'].gated, false);
  assert.match(r.days['2024-01-04'].reason!, /40 evaluated lists, fewer than 200/);
  // Without intervals nothing can be shown to beat.
  assert.equal(r.beats_baselines.mrr.beats, false);
});
