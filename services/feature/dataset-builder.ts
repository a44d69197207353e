// Dataset builds as jobs: BuildDataset validates the spec, inserts the dataset in state building and returns;
// the build then runs in this process (this thread reads the source's log up to the window's end from its files
// and hands it day by day to a worker thread, ml/features/build-worker.ts, which assembles it and runs the feature
// pass while this thread uploads each shard as it is finished; then meta.json) and records progress, the outcome
// or the error on the row.
// A running build holds an advisory lock on a connection of its own; the death of its process frees it, and
// recoverAbandoned() (at start) fails such a build and removes the objects it had written, so no half dataset
// stays "building" or leaves shards in the bucket.
import * as crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../../registry/artifact-store';
import type { BuildSpec } from '../../ml/features/build';
import { buildInWorker, type OpenLog } from '../../ml/features/build-worker';
import { itemDayKey, metaKey, shardKey, type DatasetMeta, type ItemDayRef, type ShardRef } from '../../ml/features/dataset';
import { MarketClock, parseWindow } from '../../ml/data/time';
import { parseBuckets, parseLabel, parseTask } from '../../ml/labels/spec';
import { failedPrecondition, invalid } from '../../core/errors';
import { DatasetStore, type DatasetRecord } from '../../registry/dataset-store';
import type { EventSourceStore } from '../../registry/event-source-store';
import { streamLog } from './source-log';
import type { EventLogStore } from '../../registry/event-log';
import type { RolloutLog } from '../../registry/rollout-log';
import type { ExploredShow } from '../../ml/features/explored';


/** What BuildDataset asks for (defaults filled by the handler). */
export interface BuildRequest {
  window: string;
  trainFrac: number;
  /** The validation part's share of the window (0 = none). */
  valFrac: number;
  label: string;
  task: string;
  buckets: string;
  source?: string;
  timezone?: string;
  minUserViews?: number;
  maxUserViews?: number;
  minItemViews?: number;
  /** A model whose rollouts' exploration log restricts the held-out part to views of explored items. */
  explorationOf?: string;
}

