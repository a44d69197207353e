// The catalog protocol's lists: who is left out and what is relevant, worked out by hand.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { catalogLists } from './catalog-protocol';
import type { HeldOutRows } from './held-out-rows';
import type { DatasetMeta } from '../../ml/features/dataset';

test('items viewed before the day are left out; relevant = viewed that day with label 1', () => {
  // User 0 viewed item 4 in the training part. Day 0: views item 2 (label 0) at t=20, item 1 (label 1) at t=10.
  // Day 1: item 2 again (label 1, but viewed on day 0: left out) and item 3 (label 1). User 1, day 1: item 0 (label 0).
  const held = {
    meta: {} as DatasetMeta, batches: [], unlabeled: 0, lengthS: new Float64Array(5),
    ts: Float64Array.from([20, 10, 30, 40, 35]),
    rows: { user: Int32Array.from([0, 0, 0, 0, 1]), nUsers: 2, label: [0, 1, 1, 1, 0], item: Int32Array.from([2, 1, 2, 3, 0]),
      day: Int32Array.from([0, 0, 1, 1, 1]), days: ['d0', 'd1'] },
  } as HeldOutRows;
  const lists = catalogLists(held, { priors: { views: new Float64Array(5), labeled: new Float64Array(5), positives: new Float64Array(5), globalRate: 0 },
    seenBefore: new Map([[0, new Set([4])]]) });
  const view = lists.map((l) => ({ user: l.user, day: l.day, firstRow: l.firstRow, relevant: l.relevant, excluded: [...l.excluded].sort() }));
  assert.deepEqual(view, [
    // The first view of day 0 is row 1 (t=10).
    { user: 0, day: 0, firstRow: 1, relevant: [1], excluded: [4] },
    { user: 0, day: 1, firstRow: 2, relevant: [3], excluded: [1, 2, 4] },
    { user: 1, day: 1, firstRow: 4, relevant: [], excluded: [] },
  ]);
});
