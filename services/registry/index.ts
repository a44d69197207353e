// The RegistryService of `modelops serve`: thin handlers over the registry stores (registry/registry-store.ts)
// and the promotion policy (services/registry/promotion.ts). Decode -> service layer -> encode.
import { parseModelName } from '../../core/names';
import { loadProtos } from '../../proto/load';
import type { RegistryServiceHandlers } from '../../proto/gen/modelops/v1/RegistryService';
import type { CreateModelVersionRequest__Output } from '../../proto/gen/modelops/v1/CreateModelVersionRequest';
import type { RegisterExternalModelRequest__Output } from '../../proto/gen/modelops/v1/RegisterExternalModelRequest';
import type { DownloadModelVersionResponse } from '../../proto/gen/modelops/v1/DownloadModelVersionResponse';
import { invalid } from '../../core/errors';
import { clientStream, serverStream, unary } from '../common/rpc';
import { readUpload } from '../common/upload';
import { decodePageToken, pageOf, pageSize } from '../common/paging';
import type { ServiceFactory } from '../common/context';
import { checkModelId, checkVersionName } from '../../registry/model-names';
import { Promotions } from './promotion';
import { checkOnnxSignature } from '../../registry/onnx-signature';
import { collectGarbage } from '../../registry/garbage';
import { auditMsg, gateMsg, jsonObject, modelMsg, policyFromMsg, policyMsg, signatureFromMsg, timestamp, versionMsg } from './mapping';

/** The most bytes one registration may upload (files are buffered, then written whole to S3). */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
/** How old a reserved-but-never-stored artifact key must be before the sweep removes it. */
export const ORPHAN_AGE_MS = 6 * 60 * 60 * 1000;
/** The chunk size of downloads. */
const DOWNLOAD_CHUNK = 1024 * 1024;

function modelIdOf(name: string): string {
  return checkModelId(parseModelName(name));
}

function numberMap(m: Record<string, number | string>): Record<string, number> {
  return Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, Number(v)]));
}

