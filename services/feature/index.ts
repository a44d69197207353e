// The FeatureService of `modelops serve`: thin handlers (decode -> service layer -> encode) and the role each
// RPC needs. Imports, generation, ingestion and builds are operator work; reads are reader.
import { datasetName, parseDatasetName } from '../../core/names';
import { loadProtos } from '../../proto/load';
import type { FeatureServiceHandlers } from '../../proto/gen/modelops/v1/FeatureService';
import type { Dataset } from '../../proto/gen/modelops/v1/Dataset';
import type { ImportEventsRequest__Output } from '../../proto/gen/modelops/v1/ImportEventsRequest';
import type { EntityFeatures as EntityMsg } from '../../proto/gen/modelops/v1/EntityFeatures';
import { clientStream, serverStream, unary } from '../common/rpc';
import { decodePageToken, pageOf, pageSize } from '../common/paging';
import type { ServiceFactory } from '../common/context';
import { DatasetBuilder } from './dataset-builder';
import { exportDataset } from './dataset-export';
import type { ExportDatasetResponse } from '../../proto/gen/modelops/v1/ExportDatasetResponse';
import { DatasetStore, type DatasetRecord } from '../../registry/dataset-store';
import { EntityFeatures, type EntityAnswer } from './entity-features';
import { generate, importStream, ingest, type FeatureStores, type ImportMessage } from './ingest';
import { Compactor } from './compactor';
import { moveViewEvents } from './log-upgrade';
import { OnlineLogs } from './online-log';
import { toTimestamp as ts } from '../common/timestamp';

/** The validation part's share of the window when a build does not say (0.6 train, 0.1 validation, 0.3 test). */
const DEFAULT_VAL_FRAC = 0.1;

const STATE = { building: 'DATASET_STATE_BUILDING', ready: 'DATASET_STATE_READY', failed: 'DATASET_STATE_FAILED' } as const;
const STATUS = { present: 'FEATURE_STATUS_PRESENT', not_found: 'FEATURE_STATUS_NOT_FOUND', stale: 'FEATURE_STATUS_STALE' } as const;

/** Encodes a dataset. */
export function datasetMsg(d: DatasetRecord): Dataset {
  return {
    name: datasetName(d.id), id: d.id, state: STATE[d.state], source: d.source, window: d.spec.window, train_frac: d.spec.trainFrac,
    ...(typeof d.spec.valFrac === 'number' ? { val_frac: d.spec.valFrac } : {}),
    label: d.spec.label, task: d.spec.task, buckets: d.spec.buckets, timezone: d.spec.timezone, counts: d.counts,
    summary_json: JSON.stringify(d.summary), meta_key: d.metaKey, meta_sha256: d.metaSha256, shard_count: d.shardCount,
    progress: d.progress.fraction ?? 0, phase: d.progress.phase ?? '', error: d.error, created_by: d.createdBy,
    create_time: ts(d.createTime), update_time: ts(d.updateTime),
  };
}

function entityMsg(e: EntityAnswer): EntityMsg {
  return { id: e.id, status: STATUS[e.status], feature_time: e.featureTime === null ? null : ts(e.featureTime), categorical: e.categorical, dense: e.dense, item_age: e.itemAge };
}

const datasetId = parseDatasetName;

