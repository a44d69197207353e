// The ScoringService of `modelops serve`: Score (role reader). Composition root of scoring: adapts the
// platform's stores (platform-sources.ts), builds the version manager, subscribes to registry changes,
// and keeps the handler thin (decode -> ScoringService.score -> encode).
import { versionName } from '../../core/names';
import { loadProtos } from '../../proto/load';
import type { ScoringServiceHandlers } from '../../proto/gen/modelops/v1/ScoringService';
import type { ScoreRequest__Output } from '../../proto/gen/modelops/v1/ScoreRequest';
import type { ScoreResponse } from '../../proto/gen/modelops/v1/ScoreResponse';
import type { RetrieveRequest__Output } from '../../proto/gen/modelops/v1/RetrieveRequest';
import type { RetrieveResponse } from '../../proto/gen/modelops/v1/RetrieveResponse';
import type { GetScoringStatusResponse } from '../../proto/gen/modelops/v1/GetScoringStatusResponse';
import type { PlatformContext, ServiceFactory, ServiceModule } from '../common/context';
import type * as grpc from '@grpc/grpc-js';
import { unary, type RpcEnv } from '../common/rpc';
import { grpcCodeName, toStatus } from '../common/errors';
import type { FeatureLayout } from '../../ml/features/layout';
import { ScoringService, type RetrieveResult, type ScoreResult } from './service';
import { ServingVersion, type LoadOptions } from './serving-version';
import { UserFeatureCache } from './user-feature-cache';
import { VersionManager } from './version-manager';
import { ScoringMetrics } from './scoring-metrics';
import { attachShadowScoring, type ShadowOptions } from './shadow-scoring';
import type { ShadowQueue } from '../rollout/shadow-queue';
import type { ServedRecord } from '../../registry/rollout-log';
import { ServedLog } from './served-log';
import { ExposureLog } from '../rollout/exposure-log';
import { ExplorationLog } from '../rollout/exploration-log';
import type { ExplorationRecord, ExposureRecord } from '../../registry/rollout-log';
import type { RetrieveInput, ScoreInput } from './score-request';
import type { ChangeSubscriber, FeatureSource, FeatureSourceFactory, RolloutSource, VersionRef, VersionSource } from './sources';
import { datasetSource, itemUniverseFromArtifact, onlineFeatures, registryChanges, registryVersions, storeRollouts } from './platform-sources';
import { toTimestamp } from '../common/timestamp';
import { readVar, type EnvSource } from '../../core/config';

/** What scoring is built from; `createScoring` takes the platform's by default. */
export interface ScoringDeps {
  versions: VersionSource;
  rollouts: RolloutSource;
  features: FeatureSourceFactory;
  /** The event source a version's features come from (its dataset's); undefined means the store's default. */
  sourceOf?: (ref: VersionRef) => Promise<string | undefined>;
  /** Registry change notifications; undefined disables them (the periodic re-check still runs). */
  changes?: ChangeSubscriber;
  /** Models to load in the background at start (those with a production version get loaded). */
  models?: () => Promise<string[]>;
  /** Item ids to build a version's cache for at load. */
  itemUniverse(files: Map<string, Buffer>, layout: FeatureLayout): string[] | Promise<string[]>;
  /** Retrieve's approximate index (catalogs from MODELOPS_RETRIEVE_ANN_MIN_ITEMS items, default 2,000,000; canary threshold MODELOPS_RETRIEVE_MIN_RECALL, default 0.95); undefined: exact search. */
  ann?: LoadOptions['ann'];
  /** Item-cache rebuild period (MODELOPS_SCORING_REFRESH_MS, default 10 min). */
  refreshMs: number;
  /** Safety-net re-check of served models (MODELOPS_SCORING_RECHECK_MS, default 30 s). */
  recheckMs: number;
  /** User-feature cache lifetime (MODELOPS_SCORING_USER_TTL_MS, default 30 s). */
  userTtlMs: number;
  /** How long a replaced production stays loaded for a fast rollback (MODELOPS_SCORING_KEEP_PREVIOUS_MS, default 10 min). */
  keepPreviousMs: number;
  /** Time zone for models whose model.json names none (MODELOPS_SCORING_TIMEZONE, default UTC). */
  defaultTimezone: string;
  /** Shadow scoring of rollouts' shadow versions (where its statistics go). */
  shadow: ShadowOptions;
  /** Where served records of calls under a rollout go (RolloutLog.recordServed, registry/rollout-log.ts); undefined: not recorded. */
  servedSink?: (rows: ServedRecord[]) => Promise<void>;
  /** Served-record flush period (ms, default 2,000; 0: only on close or explicit flush). */
  servedFlushMs?: number;
  /** Where exposures under a rollout go (RolloutLog.recordExposures; never shed); undefined: not counted. */
  exposureSink?: (rows: ExposureRecord[]) => Promise<void>;
  /** Where the candidates the exploration slot moved go (RolloutLog.recordExplorations; never shed); undefined: not logged. */
  explorationSink?: (rows: ExplorationRecord[]) => Promise<void>;
}