/** Builds the RegistryService: its handlers, the role of each RPC, and its background work (start/close). */
export const create: ServiceFactory = (ctx) => {
  const env = { log: ctx.log, metrics: ctx.metrics };
  const store = ctx.registry;
  const promos = new Promotions(store);
  const retention = ctx.retention;

  const modelWithAliases = async (id: string) => modelMsg(await store.getModel(id), await store.listAliases(id));
  // Checked as soon as an upload's header arrives: an unknown model or a bad name fails at once instead of
  // after the files (up to 1 GiB) are buffered; the client's upload stops writing when the server answers.
  const checkUploadHeader = async (h: { model: string; version_name: string }) => {
    await store.getModel(modelIdOf(h.model));
    checkVersionName(h.version_name);
  };

  const handlers: RegistryServiceHandlers = {
    CreateModel: unary(env, 'CreateModel', async (req, call) => {
      const m = await store.createModel({ id: req.model_id, description: req.description, createdBy: call.principal.actor });
      return { model: modelMsg(m, []) };
    }),
    GetModel: unary(env, 'GetModel', async (req) => ({ model: await modelWithAliases(modelIdOf(req.name)) })),
    ListModels: unary(env, 'ListModels', async (req) => {
      const size = pageSize(req.page_size);
      const after = decodePageToken(req.page_token, 'models') as [string] | undefined;
      const rows = await store.listModels({ after: after?.[0], limit: size + 1 });
      const page = pageOf(rows, size, (m) => [m.id], 'models');
      const aliases = await store.aliasesOf(page.items.map((m) => m.id));
      const models = page.items.map((m) => modelMsg(m, aliases.get(m.id) ?? []));
      return { models, next_page_token: page.nextPageToken };
    }),

    CreateModelVersion: clientStream(env, 'CreateModelVersion', async (messages: AsyncIterable<CreateModelVersionRequest__Output>, call) => {
      const { header, files } = await readUpload(messages, (m) => (m.part === 'header' ? { header: m.header }
        : m.part === 'chunk' && m.chunk ? { chunk: { file: m.chunk.file_name, data: m.chunk.data } } : undefined),
      { checkHeader: checkUploadHeader, maxBytes: MAX_UPLOAD_BYTES, tooLarge: `files: more than ${MAX_UPLOAD_BYTES} bytes in one version` });
      const v = await store.registerVersion({
        model: modelIdOf(header.model), name: header.version_name, arch: header.arch, task: header.task, label: header.label,
        buckets: header.buckets, datasetId: header.dataset_id,
        hyperparameters: jsonObject('hyperparameters_json', header.hyperparameters_json, {})!,
        trainingMetrics: numberMap(header.training_metrics), parity: jsonObject('parity_json', header.parity_json, null),
        backend: header.backend, dataWindow: header.data_window, tags: header.tags, createdBy: call.principal.actor,
        files: [...files].map(([name, data]) => ({ name, data })),
      });
      return { version: versionMsg(v) };
    }),

    RegisterExternalModel: clientStream(env, 'RegisterExternalModel', async (messages: AsyncIterable<RegisterExternalModelRequest__Output>, call) => {
      const { header, files } = await readUpload(messages, (m) => (m.part === 'header' ? { header: m.header }
        : m.part === 'onnx_chunk' && m.onnx_chunk ? { chunk: { file: 'model.onnx', data: m.onnx_chunk } } : undefined),
      { checkHeader: checkUploadHeader, maxBytes: MAX_UPLOAD_BYTES, tooLarge: `onnx: more than ${MAX_UPLOAD_BYTES} bytes` });
      const model = modelIdOf(header.model);
      const signature = signatureFromMsg(header.input_signature);
      if (header.task && !['binary', 'regression'].includes(header.task)) throw invalid(`task: "${header.task}" is not binary or regression`);
      const data = files.get('model.onnx') ?? Buffer.alloc(0);
      if (data.length === 0) throw invalid('onnx_chunk: the ONNX file is empty; send its bytes after the header');
      const sig = await checkOnnxSignature(data, signature);
      const v = await store.registerVersion({
        model, name: header.version_name, arch: 'external-onnx', task: header.task, label: header.label, buckets: '', datasetId: '',
        hyperparameters: { origin: header.origin, outputs: sig.outputs }, trainingMetrics: {}, parity: null, backend: 'external',
        dataWindow: '', tags: header.tags, createdBy: call.principal.actor, source: 'external', inputSignature: signature,
        files: [{ name: 'model.onnx', data }],
      });
      return { version: versionMsg(v) };
    }),

    GetModelVersion: unary(env, 'GetModelVersion', async (req) => {
      if (!req.version) throw invalid('version: give a version name or number');
      return { version: versionMsg(await store.getVersion(modelIdOf(req.model), req.version)) };
    }),
    ListModelVersions: unary(env, 'ListModelVersions', async (req) => {
      const model = modelIdOf(req.model);
      const size = pageSize(req.page_size);
      const scope = `versions:${model}`;
      const before = decodePageToken(req.page_token, scope) as [number] | undefined;
      const rows = await store.listVersions(model, { before: before?.[0], limit: size + 1 });
      const page = pageOf(rows, size, (v) => [v.number], scope);
      return { versions: page.items.map(versionMsg), next_page_token: page.nextPageToken };
    }),
    DownloadModelVersion: serverStream(env, 'DownloadModelVersion', async (req, send: (m: DownloadModelVersionResponse) => Promise<void>, call) => {
      const v = await store.getVersion(modelIdOf(req.model), req.version);
      const wanted = req.files.length ? req.files : v.artifacts.map((a) => a.name);
      for (const name of wanted) {
        const a = v.artifacts.find((x) => x.name === name);
        if (!a) throw invalid(`files: "${name}" is not an artifact of "${v.name}"; it has ${v.artifacts.map((x) => x.name).join(', ')}`);
      }
      for (const name of wanted) {
        const a = v.artifacts.find((x) => x.name === name)!;
        const data = await store.loadArtifact(v, name);
        for (let off = 0; off === 0 || off < data.length; off += DOWNLOAD_CHUNK) {
          if (call.cancelled()) return;
          await send({ file_name: name, offset: String(off), data: data.subarray(off, off + DOWNLOAD_CHUNK), size: String(data.length), sha256: a.sha256 });
          if (data.length === 0) break;
        }
      }
    }),

    SetAlias: unary(env, 'SetAlias', async (req, call) => {
      const v = await promos.setAlias({ model: modelIdOf(req.model), alias: req.alias, version: req.version, actor: call.principal.actor, reason: req.reason });
      return { version: versionMsg(v) };
    }),
    DeleteAlias: unary(env, 'DeleteAlias', async (req, call) => {
      const model = modelIdOf(req.model);
      await promos.deleteAlias({ model, alias: req.alias, actor: call.principal.actor, reason: req.reason });
      return { model: await modelWithAliases(model) };
    }),
    PromoteModelVersion: unary(env, 'PromoteModelVersion', async (req, call) => {
      if (!req.version) throw invalid('version: give the version name or number to promote');
      if (req.evaluation_id !== undefined && !req.evaluation_id) throw invalid('evaluation_id: empty; name an evaluation (modelops evaluations list <model>) or leave it unset');
      const r = await promos.promote({ model: modelIdOf(req.model), version: req.version, actor: call.principal.actor, force: req.force,
        reason: req.reason, validateOnly: req.validate_only, evaluationId: req.evaluation_id });
      return { version: versionMsg(r.version), previous_version: r.previous ?? 0, outcome: r.outcome, gate: gateMsg(r.gate),
        baseline_version: r.baseline ?? 0, evaluation_id: r.evaluationId ?? '', note: r.note,
        target: r.scope?.target ?? '', protocol: r.scope?.protocol ?? '', dataset_id: r.scope?.datasetId ?? '' };
    }),
    RollbackModel: unary(env, 'RollbackModel', async (req, call) => {
      const r = await promos.rollback({ model: modelIdOf(req.model), to: req.to_version || undefined, actor: call.principal.actor, reason: req.reason });
      return { version: versionMsg(r.version), from_version: r.from };
    }),
    DeleteModelVersion: unary(env, 'DeleteModelVersion', async (req, call) => {
      if (!req.version) throw invalid('version: give the version name or number to delete');
      const d = await retention.deleteVersion({ model: modelIdOf(req.model), version: req.version, actor: call.principal.actor, reason: req.reason, dryRun: req.dry_run });
      return { version: versionMsg(d.version), evaluation_ids: d.evaluationIds, object_keys: d.objectKeys, object_bytes: d.objectBytes,
        dry_run: d.dryRun, objects_left: d.objectsLeft };
    }),
    CollectGarbage: unary(env, 'CollectGarbage', async (req, call) => {
      const grace = Number(req.grace_seconds);
      if (!Number.isSafeInteger(grace) || grace < 0) throw invalid(`grace_seconds: ${req.grace_seconds} is not a whole number of seconds >= 0 (0 takes the default, 3600)`);
      const r = await collectGarbage(ctx.db, ctx.artifacts, { graceSeconds: grace, dryRun: req.dry_run, actor: call.principal.actor });
      return {
        objects: r.garbage.slice(0, 1000).map((g) => ({ key: g.key, kind: g.kind, size: String(g.size), last_modified: timestamp(g.lastModified) })),
        count: String(r.garbage.length), bytes: String(r.garbage.reduce((s, g) => s + g.size, 0)), scanned: String(r.scanned), young: String(r.young),
        grace_seconds: String(r.graceSeconds), dry_run: r.dryRun, failed: r.failed, reservations_removed: String(r.reservationsRemoved),
      };
    }),
    ListAuditEvents: unary(env, 'ListAuditEvents', async (req) => {
      // The empty model lists the platform-wide events (deleted datasets, garbage collections).
      const model = req.model === '' ? '' : modelIdOf(req.model);
      const size = pageSize(req.page_size);
      const scope = `audit:${model}:${[...req.actions].sort().join(',')}`;
      const before = decodePageToken(req.page_token, scope) as [string] | undefined;
      const rows = await store.listAudit(model, { before: before?.[0], limit: size + 1, actions: req.actions });
      const page = pageOf(rows, size, (e) => [e.id], scope);
      return { events: page.items.map(auditMsg), next_page_token: page.nextPageToken };
    }),
    GetGatePolicy: unary(env, 'GetGatePolicy', async (req) => {
      const p = await promos.policyOf(modelIdOf(req.model));
      return { policy: policyMsg(p.policy), is_default: p.isDefault, updated_by: p.updatedBy, update_time: timestamp(p.updateTime) };
    }),
    SetGatePolicy: unary(env, 'SetGatePolicy', async (req, call) => {
      const p = await promos.setPolicy(modelIdOf(req.model), policyFromMsg(req.policy), call.principal.actor);
      return { policy: policyMsg(p.policy), updated_by: p.updatedBy, update_time: timestamp(p.updateTime) };
    }),
  };

  // Keys reserved by a registration that crashed before it finished (or whose cleanup failed) are removed
  // once they are surely abandoned; uploads finish in minutes, so six hours leaves a wide margin.
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = async () => {
    try {
      const removed = await store.cleanupOrphans(ORPHAN_AGE_MS);
      if (removed.length) ctx.log.warn({ keys: removed }, 'registry: removed artifacts of abandoned registrations');
      const left = await store.orphans(ORPHAN_AGE_MS);
      if (left.length) ctx.log.warn({ keys: left.map((o) => o.key) }, 'registry: abandoned artifact keys could not be removed; retrying later');
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message }, 'registry: orphan sweep failed; retrying later');
    }
  };

  return {
    definition: loadProtos().v1.RegistryService.service,
    handlers,
    async start() {
      void sweep();
      sweeper = setInterval(() => { void sweep(); }, 60 * 60 * 1000);
      sweeper.unref();
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
    },
    roles: {
      CreateModel: 'operator', GetModel: 'reader', ListModels: 'reader',
      CreateModelVersion: 'operator', RegisterExternalModel: 'operator',
      GetModelVersion: 'reader', ListModelVersions: 'reader', DownloadModelVersion: 'reader',
      SetAlias: 'operator', DeleteAlias: 'operator', PromoteModelVersion: 'operator', RollbackModel: 'operator',
      ListAuditEvents: 'reader',
      // Setting a policy decides what may reach production, so it is an admin's, like tokens (docs/registry.md,
      // README "Access"). Reading one is a read like any other: thresholds are no secret (every refused or --dry-run
      // promotion prints them), and whoever prepares a promotion needs to know the bar beforehand.
      GetGatePolicy: 'reader', SetGatePolicy: 'admin',
      // Deleting a version and collecting garbage remove data for good (only the audit log remains): admin.
      DeleteModelVersion: 'admin', CollectGarbage: 'admin',
    },
  };
};
