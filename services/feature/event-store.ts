// The feature store's tables in Postgres: event sources and the item catalogue (loaded in bulk with COPY into a
// temporary table and upserted, so the catalogue's latest facts win), and the reader that assembles a source's
// log: the catalogue from here, the views from the event log's files (registry/event-log.ts).
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EventLogBuilder, type EventLog, type ItemRecord } from '../../ml/data/events';
import type { EventLogStore } from '../../registry/event-log';
import { invalid, notFound } from '../../core/errors';

/** Where a source's views came from and how to read their times. */
export interface SourceInfo {
  source: string;
  format: string;
  timezone: string;
  language: string;
  dim: number;
}

/** Escapes a value for COPY text format. */
export function copyEscape(v: string): string {
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

const esc = copyEscape;
const num = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '\\N' : String(x));

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

/** Every catalogue item of a source, ordered by item id. */
export async function listItems(pool: Pool, source: string): Promise<ItemRecord[]> {
  const r = await pool.query('SELECT item_id, creator_id, language, created_at, video_length_s, embedding FROM items WHERE source = $1 ORDER BY item_id', [source]);
  return (r.rows as ItemRow[]).map(itemOf);
}

type ItemRow = { item_id: string; creator_id: string; language: string; created_at: string | null; video_length_s: number | null; embedding: Buffer };

function itemOf(row: ItemRow): ItemRecord {
  const e = row.embedding;
  const emb = new Float32Array(e.buffer.slice(e.byteOffset, e.byteOffset + e.byteLength));
  return { item_id: row.item_id, creator_id: row.creator_id, language: row.language, created_at: row.created_at === null ? null : Number(row.created_at),
    video_length_s: row.video_length_s, embedding: Array.from(emb) };
}

/** Adds the catalogue items of a source (those in `ids` only, when given; all ordered by item id) to a builder. */
export async function loadItems(pool: Pool, source: string, b: EventLogBuilder, ids?: string[]): Promise<void> {
  const r = ids
    ? await pool.query('SELECT item_id, creator_id, language, created_at, video_length_s, embedding FROM items WHERE source = $1 AND item_id = ANY($2)', [source, ids])
    : await pool.query('SELECT item_id, creator_id, language, created_at, video_length_s, embedding FROM items WHERE source = $1 ORDER BY item_id', [source]);
  for (const row of r.rows as ItemRow[]) b.addItem(itemOf(row));
}

/**
 * A source's log with ts < `beforeTs` (all when undefined), in time order: the catalogue first (so item indices
 * follow item ids), then the views streamed from the event log's files into typed arrays.
 */
export async function loadLog(pool: Pool, events: EventLogStore, source: SourceInfo, beforeTs?: number): Promise<EventLog> {
  // Counted from the manifest first, so the columns are allocated once at their final size instead of doubling.
  const b = new EventLogBuilder(source.dim, (await events.count(source.source, beforeTs)) + 1);
  await loadItems(pool, source.source, b);
  await events.read(source.source, b, beforeTs);
  return b.finish();
}
