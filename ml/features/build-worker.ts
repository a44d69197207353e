// The dataset build in a worker thread. The calling thread reads the log's files and decodes them; the worker
// assembles the log from what it is sent (the catalogue, then each day's columns, in order), so decoding the next
// day and interning this day's ids run side by side. Then the one-pass engine fills each shard in place
// (allocShard) and hands its bytes over (transferred, not copied) while the calling thread stores the previous ones,
// so the feature pass and the writes to the object store run on two cores, and the server's event loop keeps
// answering meanwhile. At most IN_FLIGHT shards wait for the caller at a time, so memory stays bounded by a few shards.
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { EventLogBuilder, type EventLog, type ItemRecord, type LogTarget, type ViewColumns } from '../data/events';
import { buildDataset, type BuildSpec, type BuiltMeta } from './build';
import type { ShardRef } from './dataset';
import { exploredViews, type ExploredShow } from './explored';
import { encodeItemDay } from './item-day';
import { layoutFor } from './layout';
import { allocShard, encodeShard, type ShardInPlace } from './shard';

/** Shards the worker may have handed over that the caller has not stored yet. */
const IN_FLIGHT = 2;

/** Where a build in a worker delivers: each encoded shard and item-day file, in order, and its progress. */
export interface EncodedSinks {
  /**
   * Stores one encoded shard (in time order) whose SHA-256 (hex) the worker computed; the next is handed over only
   * once enough earlier ones resolved.
   * The bytes go back to the worker for a later shard once the promise resolves: keep no reference to them.
   */
  shard(split: ShardRef['split'], bytes: Buffer, rows: number, sha256: string): Promise<void>;
  /** Stores one test day's encoded item inputs (item-day.ts), in day order. */
  itemDay(day: number, bytes: Buffer, items: number): Promise<void>;
  progress?(rowsDone: number, rowsTotal: number): void;
}

/**
 * Opens the worker's log for a content-vector dimension and a number of views (its columns' initial size); the
 * calls made on it are replayed in the same order by the worker's EventLogBuilder.
 */
export type OpenLog = (dim: number, capacity: number) => LogTarget;

/** What the calling thread sends: the log piece by piece, then the build; credits return shard memory. */
type ToWorker =
  | { logOpen: { dim: number; capacity: number } }
  | { logItems: ItemRecord[] }
  | { logColumns: ViewColumns[] }
  | { datasetBuild: { spec: BuildSpec; shows?: ExploredShow[] } }
  | { credit: ArrayBuffer };

type FromWorker =
  | { shard: { split: ShardRef['split']; bytes: Uint8Array; rows: number; sha256: string } }
  | { itemDay: { day: number; bytes: Uint8Array; items: number } }
  | { progress: [number, number] }
  | { done: BuiltMeta }
  | { error: string };

/**
 * Rows [from, to) of columns as compact arrays of their own: a typed array posted to a worker is cloned with its
 * whole ArrayBuffer, which a decoded file's columns may share; columns the log does not keep (language, affinity)
 * are not sent.
 */
function compactColumns(c: ViewColumns, from: number, to: number): ViewColumns {
  // An array that is all of its buffer is cloned as it is (the usual case: a whole file's column).
  const cut = <T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T): T =>
    (from === 0 && to === a.length && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice(from, to) as T);
  return {
    n: to - from, user: cut(c.user), userIds: c.userIds, item: cut(c.item), itemIds: c.itemIds, creator: cut(c.creator),
    creatorIds: c.creatorIds, handset: cut(c.handset), handsets: c.handsets, ts: cut(c.ts), lengthS: cut(c.lengthS),
    timespentS: cut(c.timespentS), flags: cut(c.flags),
  };
}

/** The LogTarget of the calling thread: each call is posted to the worker (catalogue items in batches). */
class WorkerLog implements LogTarget {
  private items: ItemRecord[] = [];

  constructor(private readonly post: (m: ToWorker) => void) {}

  addItem(it: ItemRecord): void {
    this.items.push(it);
    if (this.items.length === 4096) this.flushItems();
  }

  addColumns(c: ViewColumns, from = 0, to = c.n): void {
    if (to <= from) return;
    this.flushItems();
    this.post({ logColumns: [compactColumns(c, from, to)] });
  }

  addMerged(runs: ViewColumns[]): void {
    this.flushItems();
    this.post({ logColumns: runs.map((c) => compactColumns(c, 0, c.n)) });
  }

  flushItems(): void {
    if (this.items.length === 0) return;
    this.post({ logItems: this.items });
    this.items = [];
  }
}

const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * Builds a dataset (buildDataset of build.ts, the same rows and bytes) in a worker thread. The worker starts
 * first; `load` opens the worker's log once (`open`, before any other call) and writes the log into it as it would
 * into an EventLogBuilder: the catalogue, then the views in time order. Every call is posted to the worker as it
 * is made, so the worker assembles the log while `load` reads on; the build starts when `load` resolves.
 * `shows` restricts the held-out part as `exploredViews` does.
 */
