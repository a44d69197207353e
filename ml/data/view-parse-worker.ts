// The views.csv byte parser (modelops-bytes.ts) in a worker thread: an import's main thread forwards the streamed
// (gzip) bytes and adds the parsed columns to its writer, while the worker inflates and parses beside it, on
// another core. The worker's ids are its own dictionaries' (in the order first seen); each batch carries the strings
// first seen in it, which the main thread adds to the sink's dictionaries, in that order, before the batch's rows:
// every dictionary sees its strings in the order parseViewBytes on the main thread would add them, and the sink
// receives the same views in the same order, so the stored files are the same bytes.
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { bytesOf } from './csv';
import { Vocab } from './events';
import { MAX_REJECTION_EXAMPLES, newCounts, type ImportCounts } from './kuairand';
import { parseViewBytes, type ViewSink } from './modelops-bytes';
import type { IdColumns } from './view-run';

/** Views per batch the worker hands over (about 1.4 MB of columns). */
const BATCH_ROWS = 32_768;
/** Batches handed over that the main thread has not added yet, beyond which the worker waits. */
const BATCHES_IN_FLIGHT = 2;
/** Streamed bytes forwarded to the worker and not yet read by it, beyond which the main thread stops reading. */
const BYTES_IN_FLIGHT = 2 << 20;

/** Parsed views with the worker's dictionary ids, and the strings each dictionary first saw in this batch. */
interface Batch extends IdColumns {
  lengthS: Float64Array;
  timespentS: Float64Array;
  affinity: Float64Array;
  /** New strings of the users, items, creators, languages and handsets dictionaries, in id order. */
  fresh: string[][];
}

/** What starts a worker: the file's name and market language (parseViewBytes' options), and the batch size. */
interface Start { file: string; language: string; batchRows: number }

type ToWorker = { chunk: Uint8Array } | { end: true } | { added: true };

type FromWorker =
  | { batch: Batch }
  | { read: number }
  | { done: ImportCounts }
  | { error: { message: string; code?: string } };

function newBatch(cap: number): Batch {
  return {
    n: 0, user: new Int32Array(cap), item: new Int32Array(cap), creator: new Int32Array(cap), language: new Int32Array(cap),
    handset: new Int32Array(cap), ts: new Float64Array(cap), lengthS: new Float64Array(cap), timespentS: new Float64Array(cap),
    flags: new Uint8Array(cap), affinity: new Float64Array(cap), fresh: [],
  };
}

const columnsOf = (b: Batch) => [b.user, b.item, b.creator, b.language, b.handset, b.ts, b.lengthS, b.timespentS, b.flags, b.affinity];

/**
 * parseViewBytes over a views.csv stream (gzip or not: the worker inflates it) in a worker thread, into `sink`:
 * the same rows, values, dictionary order, rejections and counts (added to `tally` when the file ends), and the
 * same errors (a bad header, a corrupt gzip stream). The sink's `addIds` promises are awaited as parseViewBytes
 * awaits them; the worker stays at most a few batches ahead. `batchRows` is for tests (batches of a few views).
 */
export function parseViewsOffThread(raw: AsyncIterable<Buffer>, opts: { file: string; language: string; batchRows?: number }, tally: ImportCounts,
  sink: ViewSink): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const start: Start = { file: opts.file, language: opts.language, batchRows: opts.batchRows ?? BATCH_ROWS };
    const w = new Worker(path.join(__dirname, 'view-parse-worker-entry.js'), { workerData: { viewParseWorker: start } });
    const vocabs = [sink.users, sink.items, sink.creators, sink.languages, sink.handsets];
    // The sink's id of each of the worker's ids, per dictionary.
    const ids: number[][] = vocabs.map(() => []);
    let settled = false;
    let unread = 0;
    let readMore: (() => void) | undefined;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      readMore?.();
      void w.terminate();
      reject(err);
    };
    const add = async (b: Batch) => {
      b.fresh.forEach((strings, d) => { for (const s of strings) ids[d].push(vocabs[d].add(s)); });
      const [u, i, c, l, h] = ids;
      for (let k = 0; k < b.n; k++) {
        const wait = sink.addIds(u[b.user[k]], i[b.item[k]], c[b.creator[k]], l[b.language[k]], h[b.handset[k]], b.ts[k], b.lengthS[k],
          b.timespentS[k], b.flags[k], b.affinity[k]);
        if (wait) await wait;
        if (settled) return;
      }
    };
    // Batches are added one at a time, in order; the end (or an error) takes effect after the batches before it,
    // as it would on the main thread.
    let chain = Promise.resolve();
    w.on('message', (m: FromWorker) => {
      if ('read' in m) {
        unread -= m.read;
        if (unread < BYTES_IN_FLIGHT) readMore?.();
      } else if ('batch' in m) {
        chain = chain.then(async () => {
          if (settled) return;
          await add(m.batch);
          if (!settled) w.postMessage({ added: true } satisfies ToWorker);
        });
        chain.catch(fail);
      } else if ('done' in m) {
        chain.then(() => {
          if (settled) return;
          for (const [k, v] of Object.entries(m.done.counts)) tally.counts[k] = (tally.counts[k] ?? 0) + v;
          for (const r of m.done.rejections) if (tally.rejections.length < MAX_REJECTION_EXAMPLES) tally.rejections.push(r);
          settled = true;
          void w.terminate();
          resolve();
        }, fail);
      } else {
        const { message, code } = m.error;
        chain.then(() => fail(Object.assign(new Error(message), code === undefined ? {} : { code })), fail);
      }
    });
    w.once('error', fail);
    w.once('exit', (code) => fail(new Error(`the views parse worker exited with code ${code}`)));
    (async () => {
      for await (const chunk of raw) {
        if (settled) return;
        // A copy of its own, transferred: a received chunk may be a view of a larger pooled buffer.
        const own = new Uint8Array(chunk);
        unread += own.byteLength;
        w.postMessage({ chunk: own } satisfies ToWorker, [own.buffer]);
        if (unread >= BYTES_IN_FLIGHT) await new Promise<void>((r) => { readMore = r; });
        readMore = undefined;
      }
      if (!settled) w.postMessage({ end: true } satisfies ToWorker);
    })().catch(fail);
  });
}

