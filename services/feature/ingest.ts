// Getting views into the store: KuaiRand imports streamed by the CLI, the synthetic generator, and IngestEvents
// (appends a few views and refreshes the online features they touch). Every path validates rows, counts what
// it refused with the reason, and stores views in batches in the event log (registry/event-log.ts): bulk loads
// in large files, IngestEvents in staged files that a compaction merges later.
import { PassThrough } from 'node:stream';
import { linesOf } from '../../ml/data/csv';
import { EventLogBuilder, type EventLog, type ItemRecord, type ViewRecord } from '../../ml/data/events';
import { newCounts, parseLog, parseVideos, reject, type ImportCounts } from '../../ml/data/kuairand';
import { parseItemFile } from '../../ml/data/modelops-format';
import { parseViewsOffThread } from '../../ml/data/view-parse-worker';
import { creatorId, HANDSETS, itemId, userId, type SyntheticParams } from '../../ml/data/synthetic';
import { GeneratorError, syntheticOffThread } from '../../ml/data/synthetic-worker';
import { layoutFor } from '../../ml/features/layout';
import { DomainError, invalid } from '../../core/errors';
import { MarketClock } from '../../ml/data/time';
import { ViewRunBuilder, type ViewRun } from '../../ml/data/view-run';
import type { EventLogStore } from '../../registry/event-log';
import type { EventSourceStore, SourceInfo } from '../../registry/event-source-store';
import type { OnlineFeatureStore, OnlineRows } from '../../registry/online-feature-store';
import { loadLog } from './source-log';
import { batchKeyOf, LogWriter } from './log-writer';
import type { OnlineLogs } from './online-log';
import { refreshOnline } from './online-features';
import { onlineRowsOnTwoCores } from './online-rows-worker';

/** What the loads write to: the sources and catalogue, the views in the event log, the online rows and the online memory. */
export interface FeatureStores {
  sources: EventSourceStore;
  events: EventLogStore;
  onlineRows: OnlineFeatureStore;
  online: OnlineLogs;
}

/** One message of an import stream, decoded. */
export interface ImportMessage {
  header?: { format: string; source: string; timezone: string; language: string; dim: number } | null;
  chunk?: { file_name: string; data: Buffer } | null;
}

/** The import summary. */
export interface ImportSummary {
  source: string;
  counts: Record<string, number>;
  rejections: { file: string; line: number; reason: string }[];
  notes: string[];
}

/** Notes that every KuaiRand import reports, so nobody mistakes a mapping choice for data. */
export const KUAIRAND_NOTES = [
  'KuaiRand-Pure has no downloads: downloaded is false on every view (download rates stay at their prior).',
  'KuaiRand-Pure has no handset maker (stored as "unknown") and no language (the import\'s market language is used).',
  'Content vectors are hashed from tag, music_type, video_type and upload_type (no BLIP embeddings exist for this data).',
  'Exact duplicate rows are counted (rows_duplicate_in_file) and stored once; rows with no length are kept for rates but get no length-based label.',
  'Data: KuaiRand (Gao et al., CIKM 2022), CC BY-SA 4.0.',
];

const MAX_ID = 200;
const BAD_ID = /[\t\n\r\\]/;

/** Rethrows a parse error (a plain Error about the input) as INVALID_ARGUMENT; store errors pass unchanged. */
function asInvalid(e: unknown): never {
  if (e instanceof DomainError || typeof (e as { code?: unknown }).code === 'string') throw e;
  throw invalid((e as Error).message);
}

/** Catalogue batches a load may have waiting to be upserted while it goes on. */
const UPSERTS_AHEAD = 3;

/**
 * Upserts a bulk load's catalogue items in the background, in order: the views are parsed and stored meanwhile,
 * since nothing reads the catalogue before the load ends (the online rows and the catalogue's file do, after
 * `done`). A 10M-view import waited 0.8 s for its 41,667 items before parsing a view. At most UPSERTS_AHEAD
 * batches wait, so a large catalogue is not held whole.
 */
