// Unit tests of the served-record log: bounded (sheds, never waits), batched writes, failed writes dropped.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import pino from 'pino';
import { ServedLog } from './served-log';
import type { ServedRecord } from '../../registry/rollout-log';

const row = (i: number): ServedRecord => ({ requestId: `r${i}`, model: 'm', userId: `u${i}`, arm: 'prod-b', time: new Date(0) });

test('records are written in one batch; beyond the buffer they are shed; a failed write is dropped and counted', async () => {
  const batches: ServedRecord[][] = [];
  let fail = false;
  const log = new ServedLog({ sink: async (rows) => { if (fail) throw new Error('db down'); batches.push(rows); }, maxBuffer: 2, flushMs: 0, log: pino({ level: 'silent' }) });
  assert.equal(log.record(row(1)), true);
  assert.equal(log.record(row(2)), true);
  assert.equal(log.record(row(3)), false);
  await log.flush();
  assert.deepEqual(batches.map((b) => b.map((r) => r.requestId)), [['r1', 'r2']]);
  fail = true;
  log.record(row(4));
  await log.flush();
  // shed: r3 (buffer full) + r4 (failed write) = 2; written: r1, r2.
  assert.equal(log.shed, 2);
  assert.equal(log.written, 2);
  await log.close();
});
