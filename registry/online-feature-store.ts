// The online feature rows in Postgres: one row per user and per item of a source with the latest feature values
// and the time they describe. Writes COPY the rows into temporary tables and upsert them in one transaction;
// reads take a batch of ids in ONE query (id = ANY($1)), never one per id, since scoring reads them on its hot path.
import type { Pool } from 'pg';
import { copyEscape, copyFloat32, copyIn, float32Of } from './pg-copy';
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

/** The OnlineFeatureStore over the online_user_features and online_item_features tables (and items, for reads). */
export class PgOnlineFeatureStore implements OnlineFeatureStore {
  constructor(private readonly pool: Pool) {}

  async write(source: string, rows: OnlineRows): Promise<{ users: number; items: number; asOf: number }> {
    const { userIds, handsetMakers, userDense, userDenseDim: ud, itemIds, itemRates, itemRatesDim: ir, asOf } = rows;
    if (userIds.length === 0 && itemIds.length === 0) return { users: 0, items: 0, asOf };
    // COPY text lines: users as `user_id, handset_maker, dense (bytea), as_of`, items as `item_id, rates (bytea), as_of`.
    const userLines = userIds.map((id, k) => `${copyEscape(id)}\t${copyEscape(handsetMakers[k])}\t${copyFloat32(userDense.subarray(k * ud, (k + 1) * ud))}\t${asOf}\n`);
    const itemLines = itemIds.map((id, k) => `${copyEscape(id)}\t${copyFloat32(itemRates.subarray(k * ir, (k + 1) * ir))}\t${asOf}\n`);
    await withTransaction(this.pool, async (c) => {
      await c.query('CREATE TEMP TABLE tmp_ou (user_id text, handset_maker text, dense bytea, as_of bigint) ON COMMIT DROP');
      await c.query('CREATE TEMP TABLE tmp_oi (item_id text, rates bytea, as_of bigint) ON COMMIT DROP');
      if (userLines.length) await copyIn(c, 'COPY tmp_ou FROM STDIN', userLines);
      if (itemLines.length) await copyIn(c, 'COPY tmp_oi FROM STDIN', itemLines);
      await c.query(`INSERT INTO online_user_features (source, user_id, handset_maker, dense, as_of) SELECT $1, user_id, handset_maker, dense, as_of FROM tmp_ou
        ON CONFLICT (source, user_id) DO UPDATE SET handset_maker = EXCLUDED.handset_maker, dense = EXCLUDED.dense, as_of = EXCLUDED.as_of`, [source]);
      await c.query(`INSERT INTO online_item_features (source, item_id, rates, as_of) SELECT $1, item_id, rates, as_of FROM tmp_oi
        ON CONFLICT (source, item_id) DO UPDATE SET rates = EXCLUDED.rates, as_of = EXCLUDED.as_of`, [source]);
    });
    return { users: userLines.length, items: itemLines.length, asOf };
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
