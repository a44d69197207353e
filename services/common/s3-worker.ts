// The embedded S3 server's thread: s3rver runs here, in a worker thread of the process that embeds it, so that
// hashing, parsing and writing the objects a bulk load or a build stores never take the main thread's time (about
// 0.3 CPU s per million imported views, more for a build's shards). The worker answers the parent's messages:
// { start } with { ready } or { error }, { close } with { closed }.
import { parentPort, workerData } from 'node:worker_threads';

/** What the parent sends: the server's options once, then close. */
export type S3WorkerRequest = { close: true };
/** What the worker answers. */
export type S3WorkerReply = { ready: true } | { error: string } | { closed: true };

/** The worker's start data: where s3rver listens and keeps its objects, and the bucket it creates. */
export interface S3WorkerData {
  embeddedS3: { port: number; directory: string; bucket: string };
}

const data = (workerData as Partial<S3WorkerData> | null)?.embeddedS3;
if (parentPort && data) {
  const port = parentPort;
  // s3rver is loaded only in this thread: a cluster (S3_ENDPOINT set) never starts it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver');
  const server = new S3rver({ port: data.port, address: '127.0.0.1', directory: data.directory, silent: true, configureBuckets: [{ name: data.bucket }] });
  server.run().then(
    () => port.postMessage({ ready: true } satisfies S3WorkerReply),
    (err: Error) => port.postMessage({ error: err.message } satisfies S3WorkerReply),
  );
  port.on('message', (m: S3WorkerRequest) => {
    if (!m.close) return;
    server.close().then(
      () => port.postMessage({ closed: true } satisfies S3WorkerReply),
      (err: Error) => port.postMessage({ error: err.message } satisfies S3WorkerReply),
    );
  });
}