export class ItemUpserts {
  /** Items the store reported upserted so far. */
  upserted = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly waiting: Promise<void>[] = [];

  constructor(private readonly sources: EventSourceStore, private readonly source: string) {}

  /** Queues a batch; waits only while UPSERTS_AHEAD batches are waiting (rejects with an earlier batch's failure). */
  async add(items: ItemRecord[]): Promise<void> {
    if (items.length === 0) return;
    const p = (this.chain = this.chain.then(async () => {
      this.upserted += await this.sources.upsertItems(this.source, items);
    }));
    // Awaited by add or done; a failure must not count as unhandled meanwhile.
    p.catch(() => undefined);
    this.waiting.push(p);
    if (this.waiting.length > UPSERTS_AHEAD) await this.waiting.shift();
  }

  /** Waits until every queued batch is upserted (rejects with the first failure). */
  done(): Promise<void> {
    return this.chain;
  }
}

/** Runs an import (KuaiRand-Pure or the modelops file format) over the streamed messages. */
export async function importStream(stores: FeatureStores, messages: AsyncIterable<ImportMessage>): Promise<ImportSummary> {
  const { sources } = stores;
  let src: SourceInfo | undefined;
  const tally: ImportCounts = newCounts();
  let items = new Map<string, ItemRecord>();
  let writer: LogWriter | undefined;
  let upserts: ItemUpserts | undefined;
  let pipe: PassThrough | undefined;
  let parsing: Promise<void> | undefined;
  let current = '';
  let format = '';
  const files: string[] = [];
  const finishFile = async () => {
    if (!pipe) return;
    pipe.end();
    await parsing;
    pipe = undefined;
  };
  const startFile = (name: string) => {
    const base = name.split('/').pop() ?? name;
    const p = new PassThrough({ highWaterMark: 1 << 20 });
    // Read only by the parsers that take lines (an async generator starts at its first next()).
    const lines = linesOf(p);
    const s = src!;
    if (format === 'modelops') {
      if (/^items.*\.csv(\.gz)?$/.test(base)) {
        const buf: ItemRecord[] = [];
        const u = upserts!;
        tally.counts.items_upserted ??= 0;
        const flush = () => u.add(buf.splice(0));
        parsing = parseItemFile(lines, { file: base, dim: s.dim, language: s.language }, tally, async (it) => {
          buf.push(it);
          if (buf.length >= 5000) await flush();
        }).then(flush);
      } else if (/^views.*\.csv(\.gz)?$/.test(base)) {
        // Inflated and parsed in a worker thread; this thread adds the views to the writer and stores its batches.
        parsing = parseViewsOffThread(p, { file: base, language: s.language }, tally, writer!);
      } else if (base === 'source.json') {
        parsing = (async () => { for await (const _ of lines) void _; })();
      } else {
        throw invalid(`file "${base}": not a modelops file (expected items*.csv[.gz], views*.csv[.gz] or source.json)`);
      }
    } else if (/video_features/.test(base)) {
      parsing = parseVideos(lines, { file: base, dim: s.dim, timezone: s.timezone, language: s.language }, tally).then(async (m) => {
        items = new Map([...items, ...m]);
        const list = [...m.values()];
        for (let k = 0; k < list.length; k += 5000) await sources.upsertItems(s.source, list.slice(k, k + 5000));
        tally.counts.items_upserted = (tally.counts.items_upserted ?? 0) + list.length;
      });
    } else if (/log/.test(base)) {
      const w = writer!;
      parsing = parseLog(lines, { file: base, language: s.language, source: s.source }, items, tally, (v) => w.add(v));
    } else if (/user_features/.test(base)) {
      tally.counts.files_skipped = (tally.counts.files_skipped ?? 0) + 1;
      parsing = (async () => { for await (const _ of lines) void _; })();
    } else {
      throw invalid(`file "${base}": not a KuaiRand-Pure file (expected kuairand_pure_log_*.csv.gz, video_features_basic_pure.csv.gz or user_features_pure.csv.gz)`);
    }
    // Parse errors surface when the file ends; a rejected promise must not go unhandled meanwhile.
    parsing.catch(() => undefined);
    pipe = p;
    files.push(base);
  };
  try {
    for await (const m of messages) {
      if (m.header) {
        if (src) throw invalid('header: send it once, in the first message');
        const h = m.header;
        if (h.format !== 'kuairand' && h.format !== 'modelops') throw invalid(`format: "${h.format}" is not supported; use kuairand or modelops`);
        const dim = h.dim || 16;
        if (!Number.isInteger(dim) || dim < 1 || dim > 1024) throw invalid(`dim: ${dim} is not a whole number in 1..1024`);
        format = h.format;
        const kr = h.format === 'kuairand';
        const timezone = h.timezone || (kr ? 'Asia/Shanghai' : 'UTC');
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: timezone });
        } catch {
          throw invalid(`timezone: "${timezone}" is not an IANA time zone (for example Asia/Kolkata)`);
        }
        src = await sources.ensure({ source: h.source || h.format, format: h.format, timezone, language: h.language || (kr ? 'zh' : 'unknown'), dim });
        writer = new LogWriter(stores.events, src.source, src.timezone);
        upserts = new ItemUpserts(sources, src.source);
        await keepWhenEmpty(stores, src, writer);
        continue;
      }
      if (!m.chunk) continue;
      if (!src) throw invalid('the first message of an import must carry the header (format, source, timezone)');
      if (m.chunk.file_name !== current) {
        await finishFile().catch(asInvalid);
        current = m.chunk.file_name;
        startFile(current);
      }
      // A parser that stops early (a bad header) stops reading: wait for 'drain' or for it to fail, never forever.
      if (!pipe!.write(m.chunk.data)) await Promise.race([new Promise((r) => pipe!.once('drain', r)), parsing!.catch(asInvalid)]);
    }
  } catch (err) {
    // A parser still reading the file (the views parse worker) stops with its stream.
    pipe?.destroy();
    throw err;
  }
  if (!src) throw invalid('the import stream was empty: send a header and the files');
  await finishFile().catch(asInvalid);
  await upserts!.done();
  if (upserts!.upserted) tally.counts.items_upserted = (tally.counts.items_upserted ?? 0) + upserts!.upserted;
  const online = await finishLoad(stores, src, writer);
  tally.counts.views_inserted = writer?.added ?? 0;
  tally.counts.views_already_stored = writer?.alreadyStored ?? 0;
  tally.counts.online_users = online.users;
  tally.counts.online_items = online.items;
  const notes = [`files: ${files.join(', ')}`, ...(format === 'kuairand' ? KUAIRAND_NOTES : [])];
  return { source: src.source, counts: tally.counts, rejections: tally.rejections, notes };
}

