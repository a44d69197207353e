// The event store in Postgres: views and items loaded in bulk with COPY into a temporary table and then
// inserted with ON CONFLICT, so loading the same file twice adds nothing (a view's row key is a hash of its
// source row); and the reverse path, the whole log of a source streamed out with COPY into typed arrays.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { EventLogBuilder, type EventLog, type ItemRecord, type ViewRecord } from '../../ml/data/events';
import { rowKey } from '../../ml/data/kuairand';
import { invalid, notFound } from '../../core/errors';

/** Where a source's views came from and how to read their times. */
export interface SourceInfo {
  source: string;
  format: string;
  timezone: string;
  language: string;
  dim: number;
}

/** A view as stored, with its row key and (synthetic data only) its true affinity. */
export interface StoredView {
  view: ViewRecord;
  key: string;
  affinity?: number | null;
}

/** Escapes a value for COPY text format. */
export function copyEscape(v: string): string {
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

const esc = copyEscape;
const num = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '\\N' : String(x));

/** The row key of a view that has no source line (synthetic, ingested): a hash of its fields. */
export function viewKey(source: string, v: ViewRecord): string {
  return rowKey(`${source}|${v.user_id}|${v.item_id}|${v.ts}|${v.timespent_s}|${v.video_length_s}|${+v.liked}${+v.shared}${+v.downloaded}|${v.handset_maker}`);
}

/** Creates or checks a source; a different content-vector dimension for an existing source is refused. */
export async function ensureSource(pool: Pool, s: SourceInfo): Promise<SourceInfo> {
  const r = await pool.query(
    `INSERT INTO event_sources (source, format, timezone, language, dim) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (source) DO UPDATE SET update_time = now() RETURNING source, format, timezone, language, dim`,
    [s.source, s.format, s.timezone, s.language, s.dim]);
  const got = r.rows[0] as SourceInfo;
  if (got.dim !== s.dim) throw invalid(`dim: source "${s.source}" has content vectors of dimension ${got.dim}, not ${s.dim}; use that dimension or another --source`);
  return got;
}

/** A source by name, or the most recently updated one when `name` is empty. */
export async function getSource(pool: Pool, name?: string): Promise<SourceInfo> {
  const r = name
    ? await pool.query('SELECT source, format, timezone, language, dim FROM event_sources WHERE source = $1', [name])
    : await pool.query('SELECT source, format, timezone, language, dim FROM event_sources ORDER BY update_time DESC, source LIMIT 1');
  if (r.rowCount === 0) throw notFound(name ? `source "${name}" not found: import or generate it first` : 'the event store is empty: import or generate views first');
  return r.rows[0] as SourceInfo;
}

async function copyIn(client: PoolClient, sql: string, lines: string[]): Promise<void> {
  const stream = client.query(copyFrom(sql));
  await pipeline(Readable.from([lines.join('')]), stream);
}

const VIEW_COLUMNS = 'row_key, source, user_id, item_id, creator_id, ts, language, video_length_s, timespent_s, liked, shared, downloaded, handset_maker, affinity';

/** One view as a line of COPY text (the row key first, then VIEW_COLUMNS in order; `src` already escaped). */
export function viewLine(src: string, v: ViewRecord, key: string, affinity: number | null | undefined): string {
  return `${key}\t${src}\t${esc(v.user_id)}\t${esc(v.item_id)}\t${esc(v.creator_id)}\t${v.ts}\t${esc(v.language)}\t${num(v.video_length_s)}\t${v.timespent_s}\t${v.liked ? 't' : 'f'}\t${v.shared ? 't' : 'f'}\t${v.downloaded ? 't' : 'f'}\t${esc(v.handset_maker)}\t${num(affinity)}\n`;
}

/**
 * Writes a batch of views given as COPY text: one COPY into a temporary staging table (no indexes, no WAL, no
 * foreign-key trigger), then ONE set-based INSERT ... SELECT ... ON CONFLICT (row_key) DO NOTHING into view_events.
 * The rows go in as they came (no ORDER BY): sources arrive grouped by user or by time, which keeps those indexes'
 * inserts local; sorting by row key made the load twice as slow (measured). Loading the same rows twice (or the
 * same row twice in one batch) adds nothing. Returns how many rows were new.
 */
