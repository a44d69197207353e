// The KuaiRand-Pure importer: reads its gzip CSVs directly and maps them onto the platform's views and items.
//   log:   play_time_ms -> timespent; duration_ms -> length (else the video's video_duration; else unknown);
//          is_like -> liked; is_forward -> shared; no downloads in this data (always false, not invented);
//          no handset maker (`unknown`) and no language (the import's market language).
//   videos: author_id -> creator; upload_dt -> created_at (midnight, market zone); a content vector hashed from
//          tag / music_type / video_type / upload_type (no BLIP embeddings exist for this data).
// Quirks are counted, never dropped silently: exact duplicate rows, zero durations (and where the video file
// supplied the length instead), rows with no length, malformed rows (with line number and reason).
import * as crypto from 'node:crypto';
import type { ItemRecord, ViewRecord } from './events';
import { splitCsv } from './csv';
import { MarketClock } from './time';

/** The columns the log must have. */
export const LOG_COLUMNS = ['user_id', 'video_id', 'date', 'hourmin', 'time_ms', 'is_click', 'is_like', 'is_follow', 'is_comment', 'is_forward',
  'is_hate', 'long_view', 'play_time_ms', 'duration_ms', 'profile_stay_time', 'comment_stay_time', 'is_profile_enter', 'is_rand', 'tab'];
/** The columns the video features file must have. */
export const VIDEO_COLUMNS = ['video_id', 'author_id', 'video_type', 'upload_dt', 'upload_type', 'visible_status', 'video_duration',
  'server_width', 'server_height', 'music_id', 'music_type', 'tag'];

/** A rejected row: where and why. */
export interface Rejection {
  file: string;
  line: number;
  reason: string;
}

/** Counts of an import, by name, and the first rejections. */
export interface ImportCounts {
  counts: Record<string, number>;
  rejections: Rejection[];
}

/** Keeps at most this many rejection examples (all are counted). */
export const MAX_REJECTION_EXAMPLES = 50;

/** A new, empty tally. */
export function newCounts(): ImportCounts {
  return { counts: {}, rejections: [] };
}

function bump(c: ImportCounts, key: string, by = 1): void {
  c.counts[key] = (c.counts[key] ?? 0) + by;
}

/** Records a rejected row. */
export function reject(c: ImportCounts, file: string, line: number, reason: string): void {
  bump(c, 'rows_rejected');
  if (c.rejections.length < MAX_REJECTION_EXAMPLES) c.rejections.push({ file, line, reason });
}

/** Hashes tokens into a signed, L2-normalised vector of `dim` (the "hashing trick"). */
export function hashedVector(tokens: string[], dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const t of tokens) {
    const h = crypto.createHash('md5').update(t).digest();
    v[h.readUInt32LE(0) % dim] += h[4] & 1 ? 1 : -1;
  }
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return n > 0 ? v.map((x) => x / n) : v;
}

/** A 64-bit key of a source row (for idempotent loads), as a decimal string for a Postgres bigint. */
export function rowKey(text: string): string {
  // crypto.hash is the one-shot form of createHash().update().digest(): the same bytes, without a Hash object per row.
  return crypto.hash('md5', text, 'buffer').readBigInt64LE(0).toString();
}

function header(line: string, want: string[], file: string): Map<string, number> {
  const cols = splitCsv(line).map((s) => s.trim());
  const unknown = cols.filter((c) => !want.includes(c));
  const missing = want.filter((c) => !cols.includes(c));
  if (missing.length || unknown.length) {
    throw new Error(`${file}: line 1: the header does not match the KuaiRand format${missing.length ? `; missing columns: ${missing.join(', ')}` : ''}${unknown.length ? `; unknown columns: ${unknown.join(', ')}` : ''}`);
  }
  return new Map(cols.map((c, i) => [c, i]));
}