/**
 * Makes `writer` keep the runs it sends when the source's log is empty as a bulk load begins: the whole log, once
 * the load ends, so its online rows can be computed from them instead of reading every file back. Returns
 * whether it does.
 */
export async function keepWhenEmpty(stores: FeatureStores, src: SourceInfo, writer: LogWriter): Promise<boolean> {
  if ((await stores.events.stats(src.source)).rows > 0) return false;
  writer.sent = [];
  return true;
}

/**
 * The log a load into an empty source stored, as loadLog would read it back: the catalogue first, then day by
 * day (each run is one market day) the day's runs merged in the order they were stored (equal times in arrival
 * order, as a reader merges a day's files). Empties `runs`.
 */
async function logOfRuns(sources: EventSourceStore, src: SourceInfo, runs: ViewRun[]): Promise<EventLog> {
  const clock = new MarketClock(src.timezone);
  const days = new Map<number, ViewRun[]>();
  for (const r of runs) {
    const day = clock.dayNumber(r.ts[0]);
    let list = days.get(day);
    if (!list) days.set(day, (list = []));
    list.push(r);
  }
  const b = new EventLogBuilder(src.dim, runs.reduce((s, r) => s + r.n, 0) + 1);
  // Each run is let go once copied, so the runs and the log are not both held whole.
  runs.length = 0;
  await sources.loadItems(src.source, b);
  for (const day of [...days.keys()].sort((x, y) => x - y)) {
    const list = days.get(day)!;
    days.delete(day);
    // A day of several runs is merged straight into the builder, each run's dictionaries looked up once: a merged
    // run first (mergedRun) interned every row's strings again, ~4 of the 27 main-thread CPU s of a 10M import.
    if (list.length === 1) b.addColumns(list[0]);
    else b.addMerged(list);
  }
  return b.finish();
}