/**
 * Retrieve's approximate index from the environment: built for catalogs of at least MODELOPS_RETRIEVE_ANN_MIN_ITEMS
 * items (default 2,000,000: batched exact search costs 4.2 ms of CPU per call at 1,000,000 items, about what one
 * index search costs at 100,000, with no rebuild at each item refresh, while the index's 1,000,000-item rebuild
 * needs nearly two cores for a whole 10-minute refresh period, so the index can only be ahead above 1,000,000;
 * bench/retrieve.bench.ts and BENCHMARKS.md; "off" disables the index), refused below MODELOPS_RETRIEVE_MIN_RECALL
 * canary recall (default 0.95).
 */
export function annFromEnv(env?: EnvSource): ScoringDeps['ann'] {
  const minItems = readVar('MODELOPS_RETRIEVE_ANN_MIN_ITEMS', env);
  return minItems === 'off' ? undefined : { minItems, minRecall: readVar('MODELOPS_RETRIEVE_MIN_RECALL', env) };
}

/** The platform's scoring dependencies. */
export function platformDeps(ctx: PlatformContext): ScoringDeps {
  const log = ctx.log;
  const store = ctx.registry;
  const { rolloutLog, shadowStats } = ctx.stores;
  return {
    versions: registryVersions(store),
    models: async () => (await store.listModels({ limit: 100 })).map((m) => m.id),
    rollouts: storeRollouts(ctx.stores.rollouts),
    features: onlineFeatures({ online: ctx.stores.onlineFeatures, sources: ctx.stores.eventSources }),
    sourceOf: (ref) => datasetSource(ctx.artifacts, ref.datasetId),
    changes: registryChanges(ctx.db.url, log),
    itemUniverse: (files) => itemUniverseFromArtifact(files),
    refreshMs: readVar('MODELOPS_SCORING_REFRESH_MS'),
    ann: annFromEnv(),
    recheckMs: readVar('MODELOPS_SCORING_RECHECK_MS'),
    userTtlMs: readVar('MODELOPS_SCORING_USER_TTL_MS'),
    keepPreviousMs: readVar('MODELOPS_SCORING_KEEP_PREVIOUS_MS'),
    defaultTimezone: readVar('MODELOPS_SCORING_TIMEZONE'),
    shadow: { sink: async (ds) => { for (const d of ds) await shadowStats.addShadowStats(d); } },
    servedSink: (rows) => rolloutLog.recordServed(rows),
    exposureSink: (rows) => rolloutLog.recordExposures(rows),
    explorationSink: (rows) => rolloutLog.recordExplorations(rows),
  };
}

/** Decodes the context a Score or Retrieve request carries (unset hod/dow mean "now" in the market). */
function decodeContext(c: ScoreRequest__Output['context']): { hod?: number; dow?: number; handsetMaker?: string } {
  return {
    hod: c && c._hod === 'hod' ? c.hod : undefined, dow: c && c._dow === 'dow' ? c.dow : undefined,
    handsetMaker: c?.handset_maker || undefined,
  };
}

/** Decodes a ScoreRequest into the service layer's input. */
export function decodeScore(req: ScoreRequest__Output): ScoreInput {
  return {
    model: req.model, userId: req.user_id, itemIds: req.item_ids, topK: req.top_k, requestId: req.request_id,
    ...decodeContext(req.context),
  };
}

/** Encodes a ScoreResult as the wire message. */
export function encodeScore(r: ScoreResult): ScoreResponse {
  return {
    item_ids: r.itemIds, scores: r.scores, model_version: r.modelVersion, version_name: r.versionName, arm: r.arm,
    unknown_item_ids: r.unknownItemIds, cold_start_user: r.coldStartUser, request_id: r.requestId,
    explored_item_ids: r.exploredItemIds,
  };
}

/** Decodes a RetrieveRequest into the service layer's input. */
export function decodeRetrieve(req: RetrieveRequest__Output): RetrieveInput {
  return {
    model: req.model, userId: req.user_id, topK: req.top_k, excludeItemIds: req.exclude_item_ids, requestId: req.request_id,
    ...decodeContext(req.context),
  };
}

