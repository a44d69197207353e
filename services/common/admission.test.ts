import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Admission, writeLimits, type ShedReason } from './admission';

/** A call as the handler adapters describe it, cancellable by the test. */
function callOf(deadline = Infinity) {
  const ac = new AbortController();
  return { deadline, cancelled: () => ac.signal.aborted, signal: ac.signal, cancel: () => ac.abort() };
}

/** A job the test finishes by hand. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((r) => { finish = r; });
  return { finish, fn: () => done };
}

test('runs `running` calls at once, queues `waiting`, refuses the rest with RESOURCE_EXHAUSTED, first come first served', async () => {
  const shed: ShedReason[] = [];
  const gate = new Admission('IngestEvents', { running: 2, waiting: 2 }, (r) => shed.push(r));
  const jobs = Array.from({ length: 5 }, held);
  const order: number[] = [];
  const runs = jobs.map((j, k) => gate.run(callOf(), async () => { order.push(k); await j.fn(); return k; }));
  const refused = assert.rejects(runs[4], (e: { code: string; message: string }) => e.code === 'RESOURCE_EXHAUSTED' && /busy \(2 calls running, 2 waiting\)/.test(e.message));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, [0, 1]);
  assert.deepEqual(gate.load, { running: 2, waiting: 2 });
  await refused;
  jobs[1].finish();
  await runs[1];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, [0, 1, 2]);
  for (const j of jobs) j.finish();
  assert.deepEqual(await Promise.all(runs.slice(0, 4)), [0, 1, 2, 3]);
  assert.deepEqual(gate.load, { running: 0, waiting: 0 });
  assert.deepEqual(shed, ['busy']);
});

test('a waiting call whose deadline passes or whose client cancels leaves the queue and never runs', async () => {
  const shed: ShedReason[] = [];
  const gate = new Admission('RecordOutcomes', { running: 1, waiting: 4 }, (r) => shed.push(r));
  const first = held();
  const running = gate.run(callOf(), first.fn);
  let ran = 0;
  const soon = gate.run(callOf(Date.now() + 20), async () => { ran++; });
  const cancelled = callOf();
  const gone = gate.run(cancelled, async () => { ran++; });
  const past = gate.run(callOf(Date.now() - 1), async () => { ran++; });
  const checks = [assert.rejects(gone, { code: 'CANCELLED' }), assert.rejects(past, { code: 'DEADLINE_EXCEEDED' }), assert.rejects(soon, { code: 'DEADLINE_EXCEEDED' })];
  cancelled.cancel();
  await Promise.all(checks);
  assert.deepEqual(gate.load, { running: 1, waiting: 0 });
  first.finish();
  await running;
  assert.equal(ran, 0);
  assert.deepEqual(shed.sort(), ['cancelled', 'deadline', 'deadline']);
  // The slot is free again.
  assert.equal(await gate.run(callOf(), async () => 'ok'), 'ok');
});

test('a failing call frees its slot', async () => {
  const gate = new Admission('IngestEvents', { running: 1, waiting: 0 });
  await assert.rejects(gate.run(callOf(), async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await gate.run(callOf(), async () => 1), 1);
});

test('writeLimits reads MODELOPS_WRITE_CONCURRENCY and MODELOPS_WRITE_QUEUE and refuses nonsense naming the variable', () => {
  assert.deepEqual(writeLimits({}), { running: 2, waiting: 16 });
  assert.deepEqual(writeLimits({ MODELOPS_WRITE_CONCURRENCY: '4', MODELOPS_WRITE_QUEUE: '0' }), { running: 4, waiting: 0 });
  assert.throws(() => writeLimits({ MODELOPS_WRITE_CONCURRENCY: '0' }), /MODELOPS_WRITE_CONCURRENCY: "0" is not a whole number of calls from 1 to 10000/);
  assert.throws(() => writeLimits({ MODELOPS_WRITE_QUEUE: 'lots' }), /MODELOPS_WRITE_QUEUE/);
});
