// Exact search's pass over the catalog, batched: the Retrieve calls that reach a version in the same event-loop
// turn are answered by ONE pass over its item matrix, then a proof per call that the pass's float32 candidates
// hold the call's exact top k.
//
// Counting the work: one call at 100k items x 64-d reads the whole matrix (25.6 MB of float32) for 6.4 M
// multiply-adds, so a pass is bound by memory, not arithmetic. Eight calls in flight asked the same question of
// the same 25.6 MB eight times. Here the queued users form a small matrix Q [B, d] and one onnxruntime Gemm
// (MLAS, AVX-512 here) computes items x Q^T [count, B], each item row read once for all B users, and TopK keeps
// each user's best `want` (measured in one run at 100k x 64, 8 users: Gemm + TopK 2.6 ms CPU per batch, against
// 1.7 ms per single user for usearch's SIMD exactSearch, which tiles the pairs but calls its kernel once per pair
// and sorts a 1.6 MB pair buffer per user). The item matrix is handed to onnxruntime as it lies in the cache (a
// tensor over the same ArrayBuffer, no copy).
//
// Why the answer is exact: a float32 dot product of d terms, summed in any order (with or without fused
// multiply-adds), is within e = (d + 2) 2^-23 |u| max|v| of the exact one, and adding the item's bias in float32
// moves it by at most 2^-23 |s| more; so when the k-th best exact score (the one score function, ml/model/score.ts,
// on the candidate rows) exceeds the lowest candidate's float32 score by more than that bound, no row outside the
// candidates can reach the top k, and ranking the candidates gives exactly the full scan's list (same scores, ties
// broken by row order as the full scan does). When the proof fails (near-ties at the k-th place) the caller scans
// every row.
import * as ort from 'onnxruntime-node';
import { FLOAT, GraphBuilder, INT64 } from '../../ml/onnx/onnx-proto';
import { topK } from './top-k';

/** The rows a batch is scanned over: the first `count` rows of `vecs` (count x dim) and, for heads that add one, a bias per row. */
export interface ScanItems {
  vecs: Float32Array;
  count: number;
  bias?: Float32Array;
}

/** One call's share of a batch: its best `want` rows by float32 score, best first, and those scores. */
export interface ScanCandidates {
  rows: Int32Array;
  scores: Float32Array;
  /** The rows scanned (the catalog size when the batch ran). */
  count: number;
}

/** Most users answered by one pass (a larger queue runs as several passes in the same turn). */
const MAX_BATCH = 64;
/**
 * Most scores one pass holds at once (count x users, float32: 64 MB), so the batch shrinks on large catalogs
 * (16 users at 1M items): onnxruntime's arena keeps its largest intermediate for the session's life.
 */
const MAX_PASS_SCORES = 16 * 2 ** 20;

interface Pending {
  user: Float32Array;
  want: number;
  resolve: (c: ScanCandidates) => void;
  reject: (err: unknown) => void;
}

/** The scan graph: scores = items x users^T (+ bias) [count, B], then the best k of each column. */
function scanGraph(withBias: boolean): Buffer {
  const g = new GraphBuilder('exact-scan');
  g.inputOf('items', FLOAT, ['N', 'D']);
  g.inputOf('users', FLOAT, ['B', 'D']);
  g.inputOf('k', INT64, [1]);
  if (withBias) g.inputOf('bias', FLOAT, ['N', 1]);
  const scores = g.node('Gemm', withBias ? ['items', 'users', 'bias'] : ['items', 'users'], 'scores', { transB: 1 });
  g.nodeOutputs('TopK', [scores, 'k'], ['values', 'indices'], { axis: 0, largest: 1, sorted: 1 });
  g.outputOf('values', FLOAT, ['K', 'B']);
  g.outputOf('indices', INT64, ['K', 'B']);
  return g.encode('Exact search pre-pass: float32 scores of every item for a batch of users, and each user\'s best k');
}

/** The batched pass of one serving version (its own onnxruntime sessions, created on first use). */
export class ExactScan {
  /** Passes run, and calls they answered (batches = passes; calls / passes is the mean batch). */
  passes = 0;
  calls = 0;
  private queue = new Map<Float32Array, { items: ScanItems; pending: Pending[] }>();
  private scheduled = false;
  private readonly sessions = new Map<boolean, Promise<ort.InferenceSession>>();

  constructor(private readonly dim: number) {}

