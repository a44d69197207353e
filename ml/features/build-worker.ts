// The dataset build in a worker thread: the one-pass engine fills each shard in place (allocShard) and hands its
// bytes over (transferred, not copied) while the calling thread stores the previous ones, so the feature pass and
// the writes to the object store run on two cores, and the server's event loop keeps answering meanwhile.
// At most IN_FLIGHT shards wait for the caller at a time, so memory stays bounded by a few shards.
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { EventLog } from '../data/events';
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
   * Stores one encoded shard (in time order) with its SHA-256 (hex); the next is handed over only once enough
   * earlier ones resolved.
   * The bytes go back to the worker for a later shard once the promise resolves: keep no reference to them.
   */
  shard(split: ShardRef['split'], bytes: Buffer, rows: number, sha256: string): Promise<void>;
  /** Stores one test day's encoded item inputs (item-day.ts), in day order. */
  itemDay(day: number, bytes: Buffer, items: number): Promise<void>;
  progress?(rowsDone: number, rowsTotal: number): void;
}

interface WorkerInput {
  datasetBuild: { log: EventLog; spec: BuildSpec; shows?: ExploredShow[] };
}

type FromWorker =
  | { shard: { split: ShardRef['split']; bytes: Uint8Array; rows: number } }
  | { itemDay: { day: number; bytes: Uint8Array; items: number } }
  | { progress: [number, number] }
  | { done: BuiltMeta }
  | { error: string };

/** The distinct ArrayBuffers under a log's columns, to transfer to the worker instead of copying them. */
function logBuffers(log: EventLog): ArrayBuffer[] {
  const arrays = [log.user, log.item, log.ts, log.lengthS, log.timespentS, log.flags, log.handset,
    log.items.creator, log.items.createdAt, log.items.lengthS, log.items.embedding];
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer);
  return [...out];
}

const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * Builds a dataset (buildDataset of build.ts, the same rows and bytes) in a worker thread. The worker starts
 * first and `load` reads the log meanwhile; the log's columns are then moved to the worker, not copied (the log is
 * unusable afterwards). `shows` restricts the held-out part as `exploredViews` does.
 */
export function buildInWorker(load: () => Promise<EventLog>, spec: BuildSpec, sinks: EncodedSinks, shows?: ExploredShow[]): Promise<BuiltMeta> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'build-worker-entry.js'), { workerData: { datasetBuildWorker: true } });
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      void w.terminate();
      reject(err);
    };
    load().then((log) => {
      if (settled) return;
      const input: WorkerInput = { datasetBuild: { log, spec, ...(shows ? { shows } : {}) } };
      w.postMessage(input, logBuffers(log));
    }).catch(fail);
    // Stores run one at a time in the order the worker sent them (none once the build failed); each stored shard
    // returns a credit.
    let chain: Promise<void> = Promise.resolve();
    w.on('message', (m: FromWorker) => {
      if ('shard' in m) {
        const { split, bytes, rows } = m.shard;
        // The SHA-256 is computed on libuv's thread pool (WebCrypto's digest), started as the shard arrives: the
        // worker's pass is the build's longest thread and spent a tenth of its time hashing, and this thread's
        // event loop stays free.
        const digest = crypto.subtle.digest('SHA-256', bytes);
        digest.catch(() => undefined);
        // Once stored, the shard's memory goes back to the worker for a later shard (new 25 MB buffers for every
        // shard made the garbage collector run for a third of the build's time).
        chain = chain.then(async () => {
          if (settled) return;
          const sha256 = Buffer.from(await digest).toString('hex');
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

/** The worker's side: runs the build, handing each shard's bytes over as soon as it is full. */
async function runInWorker(input: WorkerInput['datasetBuild']): Promise<void> {
  const port = parentPort!;
  let credits = IN_FLIGHT;
  let wake: (() => void) | undefined;
  const spare: ArrayBuffer[] = [];
  port.on('message', (m: { credit?: ArrayBuffer }) => {
    if (!m.credit) return;
    spare.push(m.credit);
    credits++;
    wake?.();
  });
  const waitCredit = async () => {
    while (credits === 0) await new Promise<void>((r) => { wake = r; });
    credits--;
  };
  let current: ShardInPlace | undefined;
  const layout = layoutFor(input.log.items.dim);
  const meta = await buildDataset(input.log, input.spec, {
    rows: (n, rowLayout) => (current = allocShard(n, rowLayout, spare.pop())),
    shard: async (split, batch, facts) => {
      // A full shard was written in place; a shorter one (the end of a part) is encoded from its slice.
      const bytes = current && batch === current.batch ? current.buf : encodeShard(batch, facts, layout);
      await waitCredit();
      port.postMessage({ shard: { split, bytes, rows: batch.n } }, [bytes.buffer as ArrayBuffer]);
    },
    itemDay: async (header, inputs) => {
      const bytes = encodeItemDay(inputs, header);
      port.postMessage({ itemDay: { day: header.day, bytes, items: inputs.n } }, [bytes.buffer as ArrayBuffer]);
    },
  }, (done, total) => port.postMessage({ progress: [done, total] }), input.shows ? exploredViews(input.shows) : undefined);
  port.postMessage({ done: meta });
}

if (!isMainThread && parentPort && (workerData as { datasetBuildWorker?: boolean } | null)?.datasetBuildWorker) {
  const port = parentPort;
  port.once('message', (m: WorkerInput) => {
    runInWorker(m.datasetBuild).catch((err: unknown) => port.postMessage({ error: (err as Error).message }));
  });
}