export const create: ServiceFactory = (ctx) => {
  const env = { log: ctx.log, metrics: ctx.metrics };
  const pool = ctx.db.pool;
  const store = new DatasetStore(pool);
  const { eventLog: events, eventSources: sources } = ctx.stores;
  const stores: FeatureStores = { sources, events, onlineRows: ctx.stores.onlineFeatures, online: new OnlineLogs(sources, events) };
  const compactor = new Compactor(events, ctx.log);
  const builder = new DatasetBuilder(ctx.stores.rolloutLog, ctx.artifacts, store, ctx.log, events, sources);
  const features = new EntityFeatures(sources, stores.onlineRows);
  const retention = ctx.retention;
  const handlers: FeatureServiceHandlers = {
    ImportEvents: clientStream(env, 'ImportEvents', async (messages: AsyncIterable<ImportEventsRequest__Output>) => {
      const s = await importStream(stores, messages as AsyncIterable<ImportMessage>);
      return { source: s.source, counts: s.counts, rejections: s.rejections, notes: s.notes };
    }),
    GenerateEvents: unary(env, 'GenerateEvents', async (req) => {
      const r = await generate(stores, { users: req.users, items: req.items, days: req.days, seed: Number(req.seed), dim: req.dim, start: req.start_date || undefined,
        timezone: req.timezone || undefined, viewsPerDay: req.views_per_day || undefined, source: req.source || undefined });
      return r;
    }),
    IngestEvents: unary(env, 'IngestEvents', async (req) => {
      const r = await ingest(stores, {
        source: req.source,
        views: req.views.map((v) => ({ ...v, ts: Number(v.ts) })),
        items: req.items.map((i) => ({ ...i, created_at: Number(i.created_at) })),
      });
      if (r.viewsInserted) compactor.afterAppend(r.source);
      return { views_inserted: r.viewsInserted, views_already_stored: r.viewsAlreadyStored, items_upserted: r.itemsUpserted, rejections: r.rejections,
        users_refreshed: r.usersRefreshed, items_refreshed: r.itemsRefreshed };
    }),
    BuildDataset: unary(env, 'BuildDataset', async (req, call) => {
      const d = await builder.start({
        window: req.window || 'last-7d', trainFrac: req.train_frac || 0.6, valFrac: req.val_frac ?? DEFAULT_VAL_FRAC, label: req.label || 'wtg', task: req.task || 'binary',
        buckets: req.buckets || 'equi-quantile:10', source: req.source, timezone: req.timezone, minUserViews: req.min_user_views || undefined,
        maxUserViews: req.max_user_views || undefined, minItemViews: req.min_item_views || undefined,
        explorationOf: req.exploration_of || undefined,
      }, call.principal.actor);
      return { dataset: datasetMsg(d) };
    }),
    GetDataset: unary(env, 'GetDataset', async (req) => ({ dataset: datasetMsg(await store.get(datasetId(req.name))) })),
    ListDatasets: unary(env, 'ListDatasets', async (req) => {
      const size = pageSize(req.page_size);
      const key = decodePageToken(req.page_token, 'datasets') as [string, string] | undefined;
      const rows = await store.list({ after: key, limit: size + 1 });
      const page = pageOf(rows, size, (d) => [d.createTime.toISOString(), d.id], 'datasets');
      return { datasets: page.items.map(datasetMsg), next_page_token: page.nextPageToken };
    }),
    DeleteDataset: unary(env, 'DeleteDataset', async (req, call) => {
      const d = await store.get(datasetId(req.name));
      const r = await retention.deleteDataset({ id: d.id, actor: call.principal.actor, reason: req.reason, dryRun: req.dry_run });
      return { dataset: datasetMsg(d), object_keys: r.objectKeys, object_bytes: r.objectBytes, dry_run: r.dryRun, objects_left: r.objectsLeft };
    }),
    GetUserFeatures: unary(env, 'GetUserFeatures', async (req) => {
      const r = await features.users({ userIds: req.user_ids, source: req.source, hod: req.hod, dow: req.dow, handsetMaker: req.handset_maker,
        maxAgeS: Number(req.max_age_seconds), nowMs: Number(req.now_ms) });
      return { users: r.users.map(entityMsg), dense_names: r.denseNames };
    }),
    GetItemFeatures: unary(env, 'GetItemFeatures', async (req) => {
      const r = await features.items({ itemIds: req.item_ids, source: req.source, maxAgeS: Number(req.max_age_seconds), nowMs: Number(req.now_ms) });
      return { items: r.items.map(entityMsg), dense_names: r.denseNames };
    }),
    ExportDataset: serverStream(env, 'ExportDataset', async (req, send: (m: ExportDatasetResponse) => Promise<void>, call) => {
      await exportDataset(store, ctx.artifacts, datasetId(req.name), req.part, (m) => send('header' in m
        ? { header: { dataset_id: m.header.datasetId, part: m.header.part, rows: m.header.rows, columns: m.header.columns, label: m.header.label, task: m.header.task } }
        : { chunk: { rows: m.chunk.rows, user_ids: m.chunk.userIds, item_ids: m.chunk.itemIds, values: Array.from(m.chunk.values) } }),
      () => call.cancelled());
    }),
  };
  return {
    definition: loadProtos().v1.FeatureService.service,
    handlers,
    // Large write batches a client can send many of at once (ImportEvents streams under flow control).
    backPressured: ['IngestEvents'],
    roles: {
      ImportEvents: 'operator', GenerateEvents: 'operator', IngestEvents: 'operator', BuildDataset: 'operator',
      GetDataset: 'reader', ListDatasets: 'reader', GetUserFeatures: 'reader', GetItemFeatures: 'reader', ExportDataset: 'reader',
      // Deleting removes data for good (only the audit log remains), so it is an admin's, like tokens and gates.
      DeleteDataset: 'admin',
    },
    async start() {
      // Builds whose server died stay "building" forever otherwise (and their objects in the bucket).
      await builder.recoverAbandoned().catch((err: unknown) => ctx.log.warn({ err }, 'could not fail abandoned dataset builds'));
      // An older store's views move from the table view_events into the event log's files (once; then it is dropped).
      const moved = await moveViewEvents(pool, events);
      if (moved.found) ctx.log.info(moved, 'moved view_events into the event log files and dropped the table');
      compactor.start();
    },
    async close() {
      await builder.idle();
      await compactor.stop();
    },
  };
};
