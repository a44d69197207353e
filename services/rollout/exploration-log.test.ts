// The exploration log: one row per moved candidate with its position, nothing shed, a failed write retried.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import pino from 'pino';
import { ExplorationLog } from './exploration-log';
import type { ExplorationRecord } from '../../registry/rollout-log';

test('logs each explored candidate at its position and keeps rows whose write failed', async () => {
  const written: ExplorationRecord[] = [];
  let fail = true;
  const log = new ExplorationLog({ flushMs: 0, log: pino({ level: 'silent' }), sink: async (rows) => {
    if (fail) throw new Error('database down');
    written.push(...rows);
  } });
  const t = new Date('2026-12-05T10:00:00Z');
  log.record('ro-1', 'u1', { requestId: 'r1', arm: 'p', itemIds: ['a', 'x', 'b', 'y'], exploredItemIds: ['y', 'x'] }, t);
  await log.flush();
  assert.equal(log.failedWrites, 1);
  assert.equal(log.backlog, 2);
  fail = false;
  log.record('ro-1', 'u2', { requestId: 'r2', arm: 't', itemIds: ['z', 'a'], exploredItemIds: ['z'] }, t);
  await log.close();
  assert.equal(log.backlog, 0);
  assert.equal(log.written, 3);
  assert.deepEqual(written.map((r) => [r.requestId, r.arm, r.userId, r.itemId, r.position, r.listLength]), [
    ['r1', 'p', 'u1', 'y', 3, 4], ['r1', 'p', 'u1', 'x', 1, 4], ['r2', 't', 'u2', 'z', 0, 2]]);
});
