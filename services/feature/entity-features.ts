// GetUserFeatures / GetItemFeatures: validation, the per-entity status (present / not found / stale with the
// feature time) and the read through OnlineFeatures (one query per batch).
import { MarketClock } from '../../ml/data/time';
import { ITEM_RATES, USER_RATES, layoutFor } from '../../ml/features/layout';
import { invalid } from '../../core/errors';
import type { EventSourceStore } from '../../registry/event-source-store';
import type { OnlineFeatureStore } from '../../registry/online-feature-store';
import { OnlineFeatures } from './online-features';

/** The most ids one call may ask for. */
export const MAX_IDS = 1000;
/** Values older than this are stale unless the request says otherwise. */
export const DEFAULT_MAX_AGE_S = 86_400;

/** One entity's answer. */
export interface EntityAnswer {
  id: string;
  status: 'present' | 'not_found' | 'stale';
  featureTime: number | null;
  categorical: number[];
  dense: number[];
  itemAge: number;
}

function checkIds(ids: string[], what: string): void {
  if (ids.length === 0) throw invalid(`${what}: give at least one id`);
  if (ids.length > MAX_IDS) throw invalid(`${what}: ${ids.length} ids given, at most ${MAX_IDS} per call`);
  const bad = ids.findIndex((id) => !id || id.length > 200);
  if (bad >= 0) throw invalid(`${what}[${bad}]: an id must have 1..200 characters`);
}

function statusOf(found: boolean, asOf: number, now: number, maxAgeS: number): EntityAnswer['status'] {
  if (!found) return 'not_found';
  if (Number.isFinite(asOf) && now - asOf > maxAgeS * 1000) return 'stale';
  return 'present';
}

/** Reads users' and items' latest features for the RPCs. */
export class EntityFeatures {
  private readonly readers = new Map<string, OnlineFeatures>();

  constructor(private readonly sources: Pick<EventSourceStore, 'get'>, private readonly online: Pick<OnlineFeatureStore, 'users' | 'items'>) {}

  private async reader(sourceName: string) {
    const src = await this.sources.get(sourceName || undefined);
    let r = this.readers.get(src.source);
    if (!r) this.readers.set(src.source, (r = new OnlineFeatures({ online: this.online, sources: this.sources }, layoutFor(src.dim), { source: src.source })));
    return { src, r };
  }

  /** Users' features in a request context. */
  async users(req: { userIds: string[]; source: string; hod?: number; dow?: number; handsetMaker: string; maxAgeS: number; nowMs: number }): Promise<{ users: EntityAnswer[]; denseNames: string[] }> {
    checkIds(req.userIds, 'user_ids');
    if (req.hod !== undefined && (!Number.isInteger(req.hod) || req.hod < 0 || req.hod > 23)) throw invalid(`hod: ${req.hod} is not 0..23`);
    if (req.dow !== undefined && (!Number.isInteger(req.dow) || req.dow < 0 || req.dow > 6)) throw invalid(`dow: ${req.dow} is not 0 (Monday)..6 (Sunday)`);
    if (req.maxAgeS < 0) throw invalid(`max_age_seconds: ${req.maxAgeS} is negative`);
    const { src, r } = await this.reader(req.source);
    const now = req.nowMs || Date.now();
    const clock = new MarketClock(src.timezone);
    const L = layoutFor(src.dim);
    const { batch, found, asOf } = await r.userRows(req.userIds, { hod: req.hod ?? clock.hod(now), dow: req.dow ?? clock.dow(now), handsetMaker: req.handsetMaker || undefined });
    const uc = L.userCat.length;
    const users = req.userIds.map((id, k) => ({
      id, status: statusOf(found[k], asOf[k], now, req.maxAgeS || DEFAULT_MAX_AGE_S), featureTime: Number.isFinite(asOf[k]) ? asOf[k] : null,
      categorical: Array.from(batch.userCat.subarray(k * uc, (k + 1) * uc)),
      dense: Array.from(batch.userDense.subarray(k * L.userDenseDim, (k + 1) * L.userDenseDim)), itemAge: 0,
    }));
    const denseNames = [...Array.from({ length: src.dim }, (_, d) => `pos_mean_embedding_${d}`), ...Array.from({ length: src.dim }, (_, d) => `neg_mean_embedding_${d}`), ...USER_RATES];
    return { users, denseNames };
  }

  /** Items' features at a reference time. */
  async items(req: { itemIds: string[]; source: string; maxAgeS: number; nowMs: number }): Promise<{ items: EntityAnswer[]; denseNames: string[] }> {
    checkIds(req.itemIds, 'item_ids');
    if (req.maxAgeS < 0) throw invalid(`max_age_seconds: ${req.maxAgeS} is negative`);
    const { src, r } = await this.reader(req.source);
    const now = req.nowMs || Date.now();
    const L = layoutFor(src.dim);
    const { batch, found, asOf } = await r.itemRows(req.itemIds, now);
    const ic = L.itemCat.length;
    const items = req.itemIds.map((id, k) => ({
      // An item the catalogue knows but nobody viewed yet has no feature time: its values are current priors.
      id, status: statusOf(found[k], asOf[k], now, req.maxAgeS || DEFAULT_MAX_AGE_S), featureTime: Number.isFinite(asOf[k]) ? asOf[k] : null,
      categorical: Array.from(batch.itemCat.subarray(k * ic, (k + 1) * ic)),
      dense: Array.from(batch.itemDense.subarray(k * L.itemDenseDim, (k + 1) * L.itemDenseDim)), itemAge: batch.itemAge[k],
    }));
    return { items, denseNames: [...Array.from({ length: src.dim }, (_, d) => `embedding_${d}`), ...ITEM_RATES] };
  }
}
