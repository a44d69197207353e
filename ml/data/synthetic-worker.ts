// The synthetic generator (syntheticUsers) in a worker thread: `data generate`'s main thread stores the views
// (day buffers, runs, hashing, the manifest) while the worker draws the next ones beside it, on another core. The
// worker hands over the catalogue, then the views in batches of columns (transferred, not copied) whose users, items
// and creators carry dense ids in the order the generator first yields them, with the generator's indices of the
// ones new in each batch: a receiver that adds those to its dictionaries in that order gets the ids it would have
// got adding the views one by one, and the same views in the same order.
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { ItemRecord } from './events';
import { syntheticUsers, type SyntheticParams } from './synthetic';

/** Views per batch (about 1 MB of columns). */
const BATCH_ROWS = 32_768;
/** Batches handed over and not yet taken by the receiver, beyond which the worker waits. */
const BATCHES_IN_FLIGHT = 3;
/** Items per catalogue message. */
const ITEMS_PER_MESSAGE = 5000;

/**
 * Generated views as columns. `user`, `item` and `creator` are dense ids (0, 1, 2, ... in the order first seen in
 * the stream); `fresh*` are the generator's indices (userId(u), itemId(i), creatorId(c)) of the ids first seen in
 * this batch, in id order. `handset` indexes HANDSETS. The real-valued columns are single precision, as a stored
 * view file keeps them; `ts` is whole epoch ms.
 */
export interface SyntheticBatch {
  n: number;
  user: Int32Array;
  item: Int32Array;
  creator: Int32Array;
  handset: Int32Array;
  ts: Float64Array;
  lengthS: Float32Array;
  timespentS: Float32Array;
  /** Bit 0 liked, bit 1 shared, bit 2 downloaded. */
  flags: Uint8Array;
  affinity: Float32Array;
  freshUsers: Int32Array;
  freshItems: Int32Array;
  freshCreators: Int32Array;
}

/** What the stream yields: catalogue items (all before the first batch), then batches of views. */
export type SyntheticMessage = { items: ItemRecord[] } | { batch: SyntheticBatch };

/** An error the generator threw (its parameters), as opposed to the worker failing. */
export class GeneratorError extends Error {}

interface Start { params: SyntheticParams; batchRows: number; exitAfter?: number }

type FromWorker = SyntheticMessage | { done: true } | { error: string };

function newBatch(cap: number): SyntheticBatch {
  return {
    n: 0, user: new Int32Array(cap), item: new Int32Array(cap), creator: new Int32Array(cap), handset: new Int32Array(cap), ts: new Float64Array(cap),
    lengthS: new Float32Array(cap), timespentS: new Float32Array(cap), flags: new Uint8Array(cap), affinity: new Float32Array(cap),
    freshUsers: new Int32Array(0), freshItems: new Int32Array(0), freshCreators: new Int32Array(0),
  };
}

const buffersOf = (b: SyntheticBatch) => [b.user, b.item, b.creator, b.handset, b.ts, b.lengthS, b.timespentS, b.flags, b.affinity,
  b.freshUsers, b.freshItems, b.freshCreators].map((a) => a.buffer as ArrayBuffer);

/**
 * syntheticUsers(p) in a worker thread, as a stream of catalogue chunks and view batches (see SyntheticBatch). The
 * worker stays at most a few batches ahead of the caller's next(). An error the generator throws (bad parameters)
 * rejects next() as a GeneratorError with its message, after the messages before it; a worker that dies rejects
 * it too, never leaves it waiting. Ending the loop early stops the worker. `batchRows` and `exitAfter` (the worker
 * exits, as a crashed one would, after handing over that many batches) are for tests.
 */
