import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { timeOrder } from './log-writer';
import { Rng } from '../../ml/data/rng';

test('timeOrder sorts by time, stably, for a day of times, many ties, a range too wide for the radix sort, and fractions', () => {
  const rng = new Rng(3);
  for (const [n, range, frac] of [[1000, 86_400_000, false], [5000, 10, false], [3000, 2 ** 33, false], [2000, 1000, true], [70_000, 86_400_000, false]] as const) {
    const ts = Float64Array.from({ length: n }, (_, k) => 1.7e12 + rng.int(range) + (frac ? 0.5 * (k % 2) : 0));
    const want = Array.from({ length: n }, (_, k) => k).sort((a, b) => ts[a] - ts[b] || a - b);
    assert.deepEqual(Array.from(timeOrder(ts, n)!), want, `${n} times over ${range} ms`);
  }
  assert.equal(timeOrder(Float64Array.of(1, 2, 2, 3), 4), undefined, 'sorted already');
});
