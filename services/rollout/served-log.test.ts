// The served log buffers, sheds beyond its bound, writes in one batch per flush, and survives a failed write.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ServedLog } from './served-log';
import type { ServedRecord } from '../../registry/rollout-store';

const rec = (i: number): ServedRecord => ({ requestId: `r${i}`, model: 'm', userId: `u${i}`, arm: 'a', time: new Date(0) });

test('buffers up to the bound, sheds beyond it, flushes in one write', async () => {
  const writes: ServedRecord[][] = [];
  const log = new ServedLog(async (rows) => { writes.push(rows); }, { maxBuffer: 3, flushMs: 0 });
  assert.deepEqual([1, 2, 3, 4].map((i) => log.add(rec(i))), [true, true, true, false]);
  await log.flush();
  assert.deepEqual(writes.map((w) => w.map((r) => r.requestId)), [['r1', 'r2', 'r3']]);
  assert.ok(log.add(rec(5)));
  await log.close();
  assert.deepEqual(log.counts, { written: 4, shed: 1, failed: 0 });
});

test('a failed write is counted and reported, not thrown', async () => {
  const errors: unknown[] = [];
  const log = new ServedLog(async () => { throw new Error('db down'); }, { flushMs: 0, onError: (e) => errors.push(e) });
  log.add(rec(1));
  await log.flush();
  assert.equal(errors.length, 1);
  assert.equal(log.counts.failed, 1);
});
