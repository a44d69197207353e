// The metric computation of the viewed protocol, in a worker thread: ranking and the paired bootstraps (against
// the baseline and each sanity baseline) are CPU-bound for seconds on large test parts, and the server's event
// loop must keep answering Score and other RPCs.
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { listSetOf, rowSpecs, tablesOf, type EvalRows, type EvaluateOptions } from '../../ml/metrics/evaluate';
import { protocolReport, type ProtocolReport } from '../../ml/metrics/protocol-report';
import type { SanityName } from '../../ml/metrics/sanity';

/** What the worker receives: the rows, each scorer's scores of them, and the report options. */
export interface ViewedJob {
  rows: EvalRows;
  candidate: Float64Array;
  baseline: Float64Array | null;
  sanity: Partial<Record<SanityName, Float64Array>>;
  opts: EvaluateOptions;
}

/** The viewed protocol's report of a job (what the worker runs; exported for tests and `metrics compute`). */
export function viewedReport(job: ViewedJob): ProtocolReport {
  const ls = listSetOf(job.rows, rowSpecs(job.rows, job.opts.ks));
  const t = (s: Float64Array) => tablesOf(job.rows, ls, s);
  const sanity = Object.fromEntries(Object.entries(job.sanity).map(([k, s]) => [k, t(s!)]));
  return protocolReport(ls, t(job.candidate), job.baseline ? t(job.baseline) : null, sanity, job.opts);
}

/** Runs viewedReport in a worker thread; `signal` terminates the worker (a cancelled evaluation). */
export function evaluateInWorker(job: ViewedJob, signal?: AbortSignal): Promise<ProtocolReport> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'metrics-worker-entry.js'), { workerData: { evaluationJob: job } });
    let settled = false;
    const onAbort = () => { if (!settled) { settled = true; void w.terminate(); reject(signal!.reason); } };
    signal?.addEventListener('abort', onAbort, { once: true });
    w.once('message', (m: { report?: ProtocolReport; error?: string }) => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (m.error) reject(new Error(m.error));
      else resolve(m.report!);
    });
    w.once('error', (err) => { settled = true; reject(err); });
    w.once('exit', (code) => { if (!settled) reject(new Error(`the metric worker exited with code ${code}`)); });
  });
}

if (!isMainThread && parentPort && (workerData as { evaluationJob?: ViewedJob } | null)?.evaluationJob) {
  const job = (workerData as { evaluationJob: ViewedJob }).evaluationJob;
  try {
    parentPort.postMessage({ report: viewedReport(job) });
  } catch (err) {
    parentPort.postMessage({ error: (err as Error).message });
  }
}
