// Event sources and the item catalogue in Postgres. A source records where its views came from and how to read
// their times; the catalogue holds each item's latest facts, loaded in bulk with COPY into a temporary table and
// upserted, so the catalogue's latest facts win. The views themselves live in the event log (registry/event-log.ts).
import type { Pool } from 'pg';
import type { EventLogBuilder, ItemRecord } from '../ml/data/events';
import { invalid, notFound } from '../core/errors';
import { copyEscape as esc, copyFloat32, copyIn, copyNumber as num, float32Of } from './pg-copy';
import { withTransaction } from './transaction';

/** Where a source's views came from and how to read their times. */
export interface SourceInfo {
  source: string;
  format: string;
  timezone: string;
  language: string;
  dim: number;
}

/** The catalogue facts a view takes when its sender left them out. */
export interface ItemFacts {
  creator_id: string;
  video_length_s: number | null;
}

/** Event sources and their item catalogues. */
export interface EventSourceStore {
  /** Creates or checks a source; a different content-vector dimension for an existing source is refused (INVALID_ARGUMENT). */
  ensure(s: SourceInfo): Promise<SourceInfo>;
  /** A source by name, or the most recently updated one when `name` is empty; NOT_FOUND when there is none. */
  get(name?: string): Promise<SourceInfo>;
  /** Inserts or replaces items of a source in one transaction (the last record of an item wins); returns how many rows it wrote. */
  upsertItems(source: string, items: ItemRecord[]): Promise<number>;
  /** Every catalogue item of a source, ordered by item id. */
  listItems(source: string): Promise<ItemRecord[]>;
  /** Adds the catalogue items of a source (those in `ids` only, when given; all ordered by item id) to a builder. */
  loadItems(source: string, into: Pick<EventLogBuilder, 'addItem'>, ids?: string[]): Promise<void>;
  /** The creator and length of those of `ids` the catalogue knows, by item id. */
  itemFacts(source: string, ids: string[]): Promise<Map<string, ItemFacts>>;
  /** The ids of the catalogue items of a source made by any of `creators`. */
  itemsOfCreators(source: string, creators: string[]): Promise<string[]>;
}

type ItemRow = { item_id: string; creator_id: string; language: string; created_at: string | null; video_length_s: number | null; embedding: Buffer };

const ITEM_COLUMNS = 'item_id, creator_id, language, created_at, video_length_s, embedding';

function itemOf(row: ItemRow): ItemRecord {
  return { item_id: row.item_id, creator_id: row.creator_id, language: row.language, created_at: row.created_at === null ? null : Number(row.created_at),
    video_length_s: row.video_length_s, embedding: Array.from(float32Of(row.embedding)) };
}

/** The EventSourceStore over the event_sources and items tables. */
export class PgEventSourceStore implements EventSourceStore {
  constructor(private readonly pool: Pool) {}

  async ensure(s: SourceInfo): Promise<SourceInfo> {
    const r = await this.pool.query(
      `INSERT INTO event_sources (source, format, timezone, language, dim) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (source) DO UPDATE SET update_time = now() RETURNING source, format, timezone, language, dim`,
      [s.source, s.format, s.timezone, s.language, s.dim]);
    const got = r.rows[0] as SourceInfo;
    if (got.dim !== s.dim) throw invalid(`dim: source "${s.source}" has content vectors of dimension ${got.dim}, not ${s.dim}; use that dimension or another --source`);
    return got;
  }

  async get(name?: string): Promise<SourceInfo> {
    const r = name
      ? await this.pool.query('SELECT source, format, timezone, language, dim FROM event_sources WHERE source = $1', [name])
      : await this.pool.query('SELECT source, format, timezone, language, dim FROM event_sources ORDER BY update_time DESC, source LIMIT 1');
    if (r.rowCount === 0) throw notFound(name ? `source "${name}" not found: import or generate it first` : 'the event store is empty: import or generate views first');
    return r.rows[0] as SourceInfo;
  }

  async upsertItems(source: string, items: ItemRecord[]): Promise<number> {
    if (items.length === 0) return 0;
    // The last record of an item within one batch wins.
    const last = new Map(items.map((it) => [it.item_id, it]));
    const lines = [...last.values()].map((it) =>
      `${esc(it.item_id)}\t${esc(it.creator_id)}\t${esc(it.language)}\t${num(it.created_at)}\t${num(it.video_length_s)}\t${copyFloat32(Float32Array.from(it.embedding))}\n`);
    return withTransaction(this.pool, async (c) => {
      await c.query(`CREATE TEMP TABLE tmp_items (item_id text, creator_id text, language text, created_at bigint, video_length_s real,
        embedding bytea) ON COMMIT DROP`);
      await copyIn(c, 'COPY tmp_items FROM STDIN', lines);
      const r = await c.query(`INSERT INTO items (source, ${ITEM_COLUMNS})
        SELECT $1, ${ITEM_COLUMNS} FROM tmp_items
        ON CONFLICT (source, item_id) DO UPDATE SET creator_id = EXCLUDED.creator_id, language = EXCLUDED.language,
          created_at = EXCLUDED.created_at, video_length_s = EXCLUDED.video_length_s, embedding = EXCLUDED.embedding`, [source]);
      return r.rowCount ?? 0;
    });
  }

  async listItems(source: string): Promise<ItemRecord[]> {
    const r = await this.pool.query(`SELECT ${ITEM_COLUMNS} FROM items WHERE source = $1 ORDER BY item_id`, [source]);
    return (r.rows as ItemRow[]).map(itemOf);
  }

  async loadItems(source: string, into: Pick<EventLogBuilder, 'addItem'>, ids?: string[]): Promise<void> {
    const r = ids
      ? await this.pool.query(`SELECT ${ITEM_COLUMNS} FROM items WHERE source = $1 AND item_id = ANY($2)`, [source, ids])
      : await this.pool.query(`SELECT ${ITEM_COLUMNS} FROM items WHERE source = $1 ORDER BY item_id`, [source]);
    for (const row of r.rows as ItemRow[]) into.addItem(itemOf(row));
  }

  async itemFacts(source: string, ids: string[]): Promise<Map<string, ItemFacts>> {
    const out = new Map<string, ItemFacts>();
    if (ids.length === 0) return out;
    const r = await this.pool.query<ItemFacts & { item_id: string }>('SELECT item_id, creator_id, video_length_s FROM items WHERE source = $1 AND item_id = ANY($2)', [source, ids]);
    for (const row of r.rows) out.set(row.item_id, { creator_id: row.creator_id, video_length_s: row.video_length_s });
    return out;
  }

  async itemsOfCreators(source: string, creators: string[]): Promise<string[]> {
    if (creators.length === 0) return [];
    const r = await this.pool.query<{ item_id: string }>('SELECT item_id FROM items WHERE source = $1 AND creator_id = ANY($2)', [source, creators]);
    return r.rows.map((row) => row.item_id);
  }
}