/** The worker's sink: views into the current batch, handed over when full; waits while too many are unadded. */
class BatchSink implements ViewSink {
  readonly users = new Vocab();
  readonly items = new Vocab();
  readonly creators = new Vocab();
  readonly languages = new Vocab();
  readonly handsets = new Vocab();
  private readonly sentStrings = [0, 0, 0, 0, 0];
  private batch: Batch;
  private unadded = 0;
  private added?: () => void;

  constructor(private readonly rows: number, private readonly post: (m: FromWorker, transfer: ArrayBuffer[]) => void) {
    this.batch = newBatch(rows);
  }

  addIds(user: number, item: number, creator: number, language: number, handset: number, ts: number, lengthS: number,
    timespentS: number, flags: number, affinity: number): Promise<void> | undefined {
    const b = this.batch;
    const k = b.n++;
    b.user[k] = user; b.item[k] = item; b.creator[k] = creator; b.language[k] = language; b.handset[k] = handset;
    b.ts[k] = ts; b.lengthS[k] = lengthS; b.timespentS[k] = timespentS; b.flags[k] = flags; b.affinity[k] = affinity;
    return b.n === this.rows ? this.handOver() : undefined;
  }

  /** Hands the current batch over (if it holds views); the promise resolves once the main thread has room again. */
  handOver(): Promise<void> | undefined {
    const b = this.batch;
    if (b.n === 0) return undefined;
    b.fresh = [this.users, this.items, this.creators, this.languages, this.handsets].map((v, d) => {
      const strings = v.ids.slice(this.sentStrings[d]);
      this.sentStrings[d] = v.size;
      return strings;
    });
    this.post({ batch: b }, columnsOf(b).map((a) => a.buffer as ArrayBuffer));
    this.batch = newBatch(this.rows);
    if (++this.unadded < BATCHES_IN_FLIGHT) return undefined;
    return new Promise<void>((r) => { this.added = r; });
  }

  /** The main thread added a batch. */
  onAdded(): void {
    this.unadded--;
    const go = this.added;
    this.added = undefined;
    go?.();
  }
}

/** The worker's side: the forwarded bytes, inflated and parsed into batches. */
function serveInWorker(start: Start): void {
  const port = parentPort!;
  const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const sink = new BatchSink(start.batchRows, post);
  const queue: Uint8Array[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  port.on('message', (m: ToWorker) => {
    if ('chunk' in m) queue.push(m.chunk);
    else if ('end' in m) ended = true;
    else sink.onAdded();
    const go = wake;
    wake = undefined;
    go?.();
  });
  async function* received(): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        post({ read: chunk.byteLength });
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      } else if (ended) {
        return;
      } else {
        await new Promise<void>((r) => { wake = r; });
      }
    }
  }
  const tally = newCounts();
  parseViewBytes(bytesOf(received()), { file: start.file, language: start.language }, tally, sink).then(
    () => {
      void sink.handOver();
      post({ done: tally });
    },
    (err: Error & { code?: unknown }) => {
      // The views parsed before the error reach the sink first, as they would on the main thread.
      void sink.handOver();
      post({ error: { message: err.message, ...(typeof err.code === 'string' ? { code: err.code } : {}) } });
    },
  );
}

if (!isMainThread && parentPort && (workerData as { viewParseWorker?: Start } | null)?.viewParseWorker) {
  serveInWorker((workerData as { viewParseWorker: Start }).viewParseWorker);
}
