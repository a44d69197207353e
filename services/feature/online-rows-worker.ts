// A bulk load's online rows on two cores. Every user's and item's row is recomputed from the whole log, and most of
// that work is the users' (their window counters and the rings of recent content vectors behind the mean
// embeddings): a worker thread folds the odd user indices over a copy of the log while this thread folds the even
// ones and the items, and each writes its users' rows into one shared array. The rows are the ones onlineRows
// gives, bit for bit: a user's state depends only on its own views, in the same order in both threads.
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { EventLog } from '../../ml/data/events';
import { FeatureEngine, viewKinds } from '../../ml/features/engine';
import type { FeatureLayout } from '../../ml/features/layout';
import type { OnlineRows } from '../../registry/online-feature-store';
import { assembleRows, noRows, onlineAsOf, onlineRows, writeUserRows } from './online-features';

/** Logs below this many views get their rows on the calling thread (starting a worker and copying the log costs more). */
export const TWO_CORE_MIN_VIEWS = 200_000;

/**
 * What the worker is sent: the view columns the engine reads and the views' kinds, in shared memory (copied once
 * here, never cloned again on the way), the catalogue, the dictionaries' sizes (the engine reads no user or item id), the layout, the
 * time, and where to write.
 */
interface Job {
  n: number;
  user: Int32Array;
  item: Int32Array;
  ts: Float64Array;
  /** viewKinds of the log, computed once for both threads. */
  kinds: Uint8Array;
  users: number;
  items: number;
  handsets: string[];
  catalogue: EventLog['items'];
  layout: FeatureLayout;
  asOf: number;
  /** Every user's dense row (user u at row u), shared: the worker writes the odd rows. */
  userDense: Float32Array;
}

/** A copy of `a` in shared memory. */
function shared<T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T): T {
  const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/**
 * onlineRows(log, layout) for every user and item of the log, the odd users folded in a worker thread. `minViews`
 * (TWO_CORE_MIN_VIEWS by default) is the smallest log worth a worker.
 */
export async function onlineRowsOnTwoCores(log: EventLog, layout: FeatureLayout, minViews = TWO_CORE_MIN_VIEWS): Promise<OnlineRows> {
  if (log.n === 0) return noRows(layout);
  if (log.n < minViews || log.userIds.length < 2) return onlineRows(log, layout);
  const asOf = onlineAsOf(log);
  const nu = log.userIds.length;
  const userDense = new Float32Array(new SharedArrayBuffer(nu * layout.userDenseDim * 4));
  const n = log.n;
  const kinds = viewKinds(log, new Uint8Array(new SharedArrayBuffer(n)));
  const job: Job = {
    n, user: shared(log.user.subarray(0, n)), item: shared(log.item.subarray(0, n)), ts: shared(log.ts.subarray(0, n)), kinds,
    users: nu, items: log.itemIds.length, handsets: log.handsets, catalogue: log.items, layout, asOf, userDense,
  };
  const odd = new Promise<void>((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'online-rows-worker-entry.js'), { workerData: { onlineRowsWorker: true } });
    w.once('message', (m: { error?: string }) => {
      void w.terminate();
      if (m.error !== undefined) reject(new Error(`online rows worker: ${m.error}`));
      else resolve();
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`the online rows worker exited with code ${code} before it answered`)));
    w.postMessage(job);
  });
  // Settled below; a failure meanwhile must not count as unhandled.
  odd.catch(() => undefined);
  const eng = new FeatureEngine(log, layout, kinds);
  eng.foldAll(asOf, { users: 'even', items: true });
  const even: number[] = [];
  for (let u = 0; u < nu; u += 2) even.push(u);
  writeUserRows(eng, layout, even, userDense, 0, 2);
  const all: number[] = [];
  for (let u = 0; u < nu; u++) all.push(u);
  const rows = assembleRows(log, layout, eng, asOf, all, userDense);
  await odd;
  return rows;
}

/** The worker's side: folds the odd users and writes their rows into the shared array. */
function foldOddUsers(job: Job): void {
  // Dictionaries of the right sizes without their ids, and no handset, flag, length or watch-time column: the
  // engine given the kinds reads none of them.
  const log: EventLog = {
    n: job.n, user: job.user, item: job.item, ts: job.ts, lengthS: new Float32Array(0), timespentS: new Float32Array(0), flags: new Uint8Array(0),
    handset: new Int32Array(0), userIds: new Array<string>(job.users), itemIds: new Array<string>(job.items), handsets: job.handsets, items: job.catalogue,
  };
  const eng = new FeatureEngine(log, job.layout, job.kinds);
  eng.foldAll(job.asOf, { users: 'odd', items: false });
  const odd: number[] = [];
  for (let u = 1; u < job.users; u += 2) odd.push(u);
  writeUserRows(eng, job.layout, odd, job.userDense, 1, 2);
}

if (!isMainThread && parentPort && (workerData as { onlineRowsWorker?: boolean } | null)?.onlineRowsWorker) {
  const port = parentPort;
  port.once('message', (job: Job) => {
    try {
      foldOddUsers(job);
      port.postMessage({});
    } catch (err) {
      port.postMessage({ error: (err as Error).message });
    }
  });
}