/**
 * Ends a bulk load: stores what the writer still buffers; merges the small files the load left; writes the
 * catalogue's file for engines outside the platform; and recomputes every online row of the source from its
 * whole log. When the writer kept its runs (the log was empty), the rows are computed from them while the last
 * batches are encoded and stored, and used when the log then holds exactly those runs (nobody else stored views
 * meanwhile); otherwise they are computed from the files.
 */
export async function finishLoad(stores: FeatureStores, src: SourceInfo, writer?: LogWriter): Promise<{ users: number; items: number }> {
  const layout = layoutFor(src.dim);
  let computing: Promise<OnlineRows> | undefined;
  let sent = -1;
  if (writer) {
    writer.sendAll();
    const kept = writer.sent;
    writer.sent = undefined;
    if (kept) {
      sent = kept.reduce((s, r) => s + r.n, 0);
      // This thread's share of the rows is done when the call returns; the worker's share goes on beside the
      // catalogue's file and the compaction below.
      computing = onlineRowsOnTwoCores(await logOfRuns(stores.sources, src, kept), layout);
      computing.catch(() => undefined);
    }
    await writer.stored();
  }
  // The compaction and the catalogue's file need none of the rows: they go on beside the rows' computation and
  // their write to Postgres (readers, the read-back below included, see the same views during a compaction).
  const files = (async () => {
    await stores.events.compact(src.source, { minFiles: 2 });
    await stores.events.putCatalogue(src.source, await stores.sources.listItems(src.source));
  })();
  // Awaited below; a failure meanwhile must not count as unhandled.
  files.catch(() => undefined);
  stores.online.forget(src.source);
  let rows = computing ? await computing : undefined;
  if (!rows || sent !== writer!.added || (await stores.events.stats(src.source)).rows !== sent) {
    rows = await onlineRowsOnTwoCores(await loadLog(stores.sources, stores.events, src), layout);
  }
  const written = await stores.onlineRows.write(src.source, rows);
  await files;
  return written;
}