async function insertViewText(pool: Pool, text: Buffer): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE view_stage (row_key bigint, source text, user_id text, item_id text, creator_id text, ts bigint, language text,
      video_length_s real, timespent_s real, liked boolean, shared boolean, downloaded boolean, handset_maker text, affinity real) ON COMMIT DROP`);
    await pipeline(Readable.from([text]), client.query(copyFrom('COPY view_stage FROM STDIN')));
    const r = await client.query(`INSERT INTO view_events (${VIEW_COLUMNS}) SELECT ${VIEW_COLUMNS} FROM view_stage ON CONFLICT (row_key) DO NOTHING`);
    await client.query('COMMIT');
    return r.rowCount ?? 0;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Inserts views; returns how many were new and how many were already stored (same row key). */
export async function insertViews(pool: Pool, source: string, rows: StoredView[]): Promise<{ inserted: number; duplicates: number }> {
  if (rows.length === 0) return { inserted: 0, duplicates: 0 };
  const src = esc(source);
  let text = '';
  for (const { view, key, affinity } of rows) text += viewLine(src, view, key, affinity);
  const inserted = await insertViewText(pool, Buffer.from(text));
  return { inserted, duplicates: rows.length - inserted };
}

/** Inserts or replaces items (the catalogue's latest facts win). */
export async function upsertItems(pool: Pool, source: string, items: ItemRecord[]): Promise<number> {
  if (items.length === 0) return 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE tmp_items (item_id text, creator_id text, language text, created_at bigint, video_length_s real,
      embedding bytea) ON COMMIT DROP`);
    // The last record of an item within one batch wins.
    const last = new Map(items.map((it) => [it.item_id, it]));
    const lines = [...last.values()].map((it) =>
      `${esc(it.item_id)}\t${esc(it.creator_id)}\t${esc(it.language)}\t${num(it.created_at)}\t${num(it.video_length_s)}\t\\\\x${Buffer.from(Float32Array.from(it.embedding).buffer).toString('hex')}\n`);
    await copyIn(client, 'COPY tmp_items FROM STDIN', lines);
    const r = await client.query(`INSERT INTO items (source, item_id, creator_id, language, created_at, video_length_s, embedding)
      SELECT $1, item_id, creator_id, language, created_at, video_length_s, embedding FROM tmp_items
      ON CONFLICT (source, item_id) DO UPDATE SET creator_id = EXCLUDED.creator_id, language = EXCLUDED.language,
        created_at = EXCLUDED.created_at, video_length_s = EXCLUDED.video_length_s, embedding = EXCLUDED.embedding`, [source]);
    await client.query('COMMIT');
    return r.rowCount ?? 0;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The secondary indexes of view_events (the row-key index is never dropped: it is what makes loads idempotent). */
const SECONDARY_INDEXES: [string, string][] = [
  ['view_events_source_ts', '(source, ts)'],
  ['view_events_user', '(user_id, ts)'],
  ['view_events_item', '(item_id, ts)'],
];

/**
 * Creates whichever secondary index of view_events is missing (after a bulk load, or at start after a process died
 * in the middle of one). Serialised by an advisory lock so two loads finishing together do not race on a name.
 */
export async function ensureViewIndexes(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('modelops.view_events.indexes'))");
    // Enough sort memory that an index over a few million views is built in memory rather than spilled to disk.
    await client.query("SET LOCAL maintenance_work_mem = '256MB'");
    for (const [name, cols] of SECONDARY_INDEXES) await client.query(`CREATE INDEX IF NOT EXISTS ${name} ON view_events ${cols}`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Drops the secondary indexes for a bulk load, if their lock comes within a second (a long reader holds it
 * otherwise: then the load just keeps them). Returns whether they were dropped.
 */
async function dropViewIndexes(pool: Pool): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL lock_timeout = '1s'");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('modelops.view_events.indexes'))");
    for (const [name] of SECONDARY_INDEXES) await client.query(`DROP INDEX IF EXISTS ${name}`);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((err as { code?: string }).code === '55P03') return false; // lock_not_available
    throw err;
  } finally {
    client.release();
  }
}

/** The number of rows in view_events (the planner's estimate when there is one, else a count). */
async function storedViews(pool: Pool): Promise<number> {
  const est = Number((await pool.query("SELECT reltuples FROM pg_class WHERE oid = 'view_events'::regclass")).rows[0]?.reltuples ?? -1);
  if (est >= 0) return est;
  return Number((await pool.query('SELECT count(*) AS n FROM view_events')).rows[0].n);
}

