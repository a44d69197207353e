import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ItemRecord } from './events';
import { syntheticUsers, type SyntheticParams } from './synthetic';
import { GeneratorError, syntheticOffThread } from './synthetic-worker';

/** The in-thread generator's items and views, one row per view (single-precision fields as a view file keeps them). */
function inThread(p: SyntheticParams) {
  const items: ItemRecord[] = [];
  const rows: number[][] = [];
  for (const u of syntheticUsers(p, (it) => items.push(it))) {
    for (let k = 0; k < u.n; k++) {
      rows.push([u.user, u.item[k], u.creator[k], u.handset, u.ts[k], Math.fround(u.lengthS[k]), Math.fround(u.timespentS[k]), u.flags[k], Math.fround(u.affinity[k])]);
    }
  }
  return { items, rows };
}

/** The worker's stream turned back into the generator's indices through the fresh lists, in the same row shape. */
async function inWorker(p: SyntheticParams, batchRows?: number) {
  const items: ItemRecord[] = [];
  const rows: number[][] = [];
  const users: number[] = [];
  const itemOf: number[] = [];
  const creatorOf: number[] = [];
  let batches = 0;
  for await (const m of syntheticOffThread(p, { batchRows })) {
    if ('items' in m) {
      assert.equal(batches, 0, 'every item comes before the first batch');
      items.push(...m.items);
      continue;
    }
    const b = m.batch;
    batches++;
    users.push(...b.freshUsers);
    itemOf.push(...b.freshItems);
    creatorOf.push(...b.freshCreators);
    for (let k = 0; k < b.n; k++) {
      // A dense id is known by the batch that uses it first.
      assert.ok(b.user[k] < users.length && b.item[k] < itemOf.length && b.creator[k] < creatorOf.length);
      rows.push([users[b.user[k]], itemOf[b.item[k]], creatorOf[b.creator[k]], b.handset[k], b.ts[k], b.lengthS[k], b.timespentS[k], b.flags[k], b.affinity[k]]);
    }
  }
  return { items, rows, batches, fresh: { users, itemOf, creatorOf } };
}

test('the generator in the worker hands over the items and views of the in-thread generator, in the same order, ids in first-seen order', async () => {
  const cases: [SyntheticParams, number | undefined][] = [
    [{ users: 300, items: 200, days: 7, seed: 11, dim: 8 }, 97],
    [{ users: 120, items: 900, days: 12, seed: 4, dim: 3, timezone: 'America/New_York', start: '2024-03-05', viewsPerDay: 15, language: 'en' }, 1000],
    [{ users: 40, items: 1, days: 2, seed: -3 }, 5],
    [{ users: 2000, items: 600, days: 7, seed: 1, dim: 16, timezone: 'Asia/Kolkata' }, undefined],
  ];
  for (const [p, batchRows] of cases) {
    const want = inThread(p);
    const got = await inWorker(p, batchRows);
    assert.ok(want.rows.length > 100);
    if (batchRows) assert.equal(got.batches, Math.ceil(want.rows.length / batchRows));
    assert.deepEqual(got.items, want.items);
    assert.deepEqual(got.rows, want.rows);
    // First-seen order: what a writer's dictionaries get adding the views one by one.
    const firstSeen = (col: number) => [...new Set(want.rows.map((r) => r[col]))];
    assert.deepEqual(got.fresh.users, firstSeen(0));
    assert.deepEqual(got.fresh.itemOf, firstSeen(1));
    assert.deepEqual(got.fresh.creatorOf, firstSeen(2));
  }
});

test('the generator\'s errors reach the caller with their messages; a worker that dies fails the stream instead of leaving it waiting', async () => {
  const bad: SyntheticParams[] = [
    { users: 0, items: 10, days: 1, seed: 1 },
    { users: 10, items: 10, days: 1, seed: 1, dim: 2000 },
    { users: 10, items: 10, days: 1, seed: 1, start: '2024-13-01' },
  ];
  for (const p of bad) {
    let message = '';
    assert.throws(() => { for (const _ of syntheticUsers(p, () => undefined)) void _; }, (e: Error) => { message = e.message; return true; });
    await assert.rejects(inWorker(p), (e: Error) => e instanceof GeneratorError && e.message === message);
  }
  const p = { users: 300, items: 50, days: 7, seed: 2, dim: 4 };
  let batches = 0;
  await assert.rejects((async () => {
    for await (const m of syntheticOffThread(p, { batchRows: 100, exitAfter: 3 })) if ('batch' in m) batches++;
  })(), /the synthetic generator worker exited with code 3/);
  assert.ok(batches <= 3);
  // A caller that stops early stops the worker (one left running would keep this test's process alive).
  for await (const m of syntheticOffThread(p, { batchRows: 10 })) if ('batch' in m) break;
});