export function buildInWorker(load: (open: OpenLog) => Promise<void>, spec: BuildSpec, sinks: EncodedSinks, shows?: ExploredShow[]): Promise<BuiltMeta> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'build-worker-entry.js'), { workerData: { datasetBuildWorker: true } });
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      void w.terminate();
      reject(err);
    };
    const post = (m: ToWorker) => {
      if (!settled) w.postMessage(m);
    };
    let log: WorkerLog | undefined;
    const open: OpenLog = (dim, capacity) => {
      if (log) throw new Error('buildInWorker: the log was opened twice; a build reads one log');
      post({ logOpen: { dim, capacity } });
      return (log = new WorkerLog(post));
    };
    load(open).then(() => {
      if (!log) throw new Error('buildInWorker: load resolved without opening the log');
      log.flushItems();
      post({ datasetBuild: { spec, ...(shows ? { shows } : {}) } });
    }).catch(fail);
    // Stores run one at a time in the order the worker sent them (none once the build failed); each stored shard
    // returns a credit.
    let chain: Promise<void> = Promise.resolve();
    w.on('message', (m: FromWorker) => {
      if ('shard' in m) {
        const { split, bytes, rows, sha256 } = m.shard;
        // Once stored, the shard's memory goes back to the worker for a later shard (new 25 MB buffers for every
        // shard made the garbage collector run for a third of the build's time).
        chain = chain.then(async () => {
          if (settled) return;
          await sinks.shard(split, asBuffer(bytes), rows, sha256);
          w.postMessage({ credit: bytes.buffer }, [bytes.buffer as ArrayBuffer]);
        });
        chain.catch(fail);
      } else if ('itemDay' in m) {
        const { day, bytes, items } = m.itemDay;
        chain = chain.then(async () => {
          if (!settled) await sinks.itemDay(day, asBuffer(bytes), items);
        });
        chain.catch(fail);
      } else if ('progress' in m) {
        sinks.progress?.(m.progress[0], m.progress[1]);
      } else if ('done' in m) {
        const meta = m.done;
        chain.then(() => {
          if (settled) return;
          settled = true;
          void w.terminate();
          resolve(meta);
        }, fail);
      } else {
        fail(new Error(m.error));
      }
    });
    w.once('error', fail);
    w.once('exit', (code) => fail(new Error(`the dataset build worker exited with code ${code}`)));
  });
}

/** The worker's side: assembles the log from the messages, then runs the build, handing each shard's bytes over as soon as it is full. */
function serveInWorker(): void {
  const port = parentPort!;
  let builder: EventLogBuilder | undefined;
  let credit: ((buf: ArrayBuffer) => void) | undefined;
  const fail = (err: unknown) => port.postMessage({ error: (err as Error).message });
  port.on('message', (m: ToWorker) => {
    try {
      if ('credit' in m) credit?.(m.credit);
      else if ('logOpen' in m) builder = new EventLogBuilder(m.logOpen.dim, m.logOpen.capacity);
      else if ('logItems' in m) for (const it of m.logItems) builder!.addItem(it);
      else if ('logColumns' in m) {
        if (m.logColumns.length === 1) builder!.addColumns(m.logColumns[0]);
        else builder!.addMerged(m.logColumns);
      } else if ('datasetBuild' in m) {
        const log = builder!.finish();
        builder = undefined;
        runInWorker(log, m.datasetBuild.spec, m.datasetBuild.shows, (give) => { credit = give; }).catch(fail);
      }
    } catch (err) {
      fail(err);
    }
  });
}

/** Runs the build over the assembled log; `onCredit` registers what to do with each shard's memory handed back. */
async function runInWorker(log: EventLog, spec: BuildSpec, shows: ExploredShow[] | undefined, onCredit: (give: (buf: ArrayBuffer) => void) => void): Promise<void> {
  const port = parentPort!;
  let credits = IN_FLIGHT;
  let wake: (() => void) | undefined;
  const spare: ArrayBuffer[] = [];
  onCredit((buf) => {
    spare.push(buf);
    credits++;
    wake?.();
  });
  const waitCredit = async () => {
    while (credits === 0) await new Promise<void>((r) => { wake = r; });
    credits--;
  };
  let current: ShardInPlace | undefined;
  const layout = layoutFor(log.items.dim);
  const meta = await buildDataset(log, spec, {
    rows: (n, rowLayout) => (current = allocShard(n, rowLayout, spare.pop())),
    shard: async (split, batch, facts) => {
      // A full shard was written in place; a shorter one (the end of a part) is encoded from its slice.
      const bytes = current && batch === current.batch ? current.buf : encodeShard(batch, facts, layout);
      // Hashed here, so the thread that stores the shard spends nothing on it but the write.
      const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
      await waitCredit();
      port.postMessage({ shard: { split, bytes, rows: batch.n, sha256 } }, [bytes.buffer as ArrayBuffer]);
    },
    itemDay: async (header, inputs) => {
      const bytes = encodeItemDay(inputs, header);
      port.postMessage({ itemDay: { day: header.day, bytes, items: inputs.n } }, [bytes.buffer as ArrayBuffer]);
    },
  }, (done, total) => port.postMessage({ progress: [done, total] }), shows ? exploredViews(shows) : undefined);
  port.postMessage({ done: meta });
}

if (!isMainThread && parentPort && (workerData as { datasetBuildWorker?: boolean } | null)?.datasetBuildWorker) serveInWorker();