/** Options of a ViewWriter. */
export interface ViewWriterOptions {
  /**
   * A bulk load (import, generate): once this writer has added at least 100,000 new views and at least half as
   * many as the table held before it started, it drops the secondary indexes and `flush`/`close` rebuild them (one sort
   * per index instead of a random B-tree insert per row and index; measured about 2x faster for a 1M load into an
   * empty store). Readers meanwhile stay correct (sequential scans). Off for small writes.
   */
  bulk?: boolean;
  /** The fewest new views before a bulk load drops the indexes (100,000; smaller in tests). */
  bulkMinRows?: number;
}

/**
 * Buffers views as COPY text and writes them in batches (bounded memory for streamed imports: at most one batch
 * being filled and one being written). A full batch is written while the caller produces the next one, so the
 * JS work (parsing, hashing, formatting) overlaps the database's; `flush` waits for everything.
 */
export class ViewWriter {
  // COPY text goes straight into one of two reused buffers (one filling, one being written): building one big
  // JS string per batch cost more CPU in string ropes, flattening and GC than formatting the rows did.
  private bufs = [Buffer.allocUnsafe(8 << 20), Buffer.allocUnsafe(8 << 20)];
  private cur = 0;
  private len = 0;
  private rows = 0;
  private before?: number;
  private dropped = false;
  private pending?: Promise<void>;
  private readonly src: string;
  inserted = 0;
  duplicates = 0;

  constructor(private readonly pool: Pool, source: string, private readonly batch = 50_000, private readonly opts: ViewWriterOptions = {}) {
    this.src = esc(source);
  }

  /** Adds a view; hands a full batch to the database (waiting only for the batch before it). */
  async add(v: StoredView): Promise<void> {
    const line = viewLine(this.src, v.view, v.key, v.affinity);
    let buf = this.bufs[this.cur];
    if (this.len + 3 * line.length > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * buf.length, this.len + 3 * line.length));
      buf.copy(bigger, 0, 0, this.len);
      buf = this.bufs[this.cur] = bigger;
    }
    this.len += buf.write(line, this.len, 'utf8');
    if (++this.rows >= this.batch) await this.send();
  }

  private async send(): Promise<void> {
    if (this.pending) await this.pending;
    this.pending = undefined;
    if (this.rows === 0) return;
    // The other buffer's batch is stored (awaited above), so it can be filled again.
    const text = this.bufs[this.cur].subarray(0, this.len);
    const rows = this.rows;
    this.cur ^= 1;
    this.len = 0;
    this.rows = 0;
    if (this.opts.bulk && !this.dropped) {
      this.before ??= await storedViews(this.pool);
      // Counted on rows actually added: a re-import of stored rows adds nothing and keeps its indexes.
      if (this.inserted >= (this.opts.bulkMinRows ?? 100_000) && this.inserted * 2 >= this.before) this.dropped = await dropViewIndexes(this.pool);
    }
    const p = insertViewText(this.pool, text).then((inserted) => {
      this.inserted += inserted;
      this.duplicates += rows - inserted;
    });
    // Awaited by the next send or flush; a failure must not count as unhandled meanwhile.
    p.catch(() => undefined);
    this.pending = p;
  }

  /** Writes what is buffered, waits until every batch is stored, and rebuilds any index the load dropped. */
  async flush(): Promise<void> {
    try {
      await this.send();
      if (this.pending) await this.pending;
      this.pending = undefined;
    } finally {
      await this.close();
    }
  }

  /** Rebuilds the indexes this writer dropped (call it when a load ends early); harmless otherwise. */
  async close(): Promise<void> {
    if (this.pending) await this.pending.catch(() => undefined);
    this.pending = undefined;
    if (!this.dropped) return;
    this.dropped = false;
    await ensureViewIndexes(this.pool);
  }
}

/** The newest view time of a source, or undefined when it has none. */
export async function newestTs(pool: Pool, source: string): Promise<number | undefined> {
  const r = await pool.query('SELECT max(ts) AS t FROM view_events WHERE source = $1', [source]);
  return r.rows[0].t === null ? undefined : Number(r.rows[0].t);
}

