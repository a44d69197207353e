import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ItemRecord } from '../../ml/data/events';
import type { EventSourceStore } from '../../registry/event-source-store';
import { ItemUpserts } from './ingest';

const item = (id: string): ItemRecord => ({ item_id: id, creator_id: 'c', language: 'en', created_at: null, video_length_s: null, embedding: [0] });

/** A catalogue store whose upserts finish when the test says, recording the order they ran in. */
function slowStore(fail?: string) {
  const ran: string[] = [];
  const finish: (() => void)[] = [];
  const store = {
    upsertItems: async (_source: string, items: ItemRecord[]) => {
      ran.push(items.map((i) => i.item_id).join(','));
      await new Promise<void>((r) => finish.push(r));
      if (items.some((i) => i.item_id === fail)) throw Object.assign(new Error('connection lost'), { code: '08006' });
      return items.length;
    },
  } as unknown as EventSourceStore;
  return { store, ran, finish };
}

const tick = () => new Promise((r) => setImmediate(r));

test('ItemUpserts runs batches one at a time in order, lets the caller go on until three wait, and counts them', async () => {
  const { store, ran, finish } = slowStore();
  const u = new ItemUpserts(store, 's');
  let returned = 0;
  for (const b of [['a'], ['b', 'c'], ['d']]) {
    await u.add(b.map(item));
    returned++;
  }
  assert.equal(returned, 3, 'three waiting batches do not hold the caller');
  await tick();
  assert.deepEqual(ran, ['a'], 'one upsert at a time');
  let fourth = false;
  const adding = u.add([item('e')]).then(() => { fourth = true; });
  await tick();
  assert.equal(fourth, false, 'a fourth batch waits for the first to finish');
  finish.shift()!();
  await adding;
  assert.equal(fourth, true);
  const done = u.done();
  for (let k = 0; k < 3; k++) {
    await tick();
    finish.shift()!();
  }
  await done;
  assert.deepEqual(ran, ['a', 'b,c', 'd', 'e']);
  assert.equal(u.upserted, 5);
  await u.add([]);
  assert.equal(ran.length, 4, 'an empty batch is not sent');
});

test('ItemUpserts: a failed batch fails done and later adds, with the store error unchanged', async () => {
  const { store, finish } = slowStore('b');
  const u = new ItemUpserts(store, 's');
  await u.add([item('a')]);
  await u.add([item('b')]);
  await u.add([item('c')]);
  await tick();
  finish.shift()!();
  await tick();
  finish.shift()!();
  await assert.rejects(u.done(), /connection lost/);
  await assert.rejects(async () => { await u.add([item('d')]); await u.add([item('e')]); await u.add([item('f')]); await u.add([item('g')]); }, (e: Error & { code?: string }) => e.code === '08006');
  assert.equal(u.upserted, 1);
});