  /**
   * The best `want` rows of `items` for `user` (dim floats) by float32 score, answered together with every other
   * call queued in this event-loop turn over the same rows. `want` must be below `items.count`.
   */
  search(items: ScanItems, user: Float32Array, want: number): Promise<ScanCandidates> {
    return new Promise((resolve, reject) => {
      let group = this.queue.get(items.vecs);
      if (!group) this.queue.set(items.vecs, (group = { items, pending: [] }));
      group.pending.push({ user, want, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Frees the sessions (the version is retired). */
  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) await (await s).release();
  }

  private flush(): void {
    const groups = this.queue;
    this.queue = new Map();
    this.scheduled = false;
    for (const { items, pending } of groups.values()) {
      const batch = Math.max(1, Math.min(MAX_BATCH, Math.floor(MAX_PASS_SCORES / Math.max(1, items.count))));
      for (let i = 0; i < pending.length; i += batch) {
        const part = pending.slice(i, i + batch);
        this.pass(items, part).catch((err) => { for (const p of part) p.reject(err); });
      }
    }
  }

  private session(withBias: boolean): Promise<ort.InferenceSession> {
    let s = this.sessions.get(withBias);
    if (!s) {
      s = ort.InferenceSession.create(scanGraph(withBias), {
        intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
      });
      this.sessions.set(withBias, s);
    }
    return s;
  }

  /** One pass over the rows of `items` as they are now, for every pending call. */
  private async pass(items: ScanItems, pending: Pending[]): Promise<void> {
    const d = this.dim;
    // The rows as of now: rows appended later are outside this pass (the arrays never change below count).
    const count = items.count;
    const b = pending.length;
    const users = new Float32Array(b * d);
    let k = 1;
    pending.forEach((p, i) => {
      users.set(p.user.subarray(0, d), i * d);
      k = Math.max(k, Math.min(p.want, count));
    });
    const feeds: Record<string, ort.Tensor> = {
      items: new ort.Tensor('float32', items.vecs.subarray(0, count * d), [count, d]),
      users: new ort.Tensor('float32', users, [b, d]),
      k: new ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1]),
    };
    if (items.bias) feeds.bias = new ort.Tensor('float32', items.bias.subarray(0, count), [count, 1]);
    const out = await (await this.session(!!items.bias)).run(feeds);
    const values = out.values.data as Float32Array;
    const indices = out.indices.data as BigInt64Array;
    this.passes++;
    this.calls += b;
    pending.forEach((p, i) => {
      const m = Math.min(p.want, k);
      const rows = new Int32Array(m);
      const scores = new Float32Array(m);
      for (let j = 0; j < m; j++) {
        rows[j] = Number(indices[j * b + i]);
        scores[j] = values[j * b + i];
      }
      p.resolve({ rows, scores, count });
    });
  }
}

/** The largest |v| over rows 0..count-1 of a cache array, kept per array and extended as rows are appended (rows below count never change). */
const maxNorms = new WeakMap<Float32Array, { count: number; max: number }>();

/** The largest row norm of the first `count` rows of `vecs`. */
export function maxRowNorm(vecs: Float32Array, dim: number, count: number): number {
  const seen = maxNorms.get(vecs);
  let from = 0, m2 = 0;
  if (seen && seen.count <= count) {
    from = seen.count;
    m2 = seen.max * seen.max;
  }
  for (let r = from; r < count; r++) {
    let s = 0;
    for (let i = r * dim, e = i + dim; i < e; i++) s += vecs[i] * vecs[i];
    if (s > m2) m2 = s;
  }
  const max = Math.sqrt(m2);
  maxNorms.set(vecs, { count, max });
  return max;
}

/**
 * The pass's candidates, certified for one call: `found` (a user's best rows by float32 score) without the rows
 * `skip` rejects (excluded items), in row order, when the bound above proves that they hold the call's exact top
 * `k` under `exact` (the serving score function on candidate rows); undefined when at least k candidates do not
 * remain or the proof fails: the caller scans every row.
 */
export function certify(user: Float32Array, vecs: Float32Array, dim: number, k: number, found: ScanCandidates,
  exact: (rows: Int32Array, m: number) => Float32Array, skip?: (r: number) => boolean): Int32Array | undefined {
  const n = found.rows.length;
  if (k <= 0 || n === 0) return undefined;
  const rows = new Int32Array(n);
  let kept = 0;
  for (let j = 0; j < n; j++) {
    const r = found.rows[j];
    if (!skip || !skip(r)) rows[kept++] = r;
  }
  if (kept < k) return undefined;
  // Row order, as the full scan offers them: equal scores then rank the same way (the earlier row first).
  const cand = rows.subarray(0, kept).sort();
  // The lowest float32 score of the whole candidate list (excluded rows included: they were inside the pass's cut).
  const worst = found.scores[n - 1];
  let un = 0;
  for (let i = 0; i < dim; i++) un += user[i] * user[i];
  const eps = (dim + 2) * 2 ** -23 * (Math.sqrt(un) * maxRowNorm(vecs, dim, found.count) + Math.abs(worst) + 1);
  const scores = exact(cand, kept);
  const kth = scores[topK(scores, kept, k)[k - 1]];
  return kth > worst + eps ? cand : undefined;
}