/** Starts and runs dataset builds. */
export class DatasetBuilder {
  private readonly running = new Set<Promise<void>>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly explorations: Pick<RolloutLog, 'explorationShows'>, private readonly artifacts: ArtifactStore, readonly store: DatasetStore, private readonly log: Logger,
    private readonly events: EventLogStore, private readonly sources: Pick<EventSourceStore, 'get' | 'loadItems'>) {}

  /** Validates the request, creates the dataset row and starts the build; returns the row at once. */
  async start(req: BuildRequest, actor: string): Promise<DatasetRecord> {
    const fail = (e: unknown) => invalid((e as Error).message);
    let label: string;
    let task: 'binary' | 'regression';
    let buckets: string;
    try {
      label = parseLabel(req.label);
      task = parseTask(req.task);
      buckets = parseBuckets(req.buckets).spec;
    } catch (e) {
      throw fail(e);
    }
    if (!(req.trainFrac > 0 && req.trainFrac < 1)) throw invalid(`train_frac: ${req.trainFrac} is not strictly between 0 and 1 (the seed uses 0.6)`);
    if (!(req.valFrac >= 0 && req.valFrac < 1)) throw invalid(`val_frac: ${req.valFrac} is not in 0..1 (default 0.1; 0 = no validation part)`);
    if (!(req.trainFrac + req.valFrac < 1)) {
      throw invalid(`train_frac ${req.trainFrac} + val_frac ${req.valFrac} leave no test part; make their sum less than 1 (for example 0.6 and 0.1)`);
    }
    for (const [k, v] of Object.entries({ min_user_views: req.minUserViews, max_user_views: req.maxUserViews, min_item_views: req.minItemViews })) {
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw invalid(`${k}: ${v} is not a non-negative whole number`);
    }
    let shows: ExploredShow[] | undefined;
    if (req.explorationOf) {
      shows = await this.explorations.explorationShows(req.explorationOf);
      if (shows.length === 0) {
        throw failedPrecondition(`exploration_of: model "${req.explorationOf}" has explored nothing yet; start a rollout with an exploration share ` +
          `(\`modelops rollout start ${req.explorationOf} --explore 0.05\`) and record views first`);
      }
    }
    const source = await this.sources.get(req.source || undefined);
    const timezone = req.timezone || source.timezone;
    let from: string;
    try {
      const w = parseWindow(req.window, new MarketClock(timezone), await this.events.newestTs(source.source));
      from = w.from;
    } catch (e) {
      throw fail(e);
    }
    const id = `ds-${from}-${label.replace(/[^a-z0-9]+/g, '-')}-${crypto.randomBytes(2).toString('hex')}`;
    const spec: BuildSpec = {
      window: req.window, trainFrac: req.trainFrac, valFrac: req.valFrac, label, task, buckets, timezone, source: source.source,
      filters: { ...(req.minUserViews ? { minUserViews: req.minUserViews } : {}), ...(req.maxUserViews ? { maxUserViews: req.maxUserViews } : {}),
        ...(req.minItemViews ? { minItemViews: req.minItemViews } : {}) },
      ...(req.explorationOf ? { explorationOf: req.explorationOf } : {}),
    };
    const row = await this.store.create({ id, source: source.source, spec: spec as unknown as DatasetRecord['spec'], createdBy: actor });
    // One build at a time per process: each holds a whole log in memory, so concurrent builds queue (phase "queued").
    const job = this.queue.then(() => this.locked(id, () => this.run(id, spec, source.dim, shows))).catch(async (err: unknown) => {
      this.log.error({ err, dataset: id }, 'dataset build failed');
      await this.store.failed(id, (err as Error).message).catch(() => undefined);
      await this.removeObjects(id);
    }).finally(() => { this.running.delete(job); });
    this.running.add(job);
    this.queue = job;
    return row;
  }

  /** Runs one build to the end. */
  private async run(id: string, spec: BuildSpec, dim: number, shows?: ExploredShow[]): Promise<void> {
    await this.store.progress(id, 0, 'loading');
    const source = { source: spec.source, format: '', timezone: spec.timezone, language: '', dim };
    const clock = new MarketClock(spec.timezone);
    const w = parseWindow(spec.window, clock, await this.events.newestTs(spec.source));
    const shards: ShardRef[] = [];
    const itemDays: ItemDayRef[] = [];
    let lastReport = 0;
    // The worker assembles the log as this thread reads it, runs the feature pass and hands over each shard's
    // bytes; this thread stores them meanwhile.
    const load = async (open: OpenLog) => {
      // Staged files (recent IngestEvents batches) are merged first, so the read is a few large files per day; the
      // build reads staged files just as well, so a failed merge only costs speed.
      await this.events.compact(spec.source).catch((err: unknown) => this.log.warn({ err, dataset: id }, 'event log: compaction before a build failed'));
      await streamLog(this.sources, this.events, source, w.endMs, (capacity) => open(dim, capacity));
      await this.store.progress(id, 0.1, 'building');
    };
    const meta = await buildInWorker(load, spec, {
      shard: async (split, bytes, rows, sha256) => {
        const put = await this.artifacts.put(shardKey(id, shards.length), bytes, undefined, sha256);
        shards.push({ key: put.key, sha256: put.sha256, rows, split });
      },
      itemDay: async (day, bytes, items) => {
        const put = await this.artifacts.put(itemDayKey(id, day), bytes);
        itemDays.push({ day, key: put.key, sha256: put.sha256, items });
      },
      progress: (done, total) => {
        const now = Date.now();
        if (now - lastReport > 1000) {
          lastReport = now;
          void this.store.progress(id, 0.1 + 0.85 * (total ? done / total : 1), 'building').catch(() => undefined);
        }
      },
    }, shows);
    const full: DatasetMeta = { id, ...meta, shards, itemDays };
    const put = await this.artifacts.put(metaKey(id), Buffer.from(JSON.stringify(full)), 'application/json');
    await this.store.ready(id, { counts: meta.counts, summary: meta.summary ?? {}, metaKey: put.key, metaSha256: put.sha256, shardCount: shards.length });
  }

  /** Runs `build` while holding the dataset's build lock (registry/dataset-store.ts). */
  private locked(id: string, build: () => Promise<void>): Promise<void> {
    return this.store.withBuildLock(id, build,
      (err) => this.log.warn({ err: err.message, dataset: id }, 'dataset build: the lock connection failed'));
  }

  /** Deletes what a failed build wrote (its shards, item days, meta); logged, never thrown. */
  private async removeObjects(id: string): Promise<number> {
    try {
      const keys = await this.artifacts.list(`datasets/${id}/`);
      for (const k of keys) await this.artifacts.remove(k);
      return keys.length;
    } catch (err) {
      this.log.warn({ err, dataset: id }, 'could not remove the objects of a failed dataset build (the garbage collection finds them)');
      return 0;
    }
  }

  /**
   * Fails the builds whose process died (their lock is free) and removes their objects. A build still queued
   * behind another in a live process holds no lock yet, so a queued one is failed only once it has been quiet for
   * `queuedStaleMs`. Returns the ids failed.
   */
  async recoverAbandoned(queuedStaleMs = 10 * 60_000): Promise<string[]> {
    return this.store.failAbandoned(queuedStaleMs, async (id) => {
      const removed = await this.removeObjects(id);
      this.log.warn({ dataset: id, objectsRemoved: removed }, 'failed a dataset build whose server died, and removed its objects');
    });
  }

  /** Waits for running builds (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