/** Generates a synthetic log into the store. */
export async function generate(stores: FeatureStores, p: SyntheticParams & { source?: string }): Promise<{ source: string; counts: Record<string, number> }> {
  const { sources } = stores;
  for (const [k, v, max] of [['users', p.users, 1e6], ['items', p.items, 1e6], ['days', p.days, 365]] as [string, number, number][]) {
    if (!Number.isInteger(v) || v < 1 || v > max) throw invalid(`${k}: ${v} is not a whole number in 1..${max}`);
  }
  const dim = p.dim || 16;
  if (!Number.isInteger(dim) || dim < 1 || dim > 1024) throw invalid(`dim: ${dim} is not a whole number in 1..1024`);
  if (p.start && !/^\d{4}-\d{2}-\d{2}$/.test(p.start)) throw invalid(`start_date: "${p.start}" is not YYYY-MM-DD`);
  // Before the source is recorded with it (the writer's clock would fail on it after, as an internal error).
  try {
    new MarketClock(p.timezone || 'Asia/Kolkata');
  } catch (e) {
    throw invalid((e as Error).message);
  }
  const src = await sources.ensure({ source: p.source || `synthetic-${p.seed}`, format: 'synthetic', timezone: p.timezone || 'Asia/Kolkata', language: p.language || 'hi', dim });
  const items: ItemRecord[] = [];
  const writer = new LogWriter(stores.events, src.source, src.timezone);
  await keepWhenEmpty(stores, src, writer);
  let generated = 0;
  // The writer is new: its dictionaries number their strings from 0 in the order added, as the worker numbers the
  // users, items and creators it hands over and as HANDSETS lists the handsets, so the batches' ids are the writer's.
  for (const [h] of HANDSETS) writer.handsets.add(h);
  // The generator's own default, as syntheticViews names the language of every view.
  const language = writer.languages.add(p.language ?? 'hi');
  const upserts = new ItemUpserts(sources, src.source);
  // The generator runs in a worker thread, so drawing the next views overlaps storing these.
  try {
    for await (const m of syntheticOffThread({ ...p, dim, timezone: src.timezone })) {
      if ('items' in m) {
        for (const it of m.items) items.push(it);
        await upserts.add(m.items);
        continue;
      }
      const b = m.batch;
      for (const u of b.freshUsers) writer.users.add(userId(u));
      for (const i of b.freshItems) writer.items.add(itemId(i));
      for (const c of b.freshCreators) writer.creators.add(creatorId(c));
      await writer.addColumns({ ...b, language: new Int32Array(b.n).fill(language) });
      generated += b.n;
    }
  } catch (e) {
    if (e instanceof GeneratorError) throw invalid(e.message);
    throw e;
  }
  await upserts.done();
  const online = await finishLoad(stores, src, writer);
  return { source: src.source, counts: { views_generated: generated, views_inserted: writer.added, views_already_stored: writer.alreadyStored,
    items: items.length, online_users: online.users, online_items: online.items } };
}

/** An ingested view as the RPC decodes it. */
export interface IngestView {
  user_id: string; item_id: string; creator_id: string; ts: number; language: string; video_length_s: number; timespent_s: number;
  liked: boolean; shared: boolean; downloaded: boolean; handset_maker: string;
}

/** An ingested item as the RPC decodes it. */
export interface IngestItem {
  item_id: string; creator_id: string; language: string; created_at: number; video_length_s: number; embedding: number[];
}

/** The most views or items one IngestEvents call may carry. */
export const MAX_INGEST = 10_000;

function badId(what: string, id: string): string | undefined {
  if (!id) return `${what} is missing`;
  if (id.length > MAX_ID) return `${what} has ${id.length} characters, at most ${MAX_ID} allowed`;
  if (BAD_ID.test(id)) return `${what} contains a tab, newline or backslash`;
  return undefined;
}