export async function* syntheticOffThread(p: SyntheticParams, opts: { batchRows?: number; exitAfter?: number } = {}): AsyncGenerator<SyntheticMessage> {
  const start: Start = { params: p, batchRows: opts.batchRows ?? BATCH_ROWS, exitAfter: opts.exitAfter };
  const w = new Worker(path.join(__dirname, 'synthetic-worker-entry.js'), { workerData: { syntheticWorker: start } });
  const queue: FromWorker[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const poke = () => {
    const go = wake;
    wake = undefined;
    go?.();
  };
  w.on('message', (m: FromWorker) => {
    queue.push(m);
    poke();
  });
  w.once('error', (err) => {
    failure ??= err;
    poke();
  });
  w.once('exit', (code) => {
    failure ??= new Error(`the synthetic generator worker exited with code ${code}`);
    poke();
  });
  try {
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        await new Promise<void>((r) => { wake = r; });
        continue;
      }
      if ('done' in m) return;
      if ('error' in m) throw new GeneratorError(m.error);
      yield m;
      // The caller asked for the next one: the batch is taken, the worker may go on.
      if ('batch' in m) w.postMessage('taken');
    }
  } finally {
    void w.terminate();
  }
}

/** The worker's side: the generator's users, packed into batches and handed over. */
async function serveInWorker(start: Start): Promise<void> {
  const port = parentPort!;
  let untaken = 0;
  let taken: (() => void) | undefined;
  port.on('message', () => {
    untaken--;
    const go = taken;
    taken = undefined;
    go?.();
  });
  const rows = start.batchRows;
  let exitAfter = start.exitAfter ?? -1;
  let items: ItemRecord[] = [];
  const sendItems = () => {
    if (items.length) port.postMessage({ items } satisfies FromWorker);
    items = [];
  };
  const itemId = new Int32Array(start.params.items).fill(-1);
  const creatorId = new Int32Array(Math.max(1, Math.round(start.params.items / 20))).fill(-1);
  let users = 0;
  let nItems = 0;
  let nCreators = 0;
  let b = newBatch(rows);
  let freshUsers: number[] = [];
  let freshItems: number[] = [];
  let freshCreators: number[] = [];
  const handOver = async () => {
    if (b.n === 0) return;
    b.freshUsers = Int32Array.from(freshUsers);
    b.freshItems = Int32Array.from(freshItems);
    b.freshCreators = Int32Array.from(freshCreators);
    freshUsers = [];
    freshItems = [];
    freshCreators = [];
    port.postMessage({ batch: b } satisfies FromWorker, buffersOf(b));
    if (--exitAfter === 0) process.exit(3);
    b = newBatch(rows);
    if (++untaken >= BATCHES_IN_FLIGHT) await new Promise<void>((r) => { taken = r; });
  };
  try {
    for (const u of syntheticUsers(start.params, (it) => {
      items.push(it);
      if (items.length === ITEMS_PER_MESSAGE) sendItems();
    })) {
      sendItems();
      const user = users++;
      freshUsers.push(u.user);
      for (let k = 0; k < u.n; k++) {
        const i = u.item[k];
        let item = itemId[i];
        if (item < 0) {
          item = itemId[i] = nItems++;
          freshItems.push(i);
        }
        const c = u.creator[k];
        let creator = creatorId[c];
        if (creator < 0) {
          creator = creatorId[c] = nCreators++;
          freshCreators.push(c);
        }
        const j = b.n++;
        b.user[j] = user; b.item[j] = item; b.creator[j] = creator; b.handset[j] = u.handset; b.ts[j] = u.ts[k];
        b.lengthS[j] = u.lengthS[k]; b.timespentS[j] = u.timespentS[k]; b.flags[j] = u.flags[k]; b.affinity[j] = u.affinity[k];
        if (b.n === rows) await handOver();
      }
    }
    sendItems();
    await handOver();
    port.postMessage({ done: true } satisfies FromWorker);
  } catch (err) {
    port.postMessage({ error: (err as Error).message } satisfies FromWorker);
  }
}

if (!isMainThread && parentPort && (workerData as { syntheticWorker?: Start } | null)?.syntheticWorker) {
  void serveInWorker((workerData as { syntheticWorker: Start }).syntheticWorker);
}
