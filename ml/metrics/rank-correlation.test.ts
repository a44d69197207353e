// Rank correlations worked out by hand.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { kendallTauB, ranks, spearman, topKCorrelation } from './rank-correlation';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('rank correlations worked by hand', () => {
  assert.deepEqual(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  // x = 1..4, y = 1, 3, 2, 4: d = 0, -1, 1, 0; rho = 1 - 6 * 2 / (4 * 15) = 0.8.
  close(spearman([1, 2, 3, 4], [1, 3, 2, 4]), 0.8);
  // Pairs: (1,2) c, (1,3) c, (1,4) c, (2,3) d, (2,4) c, (3,4) c -> (5 - 1) / 6 = 0.6667.
  close(kendallTauB([1, 2, 3, 4], [1, 3, 2, 4]), 4 / 6);
  // Ties in y: x = 1, 2, 3; y = 1, 1, 2: pairs (1,2) tie in y, (1,3) c, (2,3) c; tau-b = 2 / sqrt(3 * 2) = 0.8165.
  close(kendallTauB([1, 2, 3], [1, 1, 2]), 2 / Math.sqrt(6));
  assert.ok(Number.isNaN(spearman([1, 1], [1, 2])));
  // Served order a, b, c, d; the shadow agrees exactly on the top 3 (d is outside K = 3).
  const same = topKCorrelation(['a', 'b', 'c', 'd'], ['d', 'c', 'b', 'a'], [9, 1, 2, 3], 3);
  assert.equal(same.n, 3);
  close(same.spearman, 1);
  close(same.kendall, 1);
  // A reversed shadow ranking gives -1.
  close(topKCorrelation(['a', 'b', 'c'], ['a', 'b', 'c'], [1, 2, 3], 3).spearman, -1);
});