/** Encodes a RetrieveResult as the wire message. */
export function encodeRetrieve(r: RetrieveResult): RetrieveResponse {
  return {
    item_ids: r.itemIds, scores: r.scores, model_version: r.modelVersion, version_name: r.versionName, arm: r.arm,
    cold_start_user: r.coldStartUser, request_id: r.requestId,
  };
}

/**
 * The Score handler. It does what rpc.ts's `unary` does (errors through toStatus, the RPC histogram and
 * error counter) without the per-call AbortController and principal lookup that Score does not use:
 * grpc-js emits 'cancelled' when every call's stream closes, so that controller is created and aborted
 * (a DOMException with a stack trace) on each call, measurable on the hot path (bench/score.bench.ts).
 */
function scoreHandler(env: RpcEnv, service: ScoringService): grpc.handleUnaryCall<ScoreRequest__Output, ScoreResponse> {
  const ok = env.metrics.rpcSeconds.labels('Score', 'OK');
  return (call, callback) => {
    const start = process.hrtime.bigint();
    const fail = (err: unknown) => {
      const st = toStatus(err, env.log, 'Score');
      const code = grpcCodeName(st.code ?? 2);
      env.metrics.rpcSeconds.observe({ method: 'Score', code }, Number(process.hrtime.bigint() - start) / 1e9);
      env.metrics.rpcErrors.inc({ method: 'Score', code });
      callback(st as grpc.ServiceError);
    };
    const input = decodeScore(call.request);
    // The served path after warm-up (model loaded, user and candidates cached) answers in this turn of the
    // event loop, without a promise; anything that must wait goes through the async path.
    let now: ScoreResult | undefined;
    try {
      now = service.scoreNow(input);
    } catch (err) {
      fail(err);
      return;
    }
    if (now) {
      ok.observe(Number(process.hrtime.bigint() - start) / 1e9);
      callback(null, encodeScore(now));
      return;
    }
    const d = call.getDeadline();
    const deadline = d instanceof Date ? d.getTime() : Number.isFinite(d) && Number(d) > 0 ? Number(d) : Infinity;
    service.score(input, deadline).then((r) => {
      ok.observe(Number(process.hrtime.bigint() - start) / 1e9);
      callback(null, encodeScore(r));
    }, fail);
  };
}

/** The scoring module with its service layer and manager exposed (for tests and the benchmark). */
export interface ScoringModule extends ServiceModule {
  service: ScoringService;
  manager: VersionManager;
  /** The shadow-scoring queue (flush it to store statistics now). */
  shadow: ShadowQueue;
  /** The served-record log of calls under a rollout (flush it to write now). */
  served?: ServedLog;
  /** The exposure counts of calls under a rollout (flush it to write now). */
  exposures?: ExposureLog;
  /** The exploration log: candidates moved to random positions (flush it to write now). */
  explorations?: ExplorationLog;
}