/** Appends views and items, then refreshes the online rows of the users and items touched. */
export async function ingest(stores: FeatureStores, req: { source?: string; views: IngestView[]; items: IngestItem[] }): Promise<{
  source: string; viewsInserted: number; viewsAlreadyStored: number; itemsUpserted: number; rejections: { file: string; line: number; reason: string }[];
  usersRefreshed: number; itemsRefreshed: number;
}> {
  if (req.views.length > MAX_INGEST) throw invalid(`views: ${req.views.length} given, at most ${MAX_INGEST} per call; send several calls`);
  if (req.items.length > MAX_INGEST) throw invalid(`items: ${req.items.length} given, at most ${MAX_INGEST} per call; send several calls`);
  if (req.views.length === 0 && req.items.length === 0) throw invalid('views and items are both empty: send at least one');
  const { sources } = stores;
  const src = await sources.get(req.source || undefined);
  const tally = newCounts();
  const items: ItemRecord[] = [];
  req.items.forEach((it, k) => {
    const why = badId('item_id', it.item_id) ?? badId('creator_id', it.creator_id || 'unknown')
      ?? (it.embedding.length !== src.dim ? `embedding has ${it.embedding.length} values; source "${src.source}" uses dimension ${src.dim}` : undefined)
      ?? (it.embedding.some((x) => !Number.isFinite(x)) ? 'embedding has a non-finite value' : undefined)
      ?? (!(it.video_length_s >= 0) ? `video_length_s ${it.video_length_s} is negative` : undefined)
      ?? (!(it.created_at >= 0) ? `created_at ${it.created_at} is negative` : undefined);
    if (why) return reject(tally, 'request.items', k, why);
    items.push({ item_id: it.item_id, creator_id: it.creator_id || 'unknown', language: it.language || src.language, created_at: it.created_at || null,
      video_length_s: it.video_length_s || null, embedding: it.embedding });
  });
  const itemsUpserted = await sources.upsertItems(src.source, items);
  // Catalogue facts fill a view's creator and length where the caller left them out.
  const ids = [...new Set(req.views.map((v) => v.item_id))];
  const cat = await sources.itemFacts(src.source, ids);
  const maxTs = Date.now() + 86_400_000;
  const rows: ViewRecord[] = [];
  req.views.forEach((v, k) => {
    const why = badId('user_id', v.user_id) ?? badId('item_id', v.item_id) ?? (v.creator_id ? badId('creator_id', v.creator_id) : undefined)
      ?? (!Number.isInteger(v.ts) || v.ts <= 0 ? `ts ${v.ts} is not a positive epoch-ms time` : undefined)
      ?? (v.ts > maxTs ? `ts ${v.ts} is more than a day in the future` : undefined)
      ?? (!(v.timespent_s >= 0) || !Number.isFinite(v.timespent_s) ? `timespent_s ${v.timespent_s} is not a non-negative number` : undefined)
      ?? (!(v.video_length_s >= 0) || !Number.isFinite(v.video_length_s) ? `video_length_s ${v.video_length_s} is not a non-negative number` : undefined)
      ?? (v.handset_maker && BAD_ID.test(v.handset_maker) ? 'handset_maker contains a tab, newline or backslash' : undefined);
    if (why) return reject(tally, 'request.views', k, why);
    const c = cat.get(v.item_id);
    const view: ViewRecord = {
      user_id: v.user_id, item_id: v.item_id, creator_id: v.creator_id || c?.creator_id || 'unknown', ts: v.ts, language: v.language || src.language,
      video_length_s: v.video_length_s || c?.video_length_s || null, timespent_s: v.timespent_s, liked: v.liked, shared: v.shared,
      downloaded: v.downloaded, handset_maker: v.handset_maker || 'unknown',
    };
    rows.push(view);
  });
  const b = new ViewRunBuilder(rows.length);
  for (const v of rows) b.add(v);
  const run = b.take();
  // Acknowledged only once durable: the batch's staged files and manifest rows are committed before the reply.
  const users = new Set(rows.map((v) => v.user_id));
  const touched = new Set([...rows.map((v) => v.item_id), ...items.map((i) => i.item_id)]);
  const creators = new Set([...rows.map((v) => v.creator_id), ...items.map((i) => i.creator_id)]);
  const { stored, refreshed } = await stores.online.serial(src.source, async () => {
    const stored = await stores.events.append(src.source, src.timezone, run, batchKeyOf(rows.map((view) => ({ view }))), { staged: true });
    let refreshed = { users: 0, items: 0 };
    if (users.size || touched.size) {
      const log = await stores.online.subset(src, { run, added: stored.added }, [...users], [...touched], [...creators]);
      refreshed = await refreshOnline(stores.onlineRows, src.source, log, layoutFor(src.dim), { users, items: touched });
    }
    return { stored, refreshed };
  });
  return { source: src.source, viewsInserted: stored.added, viewsAlreadyStored: stored.alreadyStored, itemsUpserted, rejections: tally.rejections,
    usersRefreshed: refreshed.users, itemsRefreshed: refreshed.items };
}
