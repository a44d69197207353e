// Online features: the latest feature values of users and items, computed by the same engine as the dataset
// build (ml/features/engine.ts) and kept in Postgres, one row per entity with the time its values describe.
// Scoring reads them on its hot path: a batch of ids is ONE query (id = ANY($1)), never one per id.
import type { Pool } from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { EventLog } from '../../ml/data/events';
import { FeatureEngine } from '../../ml/features/engine';
import { ITEM_RATES, USER_RATES, type FeatureBatch, type FeatureLayout } from '../../ml/features/layout';
import { allocRows } from '../../ml/features/shard';
import { hashCat, itemRates, normAge, userRates } from '../../ml/features/rates';
import { copyEscape as esc, getSource } from './event-store';

const f32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const hex = (a: Float32Array) => `\\\\x${Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')}`;

/** The rates of an entity with no history (every counter zero): the smoothing priors. */
function coldUserRates(): Float32Array {
  const z = new Int32Array(5);
  const out = new Float32Array(USER_RATES.length);
  userRates(z, 0, z, 0, z, 0, out, 0);
  return out;
}
function coldItemRates(): Float32Array {
  const z = new Int32Array(5);
  const out = new Float32Array(ITEM_RATES.length);
  itemRates(z, z, z, z, z, 0, z, 0, out, 0);
  return out;
}

/** Reads online feature rows for scoring and the FeatureService. */
export class OnlineFeatures {
  private source?: string;
  private readonly coldUser = coldUserRates();
  private readonly coldItem = coldItemRates();

  /** `opts.source` names the event source; by default the most recently updated one (looked up once). */
  constructor(private readonly pool: Pool, private readonly layout: FeatureLayout, opts: { source?: string } = {}) {
    this.source = opts.source;
  }

  private async src(): Promise<string> {
    this.source ??= (await getSource(this.pool)).source;
    return this.source;
  }

  /**
   * User rows for a request context: [hod, dow, handset] and [pos mean, neg mean, rates]. An unknown user gets
   * cold-start values (zero means, prior rates) and found = false. `asOf` is the time the stored values describe
   * (NaN when not found).
   */
  async userRows(userIds: string[], ctx: { hod: number; dow: number; handsetMaker?: string }): Promise<{ batch: FeatureBatch; found: boolean[]; asOf: number[] }> {
    const source = await this.src();
    const r = await this.pool.query('SELECT user_id, handset_maker, dense, as_of FROM online_user_features WHERE source = $1 AND user_id = ANY($2)', [source, userIds]);
    const byId = new Map<string, { handset_maker: string; dense: Buffer; as_of: string }>();
    for (const row of r.rows) byId.set(row.user_id, row);
    const { batch } = allocRows(userIds.length, this.layout);
    const L = this.layout;
    const uc = L.userCat.length;
    const found: boolean[] = [];
    const asOf: number[] = [];
    userIds.forEach((id, k) => {
      const row = byId.get(id);
      batch.userCat[k * uc] = ctx.hod;
      batch.userCat[k * uc + 1] = ctx.dow;
      batch.userCat[k * uc + 2] = hashCat(ctx.handsetMaker ?? row?.handset_maker ?? 'unknown', L.userCat[2].size);
      if (row) {
        const d = f32(row.dense);
        if (d.length !== L.userDenseDim) throw new Error(`online user row ${id} has ${d.length} values; the layout wants ${L.userDenseDim} (rebuild online features)`);
        batch.userDense.set(d, k * L.userDenseDim);
      } else {
        batch.userDense.set(this.coldUser, k * L.userDenseDim + 2 * L.embeddingDim);
      }
      found.push(!!row);
      asOf.push(row ? Number(row.as_of) : Number.NaN);
    });
    return { batch, found, asOf };
  }

  /**
   * Item rows at time `now`: [creator] and [content vector, rates] and the age. An item the catalogue knows but
   * nobody has viewed yet is found, with prior rates; an item with views but no catalogue entry is found, with a
   * zero content vector; an item the store does not know at all is not found.
   */
  async itemRows(itemIds: string[], now: number): Promise<{ batch: FeatureBatch; found: boolean[]; asOf: number[] }> {
    const source = await this.src();
    // Catalogue facts and online rates, joined both ways: an item with views but no catalogue entry is still known.
    const r = await this.pool.query(`SELECT COALESCE(i.item_id, o.item_id) AS item_id, i.creator_id, i.created_at, i.embedding, o.rates, o.as_of
      FROM (SELECT item_id, creator_id, created_at, embedding FROM items WHERE source = $1 AND item_id = ANY($2)) i
      FULL JOIN (SELECT item_id, rates, as_of FROM online_item_features WHERE source = $1 AND item_id = ANY($2)) o ON o.item_id = i.item_id`,
    [source, itemIds]);
    const byId = new Map<string, { creator_id: string | null; created_at: string | null; embedding: Buffer | null; rates: Buffer | null; as_of: string | null }>();
    for (const row of r.rows) byId.set(row.item_id, row);
    const { batch } = allocRows(itemIds.length, this.layout);
    const L = this.layout;
    const found: boolean[] = [];
    const asOf: number[] = [];
    itemIds.forEach((id, k) => {
      const row = byId.get(id);
      found.push(!!row);
      asOf.push(row?.as_of ? Number(row.as_of) : Number.NaN);
      if (!row) {
        batch.itemDense.set(this.coldItem, k * L.itemDenseDim + L.embeddingDim);
        return;
      }
      batch.itemCat[k * L.itemCat.length] = hashCat(row.creator_id ?? 'unknown', L.itemCat[0].size);
      if (row.embedding) batch.itemDense.set(f32(row.embedding).subarray(0, L.embeddingDim), k * L.itemDenseDim);
      batch.itemDense.set(row.rates ? f32(row.rates) : this.coldItem, k * L.itemDenseDim + L.embeddingDim);
      batch.itemAge[k] = normAge(now, row.created_at === null ? Number.NaN : Number(row.created_at));
    });
    return { batch, found, asOf };
  }
}