/** Builds the scoring service over `deps` (the platform's unless overridden). */
export function createScoring(ctx: PlatformContext, overrides: Partial<ScoringDeps> = {}): ScoringModule {
  const deps: ScoringDeps = { ...platformDeps(ctx), ...overrides };
  const log = ctx.log;
  const userCaches = new Map<FeatureSource, UserFeatureCache>();
  let manager!: VersionManager;
  const metrics = new ScoringMetrics(ctx.metrics.registry, () => {
    const item = { ...manager.retiredTotals.item };
    for (const v of manager.loadedVersions()) { item.hits += v.items.hits; item.misses += v.items.misses; }
    const user = { hits: 0, misses: 0 };
    for (const c of userCaches.values()) { user.hits += c.hits; user.misses += c.misses; }
    return { item, user };
  }, () => manager.loadedVersions().map((v) => ({ model: v.ref.model, version: v.resourceName, recall: v.indexStatus.recall,
    refused: v.indexStatus.refusedRecall !== undefined })));
  manager = new VersionManager({
    versions: deps.versions, rollouts: deps.rollouts, log, metrics, keepPreviousMs: deps.keepPreviousMs,
    load: (ref) => ServingVersion.load(ref, {
      versions: deps.versions,
      features: async (layout, ref) => deps.features(layout, deps.sourceOf ? await deps.sourceOf(ref) : undefined),
      defaultTimezone: deps.defaultTimezone, refreshMs: deps.refreshMs, ann: deps.ann, log,
      users: (layout, features) => {
        let c = userCaches.get(features);
        if (!c) {
          c = new UserFeatureCache(features, layout, { ttlMs: deps.userTtlMs });
          userCaches.set(features, c);
        }
        return c;
      },
      itemUniverse: (files, layout) => deps.itemUniverse(files, layout),
    }),
  });
  const service = new ScoringService(manager, log, metrics);
  const shadowQueue = attachShadowScoring(service, manager, log, deps.shadow);
  const servedLog = deps.servedSink ? new ServedLog({ sink: deps.servedSink, flushMs: deps.servedFlushMs, log }) : undefined;
  if (servedLog) {
    service.observe(({ input, result }) => {
      if (result.arm !== 'production') {
        servedLog.record({ requestId: result.requestId, model: input.model, userId: input.userId, arm: result.arm, time: new Date() });
      }
    });
  }
  const exposureLog = deps.exposureSink ? new ExposureLog({ sink: deps.exposureSink, flushMs: deps.servedFlushMs, log }) : undefined;
  if (exposureLog) {
    service.observe(({ input, result }) => {
      const plan = result.arm !== 'production' ? manager.rolloutOf(input.model) : undefined;
      if (plan) exposureLog.record(plan, result.arm, input.userId, input.handsetMaker);
    });
  }
  const explorationLog = deps.explorationSink ? new ExplorationLog({ sink: deps.explorationSink, flushMs: deps.servedFlushMs, log }) : undefined;
  if (explorationLog) {
    service.observe(({ input, result, rolloutId }) => {
      if (rolloutId && result.exploredItemIds.length > 0) explorationLog.record(rolloutId, input.userId, result);
    });
  }
  const env = { log, metrics: ctx.metrics };
  let unsubscribe: (() => Promise<void>) | undefined;

  const handlers: ScoringServiceHandlers = {
    Score: scoreHandler(env, service),
    Retrieve: unary(env, 'Retrieve', async (req: RetrieveRequest__Output, call): Promise<RetrieveResponse> =>
      encodeRetrieve(await service.retrieve(decodeRetrieve(req), call.deadline))),
    GetScoringStatus: unary(env, 'GetScoringStatus', async (req): Promise<GetScoringStatusResponse> => {
      const st = manager.status();
      const want = (m: string) => !req.model || m === req.model;
      return {
        models: st.models.filter((m) => want(m.model)).map((m) => ({
          model: m.model, production_version: m.production, production_version_name: m.productionName,
          arms: m.arms.map((a) => ({ arm: a.arm, model_version: a.version, weight: a.weight })),
          shadow: m.shadow.map((a) => ({ arm: a.arm, model_version: a.version, weight: 0 })),
        })),
        failures: st.failures.filter((f) => want(f.model)).map((f) => ({
          model_version: versionName(f.model, f.version), version_name: f.name, error: f.error,
          time: toTimestamp(f.time),
        })),
        retrieval_indexes: manager.loadedVersions().filter((v) => want(v.ref.model)).map((v) => {
          const x = v.indexStatus;
          return {
            model_version: v.resourceName, search: x.search, items: x.items, recall: x.recall, refused_recall: x.refusedRecall,
            error: x.error ?? '', build_seconds: x.buildSeconds, min_items: x.minItems,
          };
        }),
      };
    }),
  };
  return {
    definition: loadProtos().v1.ScoringService.service,
    handlers,
    roles: { Score: 'reader', GetScoringStatus: 'reader', Retrieve: 'reader' },
    service,
    manager,
    shadow: shadowQueue,
    served: servedLog,
    exposures: exposureLog,
    explorations: explorationLog,
    async start() {
      if (deps.changes) {
        // Any model's change is applied: a newly promoted model is loaded before its first call.
        unsubscribe = await deps.changes((e) => {
          if (e.model === '*') for (const m of manager.models()) manager.notify(m);
          else manager.notify(e.model);
        });
      }
      if (deps.recheckMs > 0) manager.recheckEvery(deps.recheckMs);
      if (deps.models) {
        deps.models().then((ms) => { for (const m of ms) manager.notify(m); },
          (err: unknown) => log.warn({ err }, 'scoring: cannot list models to preload; they load on their first call'));
      }
    },
    async close() {
      await unsubscribe?.();
      await shadowQueue.close();
      await servedLog?.close();
      await exposureLog?.close();
      await explorationLog?.close();
      await manager.close();
    },
  };
}

export const create: ServiceFactory = (ctx) => createScoring(ctx);
