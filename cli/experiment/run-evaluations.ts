// The evaluations of an experiment run: each one of the plan reused when a succeeded one has the same settings,
// else created and waited for; and the kept scores an evaluation exports, for the score-vs-length correlation.
import { clientOf, stream, type Target } from '../client';
import type { EvaluationNeed } from './plan';
import { rpc, sleep } from '../busy-retry';
import { scoreLengthCorrelation } from './correlation';
import { RunFailure, type RunSteps } from './run-state';

const TERMINAL_EVAL = ['EVALUATION_STATE_SUCCEEDED', 'EVALUATION_STATE_FAILED', 'EVALUATION_STATE_CANCELLED'];

/** One evaluation of the plan: a succeeded one with the same settings is reused, else one is run. */
export async function evaluate(s: RunSteps, e: EvaluationNeed, datasetId: string): Promise<{ id: string; report: any }> {
  const { o, counts, step, say, onRetry } = s;
  const { spec, target } = o;
  const grouped = spec.seeds > 1;
  const ks = spec.evaluation.ks;
  const want = (ev: any) => ev.state === 'EVALUATION_STATE_SUCCEEDED' && ev.dataset_id === datasetId && ev.target === e.target &&
    Number(ev.bootstrap_resamples) === spec.evaluation.resamples && (ev.protocol === spec.evaluation.protocol) &&
    ks.every((k) => ev.ks.map(Number).includes(k)) &&
    (grouped ? ev.group === e.row && (ev.baseline_group ?? '') === e.against
      : ev.candidate_version === e.row && !ev.group && ev.baseline_version === e.against);
  let token = '';
  do {
    const res = await rpc<{ evaluations: any[]; next_page_token: string }>(target, 'EvaluationService', 'ListEvaluations', { model: spec.model, version: e.row, page_size: 500, page_token: token });
    const hit = res.evaluations.find(want);
    if (hit) {
      const { evaluation } = await rpc<{ evaluation: any }>(target, 'EvaluationService', 'GetEvaluation', { name: hit.id });
      counts.evaluations_reused++;
      await step(null, `evaluation ${describe(e)}: reusing ${hit.id}`, 1);
      return { id: hit.id, report: JSON.parse(evaluation.report_json) };
    }
    token = res.next_page_token;
  } while (token);
  const protocolEnum = { viewed: 'EVALUATION_PROTOCOL_VIEWED', catalog: 'EVALUATION_PROTOCOL_CATALOG', both: 'EVALUATION_PROTOCOL_BOTH' }[spec.evaluation.protocol];
  const req = {
    model: spec.model, dataset_id: datasetId, target: e.target, ks, bootstrap_resamples: spec.evaluation.resamples, protocol: protocolEnum,
    ...(grouped ? { version: '', group: e.row, ...(e.against ? { baseline_group: e.against } : {}) } : { version: e.row, baseline: e.against }),
  };
  const { evaluation: created } = await rpc<{ evaluation: any }>(target, 'EvaluationService', 'CreateEvaluation', req, onRetry(`evaluation ${describe(e)}`));
  if (grouped && !created.group) {
    throw new RunFailure(`evaluation ${describe(e)}: the server evaluated one version, not the seed group (CreateEvaluationRequest.group): upgrade the server`);
  }
  say(`evaluation ${describe(e)}: running ${created.id}`);
  let lastSaid = Date.now();
  for (;;) {
    const { evaluation: ev } = await rpc<{ evaluation: any }>(target, 'EvaluationService', 'GetEvaluation', { name: created.id });
    if (TERMINAL_EVAL.includes(ev.state)) {
      if (ev.state !== 'EVALUATION_STATE_SUCCEEDED') throw new RunFailure(`evaluation ${describe(e)} (${ev.id}) ${ev.state.replace('EVALUATION_STATE_', '').toLowerCase()}: ${ev.error}`);
      counts.evaluations_run++;
      await step(null, `evaluation ${describe(e)}: ${ev.id} done`, 1);
      return { id: ev.id, report: JSON.parse(ev.report_json) };
    }
    if (Date.now() - lastSaid > 30_000) {
      lastSaid = Date.now();
      say(`evaluation ${describe(e)}: ${ev.phase || ev.state} ${(100 * Number(ev.progress)).toFixed(0)}%`);
    }
    await sleep(1500);
  }
}

/** An evaluation of the plan in words, for progress lines and errors. */
function describe(e: EvaluationNeed): string {
  return `${e.row}${e.against ? ` vs ${e.against}` : ''} on ${e.dataset} (target ${e.target})`;
}

/** Reads the kept viewed-protocol scores of an evaluation and correlates them with video length. */
export async function readCorrelation(target: Target, evaluationId: string) {
  const chunks: Buffer[] = [];
  for await (const m of stream<object, { data: Buffer }>(target, clientOf('EvaluationService', target), 'ExportEvaluationScores', { name: evaluationId, protocol: 'EVALUATION_PROTOCOL_VIEWED' })) {
    if (m.data?.length) chunks.push(Buffer.from(m.data));
  }
  return scoreLengthCorrelation(Buffer.concat(chunks).toString('utf8'));
}
