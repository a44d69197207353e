// The metric computation of an evaluation, in a worker thread: evaluateRanking is CPU-bound for seconds on large
// held-out sets (the paired bootstrap), and the server's event loop must keep answering Score and other RPCs.
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { evaluateRanking, type EvalRows, type EvaluateOptions, type EvaluationReport } from '../../ml/metrics/evaluate';

/** What the worker receives. */
interface Job {
  rows: EvalRows;
  candidate: Float64Array;
  baseline: Float64Array | null;
  opts: EvaluateOptions;
}

/** Runs evaluateRanking in a worker thread and resolves with its report. */
export function evaluateInWorker(job: Job): Promise<EvaluationReport> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'metrics-worker-entry.js'), { workerData: { evaluationJob: job } });
    let settled = false;
    w.once('message', (m: { report?: EvaluationReport; error?: string }) => {
      settled = true;
      if (m.error) reject(new Error(m.error));
      else resolve(m.report!);
    });
    w.once('error', (err) => { settled = true; reject(err); });
    w.once('exit', (code) => { if (!settled) reject(new Error(`the metric worker exited with code ${code}`)); });
  });
}

if (!isMainThread && parentPort && (workerData as { evaluationJob?: Job } | null)?.evaluationJob) {
  const job = (workerData as { evaluationJob: Job }).evaluationJob;
  try {
    parentPort.postMessage({ report: evaluateRanking(job.rows, job.candidate, job.baseline, job.opts) });
  } catch (err) {
    parentPort.postMessage({ error: (err as Error).message });
  }
}
