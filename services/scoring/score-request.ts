// Validation of a Score request, request ids, and the request's hour/day in the model's market time zone.
import * as crypto from 'node:crypto';
import { invalid } from '../../core/errors';

/** The most candidates one call may carry (the contract's limit). */
export const MAX_CANDIDATES = 5000;

/** A Score request as the service layer takes it (already decoded from the wire). */
export interface ScoreInput {
  model: string;
  userId: string;
  itemIds: string[];
  topK: number;
  requestId: string;
  hod?: number;
  dow?: number;
  handsetMaker?: string;
}

/** Checks the request and fails fast with a message that says how to fix it. */
export function validateScore(r: ScoreInput): void {
  if (!r.model) throw invalid('model: required; give the bare model id, for example "feed-ranker-hi"');
  if (!r.userId) throw invalid('user_id: required; give the user to rank for');
  if (r.itemIds.length > MAX_CANDIDATES) {
    throw invalid(`item_ids: ${r.itemIds.length} candidates given, at most ${MAX_CANDIDATES} allowed`);
  }
  if (!Number.isInteger(r.topK) || r.topK < 0) throw invalid(`top_k: ${r.topK} is negative; give 0 (rank all) or a positive count`);
  if (r.hod !== undefined && (r.hod < 0 || r.hod > 23)) throw invalid(`context.hod: ${r.hod} is not an hour 0-23`);
  if (r.dow !== undefined && (r.dow < 0 || r.dow > 6)) throw invalid(`context.dow: ${r.dow} is not a day 0 (Monday) - 6 (Sunday)`);
  if (r.requestId.length > 128) throw invalid(`request_id: ${r.requestId.length} characters, at most 128 allowed`);
}

/** Retrieve's default top_k (when the request says 0). */
export const DEFAULT_RETRIEVE_K = 100;
/** The largest top_k Retrieve accepts. */
export const MAX_RETRIEVE_K = 1000;
/** The most exclude_item_ids one Retrieve call may carry. */
export const MAX_EXCLUDE = 5000;

/** A Retrieve request as the service layer takes it (already decoded from the wire). */
export interface RetrieveInput {
  model: string;
  userId: string;
  /** 0 means DEFAULT_RETRIEVE_K. */
  topK: number;
  excludeItemIds: string[];
  requestId: string;
  hod?: number;
  dow?: number;
  handsetMaker?: string;
}

/** Checks a Retrieve request and fails fast with a message that says how to fix it. */
export function validateRetrieve(r: RetrieveInput): void {
  if (!r.model) throw invalid('model: required; give the bare model id, for example "feed-ranker-hi"');
  if (!r.userId) throw invalid('user_id: required; give the user to retrieve for');
  if (!Number.isInteger(r.topK) || r.topK < 0 || r.topK > MAX_RETRIEVE_K) {
    throw invalid(`top_k: ${r.topK} is out of range; give 0 (meaning ${DEFAULT_RETRIEVE_K}) up to ${MAX_RETRIEVE_K}`);
  }
  if (r.excludeItemIds.length > MAX_EXCLUDE) {
    throw invalid(`exclude_item_ids: ${r.excludeItemIds.length} ids given, at most ${MAX_EXCLUDE} allowed`);
  }
  if (r.hod !== undefined && (r.hod < 0 || r.hod > 23)) throw invalid(`context.hod: ${r.hod} is not an hour 0-23`);
  if (r.dow !== undefined && (r.dow < 0 || r.dow > 6)) throw invalid(`context.dow: ${r.dow} is not a day 0 (Monday) - 6 (Sunday)`);
  if (r.requestId.length > 128) throw invalid(`request_id: ${r.requestId.length} characters, at most 128 allowed`);
}

const PREFIX = crypto.randomBytes(6).toString('hex');
let counter = 0;

/** A request id unique across processes: a random per-process prefix and a counter (no syscall per call). */
export function newRequestId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `sc-${PREFIX}-${counter.toString(36)}`;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
let memo: { key: string; minute: number; hod: number; dow: number } | undefined;

/** The hour (0-23) and weekday (0 = Monday) of `now` in time zone `tz` (memoised per minute). */
export function marketTime(tz: string, now = Date.now()): { hod: number; dow: number } {
  const minute = Math.floor(now / 60_000);
  if (memo && memo.key === tz && memo.minute === minute) return memo;
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', weekday: 'short', hourCycle: 'h23' });
    formats.set(tz, f);
  }
  const parts = f.formatToParts(new Date(now));
  const hod = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const dow = DAYS.indexOf(parts.find((p) => p.type === 'weekday')?.value ?? 'Mon');
  memo = { key: tz, minute, hod, dow: Math.max(0, dow) };
  return memo;
}
