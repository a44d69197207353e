// The rows of one item-cache state that a call scores. Every function here marks rows with a per-call stamp
// (`ItemVectorCache.nextStamp`, written into the state's `stamp` array) instead of building a Set per call, so a
// mark must never span an await: another call marks the same array meanwhile.
import { dotScores } from '../../ml/model/score';
import type { CacheState } from './item-vector-cache';
import { certify, type ExactScan } from './exact-scan';

/** The first `m` entries of `rows` are the candidate rows. */
export interface CandidateRows {
  rows: Int32Array;
  m: number;
}

/** Catalogs from this many rows take exact search's batched pre-pass (exact-scan.ts); below, scoring every row costs about as little. */
const EXACT_PREPASS_MIN_ITEMS = 4_096;
/** Rows the pre-pass keeps beyond k + |exclude| (room for its float32 rounding at the k-th place). */
const EXACT_SLACK = 32;

/** Marks the rows of the cached ids among `ids` with `mark` (ids not in the cache are passed over). */
export function markIds(st: CacheState, ids: string[], mark: number): void {
  const stamp = st.stamp;
  for (const id of ids) {
    const r = st.index.row(id);
    if (r >= 0) stamp[r] = mark;
  }
}

/**
 * Keeps each row of `rows[0..n)` once, in place and in order, and lists once each id whose row is -1 (not in the
 * cache): Score's candidates with duplicates dropped and the unknown ids to report.
 */
export function dedupeRows(ids: string[], rows: Int32Array, n: number, st: CacheState, mark: number): { m: number; unknown?: string[] } {
  const stamp = st.stamp;
  let m = 0;
  let unknown: string[] | undefined;
  let unknownSeen: Set<string> | undefined;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r < 0) {
      const id = ids[i];
      unknownSeen ??= new Set();
      if (!unknownSeen.has(id)) {
        unknownSeen.add(id);
        (unknown ??= []).push(id);
      }
    } else if (stamp[r] !== mark) {
      stamp[r] = mark;
      rows[m++] = r;
    }
  }
  return { m, unknown };
}

/** Every row of the cache state except the excluded ids' rows: exact search when nothing narrower answers. */
export function catalogRows(st: CacheState, exclude: string[], nextStamp: () => number): CandidateRows {
  const count = st.count;
  const rows = new Int32Array(count);
  if (exclude.length === 0) {
    for (let r = 0; r < count; r++) rows[r] = r;
    return { rows, m: count };
  }
  const mark = nextStamp();
  markIds(st, exclude, mark);
  const stamp = st.stamp;
  let m = 0;
  for (let r = 0; r < count; r++) if (stamp[r] !== mark) rows[m++] = r;
  return { rows, m };
}

/**
 * Exact search's candidate rows from the batched pre-pass (exact-scan.ts): the best k + |exclude| + EXACT_SLACK
 * rows by float32 score (u . v + bias), from one pass shared with the calls of the same event-loop turn, kept only
 * when the error bound proves no other row can reach the top k. Undefined (then every row is scored) for small
 * catalogs, a failed proof, or a failed pass (handed to `onError`).
 */
export async function exactRows(scan: ExactScan, st: CacheState, uvec: Float32Array, dim: number, k: number, exclude: string[],
  nextStamp: () => number, onError: (err: unknown) => void): Promise<CandidateRows | undefined> {
  const want = k + exclude.length + EXACT_SLACK;
  if (st.count < EXACT_PREPASS_MIN_ITEMS || want >= st.count) return undefined;
  let found;
  try {
    found = await scan.search(st, uvec, want);
  } catch (err) {
    onError(err);
    return undefined;
  }
  // Exclusions are marked after the await: a per-call stamp must not span a wait (other calls mark meanwhile).
  const mark = nextStamp();
  markIds(st, exclude, mark);
  const stamp = st.stamp;
  const rows = certify(uvec, st.vecs, dim, k, found, (rs, m) => dotScores(uvec, st.vecs, dim, rs, m, new Float32Array(m), st.bias),
    exclude.length ? (r) => stamp[r] === mark : undefined);
  return rows && { rows, m: rows.length };
}
