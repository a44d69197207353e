// The order in which a merge of time-sorted runs (a day's files) takes their rows, as the run of each merged row:
// rows of a run stay in their order, so the run alone says which row comes next. EventLogBuilder.addMerged
// copies each column in this order.

/** The run of each merged row; a run's rows come in their order. */
export type MergeOrder = Uint8Array | Uint16Array | Int32Array;

/**
 * Stretches hand out fewer rows than this on average when the runs interleave so finely that sorting their
 * times beats finding the stretches. Measured on a 10M-view import's days (six runs of 262,144 rows each, their
 * times rewritten so stretches average L rows), CPU ms for the whole log: the stretch walk 332 / 264 / 151 / 84 / 51
 * / 33 at L = 1 / 2 / 4 / 8 / 16 / unbounded against 130-180 for the bucket sort at every L.
 */
const ROWS_PER_STRETCH = 4;

/**
 * The merged order of `runs`, each in time order: by time, equal times in the order of `runs`. Runs that
 * interleave in short stretches (files written side by side over the same hours) are sorted by time in buckets;
 * runs that follow each other or interleave in long stretches are walked stretch by stretch.
 */
export function mergeOrder(runs: { n: number; ts: Float64Array }[]): MergeOrder {
  const total = runs.reduce((s, r) => s + r.n, 0);
  const order = runs.length <= 256 ? new Uint8Array(total) : runs.length <= 65536 ? new Uint16Array(total) : new Int32Array(total);
  const walked = walkStretches(runs, order, ROWS_PER_STRETCH);
  if (walked >= 0) return order.subarray(0, walked);
  if (bucketOrder(runs, order)) return order;
  return order.subarray(0, walkStretches(runs, order, 0));
}

/**
 * Fills `order` stretch by stretch: the earliest head (ties to the earlier run) and its rows up to the heads of
 * later runs (ties go to the earlier run), strictly before the heads of earlier runs. Returns how many rows it
 * ordered, or -1 as soon as the stretches average fewer than `minRows` rows (0: never). A time that is not a
 * number or infinite ends its run here, as it always did (those rows are left out).
 */
function walkStretches(runs: { n: number; ts: Float64Array }[], order: MergeOrder, minRows: number): number {
  const pos = new Int32Array(runs.length);
  const heads = new Float64Array(runs.length);
  for (let i = 0; i < runs.length; i++) heads[i] = runs[i].n > 0 ? runs[i].ts[0] : Infinity;
  let m = 0;
  // Some slack first, so a few short stretches at the start do not decide.
  let budget = 256;
  for (;;) {
    let best = -1;
    let bestTs = Infinity;
    for (let i = 0; i < heads.length; i++) {
      if (heads[i] < bestTs) {
        best = i;
        bestTs = heads[i];
      }
    }
    if (best < 0) return m;
    let upTo = Infinity;
    let below = Infinity;
    for (let i = 0; i < heads.length; i++) {
      if (i < best) below = Math.min(below, heads[i]);
      else if (i > best) upTo = Math.min(upTo, heads[i]);
    }
    const ts = runs[best].ts;
    const n = runs[best].n;
    const from = pos[best];
    let j = from;
    do j++;
    while (j < n && ts[j] <= upTo && ts[j] < below);
    order.fill(best, m, m + j - from);
    m += j - from;
    pos[best] = j;
    heads[best] = j < n ? ts[j] : Infinity;
    if (minRows > 0) {
      budget += (j - from) / minRows - 1;
      if (budget < 0) return -1;
    }
  }
}

/**
 * Fills `order` (all rows) by a stable sort of the times into about one bucket per row: each run is scattered in
 * turn, so a bucket holds its rows in (run, row) order, and an insertion sort by time then only has to reorder
 * rows within a bucket. False, with `order` unspecified, when a time is not finite, a run is not in time order, or
 * the times bunch so that the insertion sort would move more than 16 rows per row (a few far-off times).
 */
function bucketOrder(runs: { n: number; ts: Float64Array }[], order: MergeOrder): boolean {
  const n = order.length;
  let min = Infinity;
  let max = -Infinity;
  for (const r of runs) {
    if (r.n === 0) continue;
    min = Math.min(min, r.ts[0]);
    max = Math.max(max, r.ts[r.n - 1]);
  }
  if (n === 0 || !Number.isFinite(min) || !Number.isFinite(max)) return n === 0;
  // bucket(t) = floor((t - min) * scale) never decreases with t, so a bucket's times all come after the earlier
  // buckets'; the largest time lands in the last bucket.
  const range = max - min;
  const scale = range > 0 ? (n - 1) / range : 0;
  if (!Number.isFinite(scale)) return false;
  const start = new Int32Array(n + 1);
  for (const r of runs) {
    const ts = r.ts;
    let prev = min;
    for (let j = 0; j < r.n; j++) {
      const t = ts[j];
      if (!(t >= prev && t <= max)) return false;
      prev = t;
      start[((t - min) * scale) | 0]++;
    }
  }
  for (let b = 0, s = 0; b <= n; b++) {
    const c = start[b];
    start[b] = s;
    s += c;
  }
  const key = new Float64Array(n);
  for (let r = 0; r < runs.length; r++) {
    const ts = runs[r].ts;
    for (let j = 0, e = runs[r].n; j < e; j++) {
      const t = ts[j];
      const p = start[((t - min) * scale) | 0]++;
      key[p] = t;
      order[p] = r;
    }
  }
  let moves = 16 * n;
  for (let p = 1; p < n; p++) {
    const t = key[p];
    if (!(t < key[p - 1])) continue;
    const r = order[p];
    let q = p;
    do {
      key[q] = key[q - 1];
      order[q] = order[q - 1];
      q--;
    } while (q > 0 && key[q - 1] > t);
    key[q] = t;
    order[q] = r;
    moves -= p - q;
    if (moves < 0) return false;
  }
  return true;
}