async function loadItems(pool: Pool, source: string, b: EventLogBuilder, ids?: string[]): Promise<void> {
  const r = ids
    ? await pool.query('SELECT item_id, creator_id, language, created_at, video_length_s, embedding FROM items WHERE source = $1 AND item_id = ANY($2)', [source, ids])
    : await pool.query('SELECT item_id, creator_id, language, created_at, video_length_s, embedding FROM items WHERE source = $1 ORDER BY item_id', [source]);
  for (const row of r.rows as { item_id: string; creator_id: string; language: string; created_at: string | null; video_length_s: number | null; embedding: Buffer }[]) {
    const e = row.embedding;
    const emb = new Float32Array(e.buffer.slice(e.byteOffset, e.byteOffset + e.byteLength));
    b.addItem({ item_id: row.item_id, creator_id: row.creator_id, language: row.language, created_at: row.created_at === null ? null : Number(row.created_at),
      video_length_s: row.video_length_s, embedding: Array.from(emb) });
  }
}

const FLAG = (s: string) => s === 't';

/**
 * Streams every view of a source with ts < `beforeTs` (all when undefined) into an EventLog, in time order. The
 * rows travel as COPY text and go straight into typed arrays: no per-row JS objects are kept.
 */
export async function loadLog(pool: Pool, source: SourceInfo, beforeTs?: number): Promise<EventLog> {
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const where = `source = ${lit(source.source)}${beforeTs !== undefined ? ` AND ts < ${Math.floor(beforeTs)}` : ''}`;
  // Count first, so the columns are allocated once at their final size instead of doubling.
  const count = Number((await pool.query(`SELECT count(*) AS n FROM view_events WHERE ${where}`)).rows[0].n);
  const b = new EventLogBuilder(source.dim, count + 1);
  await loadItems(pool, source.source, b);
  const client = await pool.connect();
  try {
    // The ORDER BY sorts the whole log: with the default 4 MB of sort memory that is an external merge on disk.
    await client.query('BEGIN READ ONLY');
    await client.query("SET LOCAL work_mem = '256MB'");
    const out = client.query(copyTo(`COPY (SELECT user_id, item_id, creator_id, ts, video_length_s, timespent_s, liked, shared, downloaded, handset_maker
      FROM view_events WHERE ${where} ORDER BY ts, id) TO STDOUT`));
    let rest = '';
    const unesc = (v: string) => (v.includes('\\') ? v.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' }[c] ?? c)) : v);
    const take = (line: string) => {
      const f = line.split('\t');
      const flags = (FLAG(f[6]) ? 1 : 0) | (FLAG(f[7]) ? 2 : 0) | (FLAG(f[8]) ? 4 : 0);
      b.addView(unesc(f[0]), unesc(f[1]), unesc(f[2]), Number(f[3]), f[4] === '\\N' ? Number.NaN : Number(f[4]), Number(f[5]), flags, unesc(f[9]));
    };
    for await (const chunk of out) {
      const text = rest + (chunk as Buffer).toString('utf8');
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        take(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    if (rest) take(rest);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  return b.finish();
}

/**
 * The views (in time order) of some users, items and creators (through the catalogue's items of each creator) of a
 * source: what an online refresh needs.
 */
export async function loadSubset(pool: Pool, source: SourceInfo, users: string[], items: string[], creators: string[]): Promise<EventLog> {
  const b = new EventLogBuilder(source.dim);
  const r = await pool.query(`SELECT user_id, item_id, creator_id, ts, video_length_s, timespent_s, liked, shared, downloaded, handset_maker
    FROM view_events WHERE source = $1 AND (user_id = ANY($2) OR item_id = ANY($3)
      OR item_id IN (SELECT item_id FROM items WHERE source = $1 AND creator_id = ANY($4))) ORDER BY ts, id`,
  [source.source, users, items, creators]);
  const itemIds = new Set<string>(items);
  for (const row of r.rows as Record<string, string>[]) itemIds.add(row.item_id);
  await loadItems(pool, source.source, b, [...itemIds]);
  for (const row of r.rows as { user_id: string; item_id: string; creator_id: string; ts: string; video_length_s: number | null; timespent_s: number; liked: boolean; shared: boolean; downloaded: boolean; handset_maker: string }[]) {
    b.addView(row.user_id, row.item_id, row.creator_id, Number(row.ts), row.video_length_s ?? Number.NaN, row.timespent_s,
      (row.liked ? 1 : 0) | (row.shared ? 2 : 0) | (row.downloaded ? 4 : 0), row.handset_maker);
  }
  return b.finish();
}
