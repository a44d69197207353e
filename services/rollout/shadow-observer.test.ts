// The shadow observer offers one job per shadow version, scores all candidates in the served context, and
// the queue records the rank correlation of the served top K.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ShadowQueue } from './shadow-queue';
import { shadowObserver, type ShadowVersion } from './shadow-observer';

test('each served call is offered once per shadow version; the shadow sees all candidates and the served context', async () => {
  const seen: { topK: number; items: string[]; hod: number }[] = [];
  // The shadow ranks by item id reversed: the served order a, b, c, d becomes d, c, b, a (rho = -1).
  const reverse: ShadowVersion = {
    async score(req, ctx) {
      seen.push({ topK: req.topK, items: req.itemIds, hod: ctx.hod });
      return { itemIds: req.itemIds, scores: req.itemIds.map((_, i) => i) };
    },
  };
  const same: ShadowVersion = { async score(req) { return { itemIds: req.itemIds, scores: req.itemIds.map((_, i) => -i) }; } };
  const q = new ShadowQueue({ flushMs: 0, topK: 3 });
  const observe = shadowObserver(q, (m) => (m === 'm1' ? { rolloutId: 'ro-1', versions: [{ name: 'rev', version: reverse }, { name: 'same', version: same }] } : undefined));
  const call = { input: { model: 'm1', userId: 'u1', itemIds: ['a', 'b', 'c', 'd'] }, result: { itemIds: ['a', 'b', 'c'] }, hod: 7, dow: 2 };
  observe(call);
  observe({ ...call, input: { ...call.input, model: 'other' } });
  await new Promise((r) => setImmediate(r));
  await q.drained();
  assert.deepEqual(seen, [{ topK: 0, items: ['a', 'b', 'c', 'd'], hod: 7 }]);
  const stats = Object.fromEntries(q.snapshot().map((s) => [s.version, s]));
  assert.deepEqual([stats.rev.offered, stats.rev.scored, stats.rev.sumSpearman], [1, 1, -1]);
  assert.deepEqual([stats.same.scored, stats.same.sumSpearman, stats.same.sumKendall], [1, 1, 1]);
  assert.equal(stats.rev.rolloutId, 'ro-1');
});
