// Shadow queue (its rank correlations: ml/metrics/rank-correlation.test.ts): bounded shedding, never blocking the offer, flushed sums.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { histQuantile, ShadowQueue, type ShadowDelta, type ShadowJob } from './shadow-queue';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('histogram quantiles take the bucket upper bound', () => {
  const h = new Array(22).fill(0);
  h[3] = 98; // <= 3 ms
  h[10] = 2; // <= 50 ms
  assert.equal(histQuantile(h, 0.5), 3);
  assert.equal(histQuantile(h, 0.99), 50);
  assert.equal(histQuantile([], 0.5), 0);
});

function job(version: string, run: ShadowJob['run']): ShadowJob {
  return { rolloutId: 'ro-1', version, served: ['a', 'b', 'c'], run };
}

test('offers beyond the bound are shed at once; queued jobs run later, one at a time', async () => {
  let t = 0;
  const q = new ShadowQueue({ maxQueue: 2, concurrency: 1, flushMs: 0, now: () => t });
  const releases: (() => void)[] = [];
  let started = 0;
  const slow = () => new Promise<{ itemIds: string[]; scores: number[] }>((resolve) => {
    started++;
    releases.push(() => { t += 4; resolve({ itemIds: ['a', 'b', 'c'], scores: [3, 2, 1] }); });
  });
  // Nothing has started synchronously: the offer never runs work on the caller's turn.
  const accepted = [1, 2, 3, 4].map(() => q.offer(job('v2', slow)));
  assert.equal(started, 0);
  // Slot 1 is pulled for running (on a later turn), 2 wait: the 4th offer exceeds the bound of 2.
  assert.deepEqual(accepted, [true, true, true, false]);
  await new Promise((r) => setImmediate(r));
  assert.equal(started, 1);
  while (releases.length || q.depth.queued || q.depth.running) {
    releases.shift()?.();
    await new Promise((r) => setImmediate(r));
  }
  await q.drained();
  const [s] = q.snapshot();
  assert.deepEqual([s.offered, s.scored, s.shed, s.failed, s.corrCount], [4, 3, 1, 0, 3]);
  close(s.sumSpearman, 3);
  close(s.sumLatencyMs, 12);
  assert.equal(s.latencyHist[4], 3); // 4 ms falls in the (3, 5] bucket, index 4
});

test('a busy process sheds everything; failures are counted, not thrown; flush hands sums to the sink', async () => {
  let busy = true;
  const flushed: ShadowDelta[][] = [];
  const errors: unknown[] = [];
  const q = new ShadowQueue({ busy: () => busy, flushMs: 0, sink: async (d) => { flushed.push(d); }, onError: (e) => errors.push(e) });
  assert.equal(q.offer(job('v2', async () => ({ itemIds: [], scores: [] }))), false);
  busy = false;
  assert.equal(q.offer(job('v3', async () => { throw new Error('model not loaded'); })), true);
  await new Promise((r) => setImmediate(r));
  await q.drained();
  await q.close();
  assert.equal(errors.length, 1);
  const byVersion = Object.fromEntries(flushed.flat().map((d) => [d.version, d]));
  assert.deepEqual([byVersion.v2.offered, byVersion.v2.shed], [1, 1]);
  assert.deepEqual([byVersion.v3.offered, byVersion.v3.failed, byVersion.v3.scored], [1, 1, 0]);
  // After close, offers are shed.
  assert.equal(q.offer(job('v2', async () => ({ itemIds: [], scores: [] }))), false);
});