const INT = /^-?\d+$/;
const NUM = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** Parses video_features_basic_pure.csv lines into items (keyed by video id). */
export async function parseVideos(lines: AsyncIterable<string>, opts: { file: string; dim: number; timezone: string; language: string },
  tally: ImportCounts): Promise<Map<string, ItemRecord>> {
  const clock = new MarketClock(opts.timezone);
  const items = new Map<string, ItemRecord>();
  let cols: Map<string, number> | undefined;
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!cols) { cols = header(line, VIDEO_COLUMNS, opts.file); continue; }
    if (!line.trim()) continue;
    const f = splitCsv(line);
    if (f.length !== cols.size) { reject(tally, opts.file, n, `${f.length} fields, expected ${cols.size}`); continue; }
    const get = (c: string) => f[cols!.get(c)!].trim();
    const id = get('video_id');
    if (!INT.test(id)) { reject(tally, opts.file, n, `video_id "${id}" is not an id`); continue; }
    const dur = get('video_duration');
    const up = get('upload_dt');
    const tags = get('tag') ? get('tag').split(',').map((t) => `tag:${t.trim()}`) : [];
    const tokens = [...tags, `music:${get('music_type') || 'none'}`, `vtype:${get('video_type') || 'none'}`, `upload:${get('upload_type') || 'none'}`];
    const lengthS = NUM.test(dur) && Number(dur) > 0 ? Number(dur) / 1000 : null;
    if (lengthS === null) bump(tally, 'videos_no_duration');
    items.set(id, {
      item_id: id, creator_id: get('author_id') || 'unknown', language: opts.language,
      created_at: /^\d{4}-\d{2}-\d{2}$/.test(up) ? clock.midnight(up) : null,
      video_length_s: lengthS, embedding: hashedVector(tokens, opts.dim),
    });
    bump(tally, 'videos');
  }
  return items;
}

/**
 * Parses the log's lines, calling `onView` for each accepted row with its row key (a hash of the raw line, so
 * exact duplicates share one). Items the log names but the video file lacks are reported through `onMissingItem`.
 */
export async function parseLog(lines: AsyncIterable<string>, opts: { file: string; language: string; source: string },
  items: Map<string, ItemRecord>, tally: ImportCounts, onView: (v: ViewRecord, key: string) => void | Promise<void>): Promise<void> {
  let cols: Map<string, number> | undefined;
  let n = 0;
  const seen = new Set<string>();
  for await (const line of lines) {
    n++;
    if (!cols) { cols = header(line, LOG_COLUMNS, opts.file); continue; }
    if (!line.trim()) continue;
    const f = line.split(',');
    if (f.length !== cols.size) { reject(tally, opts.file, n, `${f.length} fields, expected ${cols.size}`); continue; }
    const get = (c: string) => f[cols!.get(c)!];
    const user = get('user_id');
    const item = get('video_id');
    const ts = get('time_ms');
    const play = get('play_time_ms');
    const dur = get('duration_ms');
    if (!INT.test(user) || !INT.test(item)) { reject(tally, opts.file, n, 'user_id and video_id must be integer ids'); continue; }
    if (!INT.test(ts) || Number(ts) < 0) { reject(tally, opts.file, n, `time_ms "${ts}" is not a non-negative epoch-ms time`); continue; }
    if (!NUM.test(play) || Number(play) < 0) { reject(tally, opts.file, n, `play_time_ms "${play}" is not a non-negative number`); continue; }
    if (!NUM.test(dur) || Number(dur) < 0) { reject(tally, opts.file, n, `duration_ms "${dur}" is not a non-negative number`); continue; }
    bump(tally, 'rows_read');
    const key = rowKey(`${opts.source}|${line}`);
    if (seen.has(key)) { bump(tally, 'rows_duplicate_in_file'); continue; }
    seen.add(key);
    const it = items.get(item);
    let lengthS: number | null = Number(dur) / 1000;
    if (!(lengthS > 0)) {
      bump(tally, 'rows_zero_duration');
      lengthS = it?.video_length_s ?? null;
      if (lengthS) bump(tally, 'rows_length_from_video_features');
      else bump(tally, 'rows_no_length');
    }
    if (!it) bump(tally, 'rows_video_missing_from_features');
    await onView({
      user_id: user, item_id: item, creator_id: it?.creator_id ?? 'unknown', ts: Number(ts), language: opts.language,
      video_length_s: lengthS, timespent_s: Number(play) / 1000, liked: get('is_like') === '1', shared: get('is_forward') === '1',
      downloaded: false, handset_maker: 'unknown',
    }, key);
  }
}