/** Online rows computed from a log, as COPY text, waiting to be written. */
export interface OnlineRows {
  userLines: string[];
  itemLines: string[];
  asOf: number;
}

/**
 * Recomputes online rows from a log as of just after its newest view, for the given users and items (all of the
 * log's when `only` is omitted; with `only`, just the listed ones). The log must hold every view of those users,
 * items and their creators.
 */
export function onlineRows(log: EventLog, layout: FeatureLayout, only?: { users?: Set<string>; items?: Set<string> }): OnlineRows {
  if (log.n === 0) return { userLines: [], itemLines: [], asOf: 0 };
  const asOf = log.ts[log.n - 1] + 1;
  const eng = new FeatureEngine(log, layout);
  eng.advanceTo(asOf);
  const lastHandset = new Int32Array(log.userIds.length).fill(-1);
  for (let k = 0; k < log.n; k++) lastHandset[log.user[k]] = log.handset[k];
  const one = allocRows(1, layout);
  const userLines: string[] = [];
  log.userIds.forEach((id, u) => {
    if (only && !only.users?.has(id)) return;
    eng.writeUser(u, 0, 0, 0, one.batch, 0);
    const h = lastHandset[u] >= 0 ? log.handsets[lastHandset[u]] : 'unknown';
    userLines.push(`${esc(id)}\t${esc(h)}\t${hex(one.batch.userDense)}\t${asOf}\n`);
  });
  const itemLines: string[] = [];
  const seen = new Uint8Array(log.itemIds.length);
  for (let k = 0; k < log.n; k++) seen[log.item[k]] = 1;
  log.itemIds.forEach((id, i) => {
    if (!seen[i]) return;
    if (only && !only.items?.has(id)) return;
    eng.writeItem(i, asOf, one.batch, 0);
    itemLines.push(`${esc(id)}\t${hex(one.batch.itemDense.subarray(layout.embeddingDim))}\t${asOf}\n`);
  });
  return { userLines, itemLines, asOf };
}

/** Upserts computed online rows of a source in one transaction. */
export async function writeOnlineRows(pool: Pool, source: string, rows: OnlineRows): Promise<{ users: number; items: number; asOf: number }> {
  const { userLines, itemLines, asOf } = rows;
  if (userLines.length === 0 && itemLines.length === 0) return { users: 0, items: 0, asOf };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('CREATE TEMP TABLE tmp_ou (user_id text, handset_maker text, dense bytea, as_of bigint) ON COMMIT DROP');
    await client.query('CREATE TEMP TABLE tmp_oi (item_id text, rates bytea, as_of bigint) ON COMMIT DROP');
    if (userLines.length) await pipeline(Readable.from([userLines.join('')]), client.query(copyFrom('COPY tmp_ou FROM STDIN')));
    if (itemLines.length) await pipeline(Readable.from([itemLines.join('')]), client.query(copyFrom('COPY tmp_oi FROM STDIN')));
    await client.query(`INSERT INTO online_user_features (source, user_id, handset_maker, dense, as_of) SELECT $1, user_id, handset_maker, dense, as_of FROM tmp_ou
      ON CONFLICT (source, user_id) DO UPDATE SET handset_maker = EXCLUDED.handset_maker, dense = EXCLUDED.dense, as_of = EXCLUDED.as_of`, [source]);
    await client.query(`INSERT INTO online_item_features (source, item_id, rates, as_of) SELECT $1, item_id, rates, as_of FROM tmp_oi
      ON CONFLICT (source, item_id) DO UPDATE SET rates = EXCLUDED.rates, as_of = EXCLUDED.as_of`, [source]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  return { users: userLines.length, items: itemLines.length, asOf };
}

/**
 * Recomputes online rows from a log as of just after its newest view (all of the log's users and items, or just
 * those in `only`) and upserts them. The log must hold every view of those users, items and their creators.
 */
export async function refreshOnline(pool: Pool, source: string, log: EventLog, layout: FeatureLayout,
  only?: { users?: Set<string>; items?: Set<string> }): Promise<{ users: number; items: number; asOf: number }> {
  return writeOnlineRows(pool, source, onlineRows(log, layout, only));
}
