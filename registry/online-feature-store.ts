// The online feature rows in Postgres: one row per user and per item of a source with the latest feature values
// and the time they describe. Writes go in one transaction by binary COPY: straight into the tables when the source
// has no rows yet, else into temporary tables that are upserted. Reads take a batch of ids in ONE query
// (id = ANY($1)), never one per id, since scoring reads them on its hot path.
import type { Pool } from 'pg';
import { float32Of } from './pg-copy';
import { BinaryCopyRows, copyBinaryIn } from './pg-copy-binary';
import { withTransaction } from './transaction';

/**
 * Online rows waiting to be written, packed: user k is `userIds[k]`, the handset maker of its newest view
 * `handsetMakers[k]` and its dense features `userDense[k * userDenseDim ...]`; item k is `itemIds[k]` with its
 * rates `itemRates[k * itemRatesDim ...]`.
 */
export interface OnlineRows {
  userIds: string[];
  handsetMakers: string[];
  userDense: Float32Array;
  userDenseDim: number;
  itemIds: string[];
  itemRates: Float32Array;
  itemRatesDim: number;
  /** The time (epoch ms) the rows' values describe. */
  asOf: number;
}

/** A user's stored row. */
export interface OnlineUserRow {
  handsetMaker: string;
  /** The user's dense features in the layout's order. */
  dense: Float32Array;
  /** The time (epoch ms) the values describe. */
  asOf: number;
}

/** An item's catalogue facts beside its stored rates; either side may be missing (null). */
export interface OnlineItemRow {
  creatorId: string | null;
  createdAt: number | null;
  /** The catalogue's content vector, or null when the catalogue does not know the item. */
  embedding: Float32Array | null;
  /** The stored rates, or null when the item has no online row yet. */
  rates: Float32Array | null;
  /** The time (epoch ms) the rates describe, or null without rates. */
  asOf: number | null;
}

/** The online user and item feature rows of every source. */
export interface OnlineFeatureStore {
  /** Upserts rows of a source in one transaction; returns how many users and items it wrote and their time. */
  write(source: string, rows: OnlineRows): Promise<{ users: number; items: number; asOf: number }>;
  /** The stored rows of those of `userIds` that have one, by user id (one query). */
  users(source: string, userIds: string[]): Promise<Map<string, OnlineUserRow>>;
  /**
   * Those of `itemIds` the catalogue or the online rows know, by item id (one query): an item with views but no
   * catalogue entry is still known, and a catalogue item nobody has viewed yet has no rates.
   */
  items(source: string, itemIds: string[]): Promise<Map<string, OnlineItemRow>>;
}

/** The advisory-lock class of online-row writes: a transaction writing a source's rows holds (ONLINE_WRITE_LOCK_CLASS, hashtext(source)). */
const ONLINE_WRITE_LOCK_CLASS = 7646;

/** The users as binary COPY data: `[source,] user_id, handset_maker, dense (bytea), as_of`. */
function userData(rows: OnlineRows, source?: string): Buffer {
  const { userIds, handsetMakers, userDense, userDenseDim: ud, asOf } = rows;
  const fields = source === undefined ? 4 : 5;
  const out = new BinaryCopyRows(userIds.length * (64 + 4 * ud));
  for (let k = 0; k < userIds.length; k++) {
    out.row(fields);
    if (source !== undefined) out.text(source);
    out.text(userIds[k]);
    out.text(handsetMakers[k]);
    out.bytes(userDense.subarray(k * ud, (k + 1) * ud));
    out.int8(asOf);
  }
  return out.finish();
}

/** The items as binary COPY data: `[source,] item_id, rates (bytea), as_of`. */
function itemData(rows: OnlineRows, source?: string): Buffer {
  const { itemIds, itemRates, itemRatesDim: ir, asOf } = rows;
  const fields = source === undefined ? 3 : 4;
  const out = new BinaryCopyRows(itemIds.length * (48 + 4 * ir));
  for (let k = 0; k < itemIds.length; k++) {
    out.row(fields);
    if (source !== undefined) out.text(source);
    out.text(itemIds[k]);
    out.bytes(itemRates.subarray(k * ir, (k + 1) * ir));
    out.int8(asOf);
  }
  return out.finish();
}

/** The OnlineFeatureStore over the online_user_features and online_item_features tables (and items, for reads). */
export class PgOnlineFeatureStore implements OnlineFeatureStore {
  constructor(private readonly pool: Pool) {}

