// ExperimentService: stores experiments (specification, progress row by row, report and plots). The work runs in
// the client that created the experiment (`modelops experiment run`), which records its progress here.
import { loadProtos } from '../../proto/load';
import type { ExperimentServiceHandlers } from '../../proto/gen/modelops/v1/ExperimentService';
import type { Experiment as ExperimentMsg } from '../../proto/gen/modelops/v1/Experiment';
import type { ExperimentRow } from '../../proto/gen/modelops/v1/ExperimentRow';
import type { ExperimentRow__Output } from '../../proto/gen/modelops/v1/ExperimentRow';
import type { ExperimentState as StateEnum } from '../../proto/gen/modelops/v1/ExperimentState';
import { invalid } from '../../core/errors';
import { unary } from '../common/rpc';
import { decodePageToken, pageOf, pageSize } from '../common/paging';
import type { ServiceFactory } from '../common/context';
import { toTimestamp } from '../common/timestamp';
import { ExperimentStore, type Experiment, type ExperimentState } from '../../registry/experiment-store';
import type { ExperimentRowRecord } from '../../registry/entities/experiment.entity';
import type { Provenance__Output } from '../../proto/gen/modelops/v1/Provenance';
import type { Provenance } from '../../core/provenance';
import { provenanceMsg } from '../common/provenance';

const STATE_TO_ENUM: Record<ExperimentState, StateEnum> = {
  running: 'EXPERIMENT_STATE_RUNNING', succeeded: 'EXPERIMENT_STATE_SUCCEEDED', failed: 'EXPERIMENT_STATE_FAILED',
};

/** The experiment id in `experiments/{id}` or a bare id. */
export function parseExperimentName(name: string): string {
  const id = (name ?? '').replace(/^experiments\//, '');
  if (!id) throw invalid('name: give the experiment id or experiments/{id}');
  return id;
}

function rowMsg(r: ExperimentRowRecord): ExperimentRow {
  return { name: r.name, state: r.state, detail: r.detail, dataset_ids: r.datasetIds, versions: r.versions,
    evaluation_ids: r.evaluationIds, training_seconds: r.trainingSeconds };
}

function rowRecord(r: ExperimentRow__Output): ExperimentRowRecord {
  return { name: r.name, state: r.state, detail: r.detail, datasetIds: r.dataset_ids, versions: r.versions,
    evaluationIds: r.evaluation_ids, trainingSeconds: r.training_seconds.map(Number) };
}

function toMsg(e: Experiment, full: boolean): ExperimentMsg {
  return {
    name: `experiments/${e.id}`, id: e.id, title: e.title, spec_json: e.specJson, spec_sha256: e.specSha256, state: STATE_TO_ENUM[e.state],
    progress: e.progress, phase: e.phase, rows: e.rows.map(rowMsg), report_json: full ? e.reportJson : '', report_markdown: full ? e.reportMarkdown : '',
    plots: full ? e.plots : {}, error: e.error, code_version: e.codeVersion, created_by: e.createdBy,
    create_time: toTimestamp(e.createTime), update_time: toTimestamp(e.updateTime), provenance: provenanceMsg(e.provenance),
  };
}

/** A runner's provenance as stored (the specification parsed back into an object); undefined when not given. */
function provenanceOf(p: Provenance__Output | null | undefined): Provenance | undefined {
  if (!p) return undefined;
  let spec: unknown = null;
  if (p.spec_json) {
    try {
      spec = JSON.parse(p.spec_json);
    } catch (err) {
      throw invalid(`provenance.spec_json: not JSON (${(err as Error).message})`);
    }
  }
  return { code_version: p.code_version, git_commit: p.git_commit, git_dirty: p.git_dirty, dataset_ids: p.dataset_ids, seeds: p.seeds.map(Number), spec };
}

function stateOf(value: string): ExperimentState | undefined {
  if (value === 'EXPERIMENT_STATE_UNSPECIFIED' || !value) return undefined;
  const found = (Object.keys(STATE_TO_ENUM) as ExperimentState[]).find((s) => STATE_TO_ENUM[s] === value);
  if (!found) throw invalid(`state: "${value}" is not one of ${Object.values(STATE_TO_ENUM).join(', ')}`);
  return found;
}

export const create: ServiceFactory = (ctx) => {
  const env = { log: ctx.log, metrics: ctx.metrics };
  const store = new ExperimentStore(ctx.db.dataSource);
  const handlers: ExperimentServiceHandlers = {
    CreateExperiment: unary(env, 'CreateExperiment', async (req, call) => {
      const { experiment, existing } = await store.create({ title: req.title, specJson: req.spec_json, rowNames: req.row_names,
        codeVersion: req.code_version, provenance: provenanceOf(req.provenance), createdBy: call.principal.actor });
      return { experiment: toMsg(experiment, true), existing };
    }),
    GetExperiment: unary(env, 'GetExperiment', async (req) => ({ experiment: toMsg(await store.get(parseExperimentName(req.name)), true) })),
    ListExperiments: unary(env, 'ListExperiments', async (req) => {
      const size = pageSize(req.page_size);
      const scope = 'experiments';
      const key = decodePageToken(req.page_token, scope) as [string, string] | undefined;
      const rows = await store.list({ after: key, limit: size + 1 });
      const page = pageOf(rows, size, (e) => [e.createTime.toISOString(), e.id], scope);
      return { experiments: page.items.map((e) => toMsg(e, false)), next_page_token: page.nextPageToken };
    }),
    UpdateExperiment: unary(env, 'UpdateExperiment', async (req) => {
      const plots = Object.keys(req.plots).length ? req.plots : undefined;
      const e = await store.update(parseExperimentName(req.name), {
        state: stateOf(req.state), progress: req.progress ?? undefined, phase: req.phase ?? undefined, rows: req.rows.map(rowRecord),
        reportJson: req.report_json ?? undefined, reportMarkdown: req.report_markdown ?? undefined, plots, error: req.error ?? undefined,
        codeVersion: req.code_version ?? undefined, provenance: provenanceOf(req.provenance),
      });
      return { experiment: toMsg(e, false) };
    }),
  };
  return {
    definition: loadProtos().v1.ExperimentService.service,
    handlers,
    roles: { CreateExperiment: 'operator', GetExperiment: 'reader', ListExperiments: 'reader', UpdateExperiment: 'operator' },
  };
};
