// The exposure log: each fact once, nothing shed, a failed write retried.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import pino from 'pino';
import { ExposureLog } from './exposure-log';
import type { ExposureRecord } from '../../registry/rollout-log';

test('counts each (weights, arm, user, day, maker) once and keeps rows whose write failed', async () => {
  const written: ExposureRecord[] = [];
  let fail = true;
  const log = new ExposureLog({ flushMs: 0, log: pino({ level: 'silent' }), sink: async (rows) => {
    if (fail) throw new Error('database down');
    written.push(...rows);
  } });
  const plan = { id: 'ro-1', arms: [{ name: 'p', weight: 90 }, { name: 't', weight: 10 }] };
  const t = new Date('2026-12-05T10:00:00Z');
  log.record(plan, 't', 'u1', 'acme', t);
  log.record(plan, 't', 'u1', 'acme', t);
  log.record(plan, 'p', 'u2', undefined, t);
  await log.flush();
  assert.equal(log.failedWrites, 1);
  fail = false;
  // A ramp is a new plan with new weights: the same user counts again under them.
  log.record({ id: 'ro-1', arms: [{ name: 'p', weight: 75 }, { name: 't', weight: 25 }] }, 't', 'u1', 'acme', t);
  await log.close();
  assert.deepEqual(written.map((r) => [r.weights, r.arm, r.userId, r.day, r.handsetMaker]), [
    ['p=90,t=10', 't', 'u1', '2026-12-05', 'acme'], ['p=90,t=10', 'p', 'u2', '2026-12-05', ''], ['p=75,t=25', 't', 'u1', '2026-12-05', 'acme']]);
});
