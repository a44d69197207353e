// Online features: the latest feature values of users and items, computed by the same engine as the dataset
// build (ml/features/engine.ts) and kept in the online feature store (registry/online-feature-store.ts), one row
// per entity with the time its values describe. Scoring reads them on its hot path: a batch of ids is ONE query.
import type { EventLog } from '../../ml/data/events';
import { FeatureEngine } from '../../ml/features/engine';
import { ITEM_RATES, USER_RATES, type FeatureBatch, type FeatureLayout } from '../../ml/features/layout';
import { allocRows } from '../../ml/features/shard';
import { hashCat, itemRates, normAge, userRates } from '../../ml/features/rates';
import type { EventSourceStore } from '../../registry/event-source-store';
import type { OnlineFeatureStore, OnlineRows } from '../../registry/online-feature-store';

/** What OnlineFeatures reads: the online rows, and the sources (to find the default one). */
export interface OnlineReadStores {
  online: Pick<OnlineFeatureStore, 'users' | 'items'>;
  sources: Pick<EventSourceStore, 'get'>;
}

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

  /**
   * Reads through `stores`. `opts.source` names the event source; by default the most recently updated one
   * (looked up once).
   */
  constructor(private readonly stores: OnlineReadStores, private readonly layout: FeatureLayout, opts: { source?: string } = {}) {
    this.source = opts.source;
  }

  private async src(): Promise<string> {
    this.source ??= (await this.stores.sources.get()).source;
    return this.source;
  }

  /**
   * User rows for a request context: [hod, dow, handset] and [pos mean, neg mean, rates]. An unknown user gets
   * cold-start values (zero means, prior rates) and found = false. `asOf` is the time the stored values describe
   * (NaN when not found).
   */
  async userRows(userIds: string[], ctx: { hod: number; dow: number; handsetMaker?: string }): Promise<{ batch: FeatureBatch; found: boolean[]; asOf: number[] }> {
    const source = await this.src();
    const byId = await this.stores.online.users(source, userIds);
    const { batch } = allocRows(userIds.length, this.layout);
    const L = this.layout;
    const uc = L.userCat.length;
    const found: boolean[] = [];
    const asOf: number[] = [];
    userIds.forEach((id, k) => {
      const row = byId.get(id);
      batch.userCat[k * uc] = ctx.hod;
      batch.userCat[k * uc + 1] = ctx.dow;
      batch.userCat[k * uc + 2] = hashCat(ctx.handsetMaker ?? row?.handsetMaker ?? 'unknown', L.userCat[2].size);
      if (row) {
        const d = row.dense;
        if (d.length !== L.userDenseDim) throw new Error(`online user row ${id} has ${d.length} values; the layout wants ${L.userDenseDim} (rebuild online features)`);
        batch.userDense.set(d, k * L.userDenseDim);
      } else {
        batch.userDense.set(this.coldUser, k * L.userDenseDim + 2 * L.embeddingDim);
      }
      found.push(!!row);
      asOf.push(row ? row.asOf : Number.NaN);
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
    const byId = await this.stores.online.items(source, itemIds);
    const { batch } = allocRows(itemIds.length, this.layout);
    const L = this.layout;
    const found: boolean[] = [];
    const asOf: number[] = [];
    itemIds.forEach((id, k) => {
      const row = byId.get(id);
      found.push(!!row);
      asOf.push(row?.asOf ?? Number.NaN);
      if (!row) {
        batch.itemDense.set(this.coldItem, k * L.itemDenseDim + L.embeddingDim);
        return;
      }
      batch.itemCat[k * L.itemCat.length] = hashCat(row.creatorId ?? 'unknown', L.itemCat[0].size);
      if (row.embedding) batch.itemDense.set(row.embedding.subarray(0, L.embeddingDim), k * L.itemDenseDim);
      batch.itemDense.set(row.rates ?? this.coldItem, k * L.itemDenseDim + L.embeddingDim);
      batch.itemAge[k] = normAge(now, row.createdAt ?? Number.NaN);
    });
    return { batch, found, asOf };
  }
}

/**
 * Recomputes online rows from a log as of just after its newest view, for the given users and items (all of the
 * log's when `only` is omitted; with `only`, just the listed ones). The log must hold every view of those users,
 * items and their creators.
 */
export function onlineRows(log: EventLog, layout: FeatureLayout, only?: { users?: Set<string>; items?: Set<string> }): OnlineRows {
  if (log.n === 0) return noRows(layout);
  const asOf = onlineAsOf(log);
  const eng = new FeatureEngine(log, layout);
  eng.foldAll(asOf);
  const users: number[] = [];
  log.userIds.forEach((id, u) => { if (!only || only.users?.has(id)) users.push(u); });
  const userDense = new Float32Array(users.length * layout.userDenseDim);
  writeUserRows(eng, layout, users, userDense, 0, 1);
  return assembleRows(log, layout, eng, asOf, users, userDense, only ? (only.items ?? new Set()) : undefined);
}

/** The rows of an empty log: none. */
export function noRows(layout: FeatureLayout): OnlineRows {
  return { userIds: [], handsetMakers: [], userDense: new Float32Array(0), userDenseDim: layout.userDenseDim, itemIds: [], itemRates: new Float32Array(0),
    itemRatesDim: layout.itemDenseDim - layout.embeddingDim, asOf: 0 };
}

/** The time online rows of a (non-empty) log describe: just after its newest view. */
export function onlineAsOf(log: EventLog): number {
  return log.ts[log.n - 1] + 1;
}

/**
 * Writes the dense rows of `users` (user indices of the engine's log, whose state it has folded in) into `out`:
 * users[k] at row at + k * step.
 */
export function writeUserRows(eng: FeatureEngine, layout: FeatureLayout, users: ArrayLike<number>, out: Float32Array, at: number, step: number): void {
  const ud = layout.userDenseDim;
  const one = allocRows(1, layout);
  for (let k = 0; k < users.length; k++) {
    eng.writeUser(users[k], 0, 0, 0, one.batch, 0);
    out.set(one.batch.userDense, (at + k * step) * ud);
  }
}

/**
 * The online rows of `users` (log indices, whose dense rows `userDense` holds in that order) with each one's
 * newest handset, and of the items with views (those in `onlyItems`, when given) from the engine's folded state.
 */
export function assembleRows(log: EventLog, layout: FeatureLayout, eng: FeatureEngine, asOf: number, users: number[], userDense: Float32Array,
  onlyItems?: Set<string>): OnlineRows {
  const ir = layout.itemDenseDim - layout.embeddingDim;
  const lastHandset = new Int32Array(log.userIds.length).fill(-1);
  for (let k = 0; k < log.n; k++) lastHandset[log.user[k]] = log.handset[k];
  const handsetMakers = users.map((u) => (lastHandset[u] >= 0 ? log.handsets[lastHandset[u]] : 'unknown'));
  const seen = new Uint8Array(log.itemIds.length);
  for (let k = 0; k < log.n; k++) seen[log.item[k]] = 1;
  const items: number[] = [];
  log.itemIds.forEach((id, i) => { if (seen[i] && (!onlyItems || onlyItems.has(id))) items.push(i); });
  const one = allocRows(1, layout);
  const itemRates = new Float32Array(items.length * ir);
  items.forEach((i, k) => {
    eng.writeItem(i, asOf, one.batch, 0);
    itemRates.set(one.batch.itemDense.subarray(layout.embeddingDim), k * ir);
  });
  return { userIds: users.map((u) => log.userIds[u]), handsetMakers, userDense, userDenseDim: layout.userDenseDim, itemIds: items.map((i) => log.itemIds[i]),
    itemRates, itemRatesDim: ir, asOf };
}

/**
 * Recomputes online rows from a log as of just after its newest view (all of the log's users and items, or just
 * those in `only`) and upserts them. The log must hold every view of those users, items and their creators.
 */
export async function refreshOnline(online: Pick<OnlineFeatureStore, 'write'>, source: string, log: EventLog, layout: FeatureLayout,
  only?: { users?: Set<string>; items?: Set<string> }): Promise<{ users: number; items: number; asOf: number }> {
  return online.write(source, onlineRows(log, layout, only));
}
