// The EvaluationService of `modelops serve`: thin handlers over the evaluation service layer (service.ts).
// Decode -> service layer -> encode.
import { loadProtos } from '../../proto/load';
import type { EvaluationServiceHandlers } from '../../proto/gen/modelops/v1/EvaluationService';
import type { Evaluation as EvaluationMsg } from '../../proto/gen/modelops/v1/Evaluation';
import type { EvaluationState } from '../../proto/gen/modelops/v1/EvaluationState';
import { serverStream, unary } from '../common/rpc';
import { decodePageToken, pageOf, pageSize } from '../common/paging';
import type { ServiceFactory } from '../common/context';
import { Evaluations } from './service';
import type { EvaluationView, Protocol } from './evaluation-record';
import type { ExportEvaluationScoresResponse } from '../../proto/gen/modelops/v1/ExportEvaluationScoresResponse';
import { toTimestamp as timestamp } from '../common/timestamp';
import { provenanceMsg } from '../common/provenance';

const STATES: Record<string, EvaluationState> = {
  pending: 'EVALUATION_STATE_PENDING', running: 'EVALUATION_STATE_RUNNING', succeeded: 'EVALUATION_STATE_SUCCEEDED', failed: 'EVALUATION_STATE_FAILED',
  cancelled: 'EVALUATION_STATE_CANCELLED',
};

const PROTOCOLS: Record<string, Protocol | undefined> = {
  EVALUATION_PROTOCOL_VIEWED: 'viewed', EVALUATION_PROTOCOL_CATALOG: 'catalog', EVALUATION_PROTOCOL_BOTH: 'both',
};

/** Bytes per ExportEvaluationScores message. */
const EXPORT_CHUNK = 1024 * 1024;

/** Encodes an evaluation; `withReport` false leaves report_json empty (listings). */
function evaluationMsg(e: EvaluationView, withReport: boolean): EvaluationMsg {
  return {
    name: `models/${e.model}/evaluations/${e.id}`, id: e.id, model: e.model,
    candidate_version: e.params.candidateName, candidate_number: e.candidate,
    baseline_version: e.params.baselineName, baseline_number: e.baseline ?? 0,
    dataset_id: e.datasetId, target: e.target, state: STATES[e.state] ?? 'EVALUATION_STATE_UNSPECIFIED',
    progress: e.progress ?? 0, phase: e.params.phase, error: e.error ?? '',
    report_json: withReport && e.report ? JSON.stringify(e.report) : '',
    ks: e.params.ks, bootstrap_resamples: e.params.resamples, created_by: e.createdBy,
    create_time: timestamp(e.createTime), update_time: timestamp(e.updateTime),
    protocol: e.params.protocol, kept_scores: Object.keys(e.params.exports ?? {}).join(','),
    group: e.params.group ?? '', baseline_group: e.params.baselineGroup ?? '', member_evaluations: e.params.members ?? [],
    provenance: provenanceMsg(e.params.provenance),
  };
}

/** Drops undefined values (null metrics) from a metric map: proto maps of double cannot hold null. */
function doubles(m: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

/** Builds the EvaluationService: its handlers, the role of each RPC, and its background work (start/close). */
export const create: ServiceFactory = (ctx) => {
  const env = { log: ctx.log, metrics: ctx.metrics };
  const registry = ctx.registry;
  const evaluations = new Evaluations(registry, ctx.artifacts, ctx.log);
  const retention = ctx.retention;

  const handlers: EvaluationServiceHandlers = {
    CreateEvaluation: unary(env, 'CreateEvaluation', async (req, call) => {
      const e = await evaluations.create({
        model: req.model.replace(/^models\//, ''), version: req.version, baseline: req.baseline, datasetId: req.dataset_id,
        target: req.target, ks: req.ks, resamples: req.bootstrap_resamples,
        protocol: PROTOCOLS[req.protocol] ?? 'both', keepScores: PROTOCOLS[req.keep_scores] ?? 'viewed',
        group: req.group, baselineGroup: req.baseline_group,
      }, call.principal.actor);
      return { evaluation: evaluationMsg(e, false) };
    }),
    GetEvaluation: unary(env, 'GetEvaluation', async (req) => ({ evaluation: evaluationMsg(await evaluations.get(req.name), true) })),
    ListEvaluations: unary(env, 'ListEvaluations', async (req) => {
      const model = req.model.replace(/^models\//, '');
      const size = pageSize(req.page_size);
      const scope = `evaluations:${model}:${req.version}`;
      const after = decodePageToken(req.page_token, scope) as [string, string] | undefined;
      const rows = await evaluations.list(model, req.version, { after, limit: size + 1 });
      const page = pageOf(rows, size, (e) => [e.createTime!.toISOString(), e.id], scope);
      return { evaluations: page.items.map((e) => evaluationMsg(e, false)), next_page_token: page.nextPageToken };
    }),
    CompareVersions: unary(env, 'CompareVersions', async (req) => {
      const c = await evaluations.compare(req.model.replace(/^models\//, ''), req.versions, req.dataset_id, req.target);
      return {
        dataset_id: c.datasetId, target: c.target, metrics: c.metrics,
        versions: c.versions.map((v) => ({
          version: v.version.name, number: v.version.number, evaluation_id: v.evaluationId, as_candidate: v.asCandidate,
          overall: doubles(v.overall), by_day: Object.entries(v.byDay).map(([day, m]) => ({ day, metrics: doubles(m) })),
        })),
      };
    }),
    CancelEvaluation: unary(env, 'CancelEvaluation', async (req, call) => ({ evaluation: evaluationMsg(await evaluations.cancel(req.name, call.principal.actor), false) })),
    DeleteEvaluation: unary(env, 'DeleteEvaluation', async (req, call) => {
      const e = await evaluations.get(req.name);
      const d = await retention.deleteEvaluation({ id: e.id, actor: call.principal.actor, reason: req.reason, dryRun: req.dry_run });
      return { evaluation: evaluationMsg(e, false), object_keys: d.objectKeys, object_bytes: d.objectBytes, dry_run: d.dryRun, objects_left: d.objectsLeft };
    }),
    ExportEvaluationScores: serverStream(env, 'ExportEvaluationScores', async (req, send: (m: ExportEvaluationScoresResponse) => Promise<void>, call) => {
      const kept = await evaluations.keptScores(req.name, PROTOCOLS[req.protocol] ?? 'viewed');
      await send({ rows: String(kept.rows), size_bytes: String(kept.bytes), data: Buffer.from(kept.header, 'utf8') });
      for (const part of kept.parts) {
        if (call.cancelled()) return;
        const data = await evaluations.readPart(part);
        for (let off = 0; off < data.length; off += EXPORT_CHUNK) await send({ data: data.subarray(off, off + EXPORT_CHUNK) });
      }
    }),
  };
  return {
    definition: loadProtos().v1.EvaluationService.service,
    handlers,
    roles: {
      CreateEvaluation: 'operator', GetEvaluation: 'reader', ListEvaluations: 'reader', CompareVersions: 'reader',
      CancelEvaluation: 'operator', ExportEvaluationScores: 'reader',
      // Deleting removes results for good (only the audit log remains), so it is an admin's, like tokens and gates.
      DeleteEvaluation: 'admin',
    },
    async start() { evaluations.start(); },
    async close() { await evaluations.close(); },
  };
};
