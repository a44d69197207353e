// View files encoded in a worker thread: a bulk load's main thread parses or generates the next views, reads
// the catalogue and computes online rows while its last batches are encoded beside it (on a second core). One
// worker per process, started at the first file and unreferenced while idle, so it never keeps a process alive.
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { encodeViewFile } from './log-file';
import type { ViewRun } from './view-run';

/** Runs below this many views are encoded on the calling thread (copying them to the worker costs more). */
export const WORKER_MIN_ROWS = 16_384;

interface Job { id: number; run: ViewRun }
interface Reply { id: number; bytes?: Uint8Array; error?: string }

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();

function started(): Worker {
  if (worker) return worker;
  const w = new Worker(path.join(__dirname, 'view-file-worker-entry.js'), { workerData: { viewFileWorker: true } });
  w.on('message', (m: Reply) => {
    const job = waiting.get(m.id);
    if (!job) return;
    waiting.delete(m.id);
    if (waiting.size === 0) w.unref();
    if (m.error !== undefined) job.reject(new Error(m.error));
    else job.resolve(m.bytes!);
  });
  const fail = (err: Error) => {
    if (worker === w) worker = undefined;
    for (const job of waiting.values()) job.reject(err);
    waiting.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the view-file worker exited with code ${code}`)));
  w.unref();
  worker = w;
  return w;
}

/**
 * encodeViewFile (ml/data/log-file.ts) in the worker thread: the same bytes. The run is copied to the worker, so
 * the caller keeps it; small runs are encoded here.
 */
export function encodeViewFileOffThread(run: ViewRun): Promise<Uint8Array> {
  if (run.n < WORKER_MIN_ROWS) return encodeViewFile(run);
  const w = started();
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, run } satisfies Job);
  });
}

if (!isMainThread && parentPort && (workerData as { viewFileWorker?: boolean } | null)?.viewFileWorker) {
  const port = parentPort;
  port.on('message', (job: Job) => {
    encodeViewFile(job.run).then(
      // Copied back, not transferred: the bytes may share a pooled buffer.
      (bytes) => port.postMessage({ id: job.id, bytes } satisfies Reply),
      (err: Error) => port.postMessage({ id: job.id, error: err.message } satisfies Reply),
    );
  });
}