  async write(source: string, rows: OnlineRows): Promise<{ users: number; items: number; asOf: number }> {
    const { userIds, itemIds, asOf } = rows;
    if (userIds.length === 0 && itemIds.length === 0) return { users: 0, items: 0, asOf };
    await withTransaction(this.pool, async (c) => {
      // Writes of one source take turns, so a source found without rows stays so until this one commits.
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ONLINE_WRITE_LOCK_CLASS, source]);
      const empty = await c.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM online_user_features WHERE source = $1)
        AND NOT EXISTS (SELECT 1 FROM online_item_features WHERE source = $1) AS empty`, [source]);
      if (empty.rows[0].empty) {
        // The first rows of a source (a bulk load into a new source): nothing to conflict with, so COPY goes
        // straight into the tables, without the temporary tables' second copy and the upsert's conflict checks.
        if (userIds.length) await copyBinaryIn(c, 'COPY online_user_features (source, user_id, handset_maker, dense, as_of) FROM STDIN WITH (FORMAT binary)', userData(rows, source));
        if (itemIds.length) await copyBinaryIn(c, 'COPY online_item_features (source, item_id, rates, as_of) FROM STDIN WITH (FORMAT binary)', itemData(rows, source));
        return;
      }
      await c.query('CREATE TEMP TABLE tmp_ou (user_id text, handset_maker text, dense bytea, as_of bigint) ON COMMIT DROP');
      await c.query('CREATE TEMP TABLE tmp_oi (item_id text, rates bytea, as_of bigint) ON COMMIT DROP');
      if (userIds.length) await copyBinaryIn(c, 'COPY tmp_ou FROM STDIN WITH (FORMAT binary)', userData(rows));
      if (itemIds.length) await copyBinaryIn(c, 'COPY tmp_oi FROM STDIN WITH (FORMAT binary)', itemData(rows));
      await c.query(`INSERT INTO online_user_features (source, user_id, handset_maker, dense, as_of) SELECT $1, user_id, handset_maker, dense, as_of FROM tmp_ou
        ON CONFLICT (source, user_id) DO UPDATE SET handset_maker = EXCLUDED.handset_maker, dense = EXCLUDED.dense, as_of = EXCLUDED.as_of`, [source]);
      await c.query(`INSERT INTO online_item_features (source, item_id, rates, as_of) SELECT $1, item_id, rates, as_of FROM tmp_oi
        ON CONFLICT (source, item_id) DO UPDATE SET rates = EXCLUDED.rates, as_of = EXCLUDED.as_of`, [source]);
    });
    return { users: userIds.length, items: itemIds.length, asOf };
  }

  async users(source: string, userIds: string[]): Promise<Map<string, OnlineUserRow>> {
    const r = await this.pool.query<{ user_id: string; handset_maker: string; dense: Buffer; as_of: string }>(
      'SELECT user_id, handset_maker, dense, as_of FROM online_user_features WHERE source = $1 AND user_id = ANY($2)', [source, userIds]);
    const out = new Map<string, OnlineUserRow>();
    for (const row of r.rows) out.set(row.user_id, { handsetMaker: row.handset_maker, dense: float32Of(row.dense), asOf: Number(row.as_of) });
    return out;
  }

  async items(source: string, itemIds: string[]): Promise<Map<string, OnlineItemRow>> {
    // Catalogue facts and online rates, joined both ways: an item with views but no catalogue entry is still known.
    const r = await this.pool.query<{ item_id: string; creator_id: string | null; created_at: string | null; embedding: Buffer | null; rates: Buffer | null; as_of: string | null }>(
      `SELECT COALESCE(i.item_id, o.item_id) AS item_id, i.creator_id, i.created_at, i.embedding, o.rates, o.as_of
      FROM (SELECT item_id, creator_id, created_at, embedding FROM items WHERE source = $1 AND item_id = ANY($2)) i
      FULL JOIN (SELECT item_id, rates, as_of FROM online_item_features WHERE source = $1 AND item_id = ANY($2)) o ON o.item_id = i.item_id`,
    [source, itemIds]);
    const out = new Map<string, OnlineItemRow>();
    for (const row of r.rows) {
      out.set(row.item_id, {
        creatorId: row.creator_id, createdAt: row.created_at === null ? null : Number(row.created_at),
        embedding: row.embedding ? float32Of(row.embedding) : null, rates: row.rates ? float32Of(row.rates) : null,
        asOf: row.as_of === null ? null : Number(row.as_of),
      });
    }
    return out;
  }
}
