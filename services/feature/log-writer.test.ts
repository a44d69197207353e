import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { IdColumns } from '../../ml/data/view-run';
import { LogWriter, timeOrder } from './log-writer';
import type { EventLogStore } from '../../registry/event-log';
import type { ViewRun } from '../../ml/data/view-run';
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

/** A store that keeps what it is given and answers a little later (so the writer sometimes waits). */
function recordingStore() {
  const runs: { run: ViewRun; key: string }[] = [];
  const store = {
    append: async (_source: string, _tz: string, run: ViewRun, key: string) => {
      runs.push({ run, key });
      await new Promise((r) => setTimeout(r, 1));
      return { added: run.n, alreadyStored: 0 };
    },
  } as unknown as EventLogStore;
  return { runs, store };
}

test('addColumns stores the runs addIds stores view by view: the same batches, files\' dictionaries, columns and keys', async () => {
  const rng = new Rng(9);
  for (const languages of [1, 3]) {
    const n = 5000;
    const c: IdColumns = {
      n, user: new Int32Array(n), item: new Int32Array(n), creator: new Int32Array(n), language: new Int32Array(n), handset: new Int32Array(n),
      ts: new Float64Array(n), lengthS: new Float32Array(n), timespentS: new Float32Array(n), flags: new Uint8Array(n), affinity: new Float32Array(n),
    };
    for (let k = 0; k < n; k++) {
      // Users in order, each over a few of 6 days, as the generator hands them over; some times tie.
      c.user[k] = Math.floor(k / 25); c.item[k] = rng.int(300); c.creator[k] = c.item[k] % 40; c.language[k] = rng.int(languages); c.handset[k] = rng.int(4);
      c.ts[k] = 1.7e12 + rng.int(6) * 86_400_000 + rng.int(1000) * 1000; c.lengthS[k] = rng.int(60); c.timespentS[k] = Math.fround(rng.next() * 30);
      c.flags[k] = rng.int(8); c.affinity[k] = Math.fround(rng.normal());
    }
    const write = async (add: (w: LogWriter) => Promise<void>) => {
      const { runs, store } = recordingStore();
      // Batches of 300 and at most 700 buffered: full days and the fullest day are both sent mid-load.
      const w = new LogWriter(store, 's', 'Asia/Kolkata', 300, 700);
      for (const [v, prefix, size] of [[w.users, 'u', 200], [w.items, 'v', 300], [w.creators, 'c', 40], [w.languages, 'l', languages], [w.handsets, 'h', 4]] as const) {
        for (let k = 0; k < size; k++) v.add(`${prefix}${k}`);
      }
      await add(w);
      await w.flush();
      return { runs: runs.map(({ run, key }) => ({ key, run: { ...run } })), added: w.added };
    };
    const one = await write(async (w) => {
      for (let k = 0; k < n; k++) {
        const wait = w.addIds(c.user[k], c.item[k], c.creator[k], c.language[k], c.handset[k], c.ts[k], c.lengthS[k], c.timespentS[k], c.flags[k], c.affinity[k]);
        if (wait) await wait;
      }
    });
    const bulk = await write((w) => w.addColumns(c));
    assert.equal(one.added, n);
    assert.ok(one.runs.length > 20, `${one.runs.length} runs`);
    assert.deepEqual(bulk, one);
    // Every view in exactly one run, in time order within it (day buffers are reused: none may leak into another run).
    const row = (u: string, i: string, ts: number, f: number, a: number) => `${u} ${i} ${ts} ${f} ${a}`;
    const stored = one.runs.flatMap(({ run }) => Array.from({ length: run.n }, (_, j) => {
      if (j > 0) assert.ok(run.ts[j - 1] <= run.ts[j]);
      return row(run.userIds[run.user[j]], run.itemIds[run.item[j]], run.ts[j], run.flags[j], run.affinity[j]);
    }));
    assert.deepEqual(stored.sort(), Array.from({ length: n }, (_, k) => row(`u${c.user[k]}`, `v${c.item[k]}`, c.ts[k], c.flags[k], c.affinity[k])).sort());
  }
});
