// The approximate nearest-neighbour index of Retrieve: an HNSW graph (usearch) over one item-cache state's
// vectors. Built in a worker thread (the event loop keeps serving), checked there by a recall canary against
// exact search, written to a temporary file and loaded by the serving thread (a file read, no graph build). A
// build whose canary recall is below the threshold is refused: the caller keeps the previous index.
//
// Why the graph is not built on the inner product itself: an inner product is not a distance (an item is not
// its own nearest neighbour, and the triangle inequality fails), so a graph linked by it sends every item's
// edges to the few largest-norm items and leaves smaller-norm items reachable from almost nowhere. Lists that
// reach into those items lose them: on the test towers' vectors (400 items, 16-d, norms 0.77 to 1.75) an
// inner-product graph found 0.87 of the top 100 with connectivity 16 / expansion 128-256 (0.91 at 400/400),
// and 0.66 at 5,000 items. The index therefore uses the exact reduction of maximum inner product search to
// nearest-neighbour search (Bachrach et al., RecSys 2014): every item becomes [v, b, sqrt(R^2 - |v|^2 - b^2)]
// (b: the item's bias term, for heads that add one; R: the largest |[v, b]|) and the query [u, 1, 0]; then
// |q - x|^2 = |u|^2 + 1 + R^2 - 2 (u . v + b), so the nearest items in Euclidean distance are exactly the
// items with the highest score, and the graph is built over a true metric where every item sits on one
// sphere. Same parameters, same vectors: recall 1.00 at 400 and at 5,000 items.
//
// The canary counts ties as hits: a returned item scoring at least the exact 100th score is a correct answer
// even when exact search listed a different item of the same score (items with identical features, such as
// new items without history, have identical vectors).
//
// usearch was chosen over hnswlib-node (measured at 50k x 64-d random vectors, same machine, same run, load
// average ~19: build 48.5 s vs 42.0 s single-threaded, recall@100 0.974 vs 0.978, query 4.0 ms vs 1.7 ms)
// because it ships prebuilt linux binaries (no compiler or Node headers at install), takes whole
// Float32Array batches (hnswlib-node takes one number[] per point) and builds with several threads.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { dotScores } from '../../ml/model/score';
import { topK } from './top-k';

/** The part of usearch's Index this module uses (declared here: usearch is loaded only when an index is built). */
interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads: number): void;
  load(path: string): void;
  save(path: string): void;
  search(vector: Float32Array, k: number, threads: number): { keys: BigUint64Array };
}

/** A usearch Index over `dims`-d Euclidean space, the package loaded on first use (a server that never builds an index never needs it). */
function usearchIndex(dims: number, o: Required<Pick<AnnOptions, 'connectivity' | 'expansionAdd' | 'expansionSearch'>>): UsearchIndex {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Index } = require('usearch') as { Index: new (c: Record<string, unknown>) => UsearchIndex };
  return new Index({ metric: 'l2sq', dimensions: dims, connectivity: o.connectivity, quantization: 'f32', expansion_add: o.expansionAdd,
    expansion_search: o.expansionSearch, multi: false });
}

/** Tunables of an index build and its canary. */
export interface AnnOptions {
  /** HNSW connectivity (M): graph edges per item. */
  connectivity?: number;
  /** Candidate list size while building. */
  expansionAdd?: number;
  /** Candidate list size while searching (recall vs latency); a search for k > this uses k. */
  expansionSearch?: number;
  /** Canary queries checked against exact search (the caller's: real user vectors first, item vectors for the rest). */
  canaryQueries?: number;
  /** Build threads inside the worker. */
  threads?: number;
  /** Test hook: label every vector with a wrong key (a deliberately broken index the canary must refuse). */
  sabotage?: boolean;
}

/**
 * The defaults. Measured with 50 real user vectors of a 64-d test model as queries (recall@100, tie-aware):
 * at 20,000 items connectivity 16 / search 256: 0.88, 16 / 1024: 0.98, 32 / 512: 0.975; at 100,000 items
 * with connectivity 32, search 256 / 512 / 1024 / 2048: 0.77 / 0.89 / 0.954 / 0.989 (search 1024 is the
 * smallest that reaches the canary's 0.95); with the items centred, 0.964 for 200 users through gRPC
 * (bench/retrieve.bench.ts, 57 CPU s to build with one thread).
 */
export const ANN_DEFAULTS = { connectivity: 32, expansionAdd: 128, expansionSearch: 1024 } as const;

/** The canary's depth: recall is measured on the top 100 (the default K). */
export const CANARY_K = 100;

/** The vectors an index is built over: `count` rows of `dim` floats, and a bias per row for heads that add one. */
export interface IndexInput {
  vecs: Float32Array;
  dim: number;
  count: number;
  bias?: Float32Array;
}

/** A built index over the rows 0..count-1 of one cache state, and its canary's verdict. */
export class AnnIndex {
  private readonly query: Float32Array;

  private constructor(private readonly index: UsearchIndex, readonly dim: number, withBias: boolean, readonly count: number,
    readonly recall: number, readonly buildSeconds: number) {
    // The query's form [u, 1, 0] (or [u, 0] without a bias): only the first dim floats change per call.
    this.query = new Float32Array(dim + (withBias ? 2 : 1));
    if (withBias) this.query[dim] = 1;
  }

  /**
   * Builds an index over the rows of `input` (copied: the cache keeps appending to its arrays) in a worker
   * thread and measures its recall@100 against exact search (the serving score function) on `queries`.
   */
  static async build(input: IndexInput, queries: Float32Array[], o: AnnOptions = {}): Promise<AnnIndex> {
    const t0 = process.hrtime.bigint();
    const { dim, count } = input;
    const file = path.join(os.tmpdir(), `modelops-ann-${process.pid}-${Math.random().toString(36).slice(2)}.usearch`);
    const params = {
      connectivity: o.connectivity ?? ANN_DEFAULTS.connectivity, expansionAdd: o.expansionAdd ?? ANN_DEFAULTS.expansionAdd,
      expansionSearch: o.expansionSearch ?? ANN_DEFAULTS.expansionSearch,
    };
    const cfg = { dim, count, file, ...params, threads: o.threads ?? 1, sabotage: !!o.sabotage, k: CANARY_K };
    const data = input.vecs.slice(0, count * dim);
    const bias = input.bias?.slice(0, count);
    const q = new Float32Array(queries.length * dim);
    queries.forEach((u, i) => q.set(u, i * dim));
    const recall = await new Promise<number>((resolve, reject) => {
      const w = new Worker(WORKER_SOURCE(), { eval: true, workerData: { cfg, data, bias, q }, transferList: [data.buffer, q.buffer, ...(bias ? [bias.buffer] : [])] });
      w.once('message', (m: { recall?: number; error?: string }) => (m.error ? reject(new Error(`index build: ${m.error}`)) : resolve(m.recall!)));
      w.once('error', reject);
      w.once('exit', (code) => { if (code !== 0) reject(new Error(`index build worker exited with ${code}`)); });
    });
    try {
      const index = usearchIndex(augmentedDims(dim, !!bias), params);
      index.load(file);
      return new AnnIndex(index, dim, !!bias, count, recall, Number(process.hrtime.bigint() - t0) / 1e9);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }

  /** The rows of the (about) `k` best items for `user` (dim floats) by u . v (+ bias), best first. */
  search(user: Float32Array, k: number): Int32Array {
    this.query.set(user.subarray(0, this.dim));
    const m = this.index.search(this.query, Math.min(k, this.count), 1);
    const rows = new Int32Array(m.keys.length);
    for (let i = 0; i < rows.length; i++) rows[i] = Number(m.keys[i]);
    return rows;
  }
}

/** Floats per indexed item: the vector, the bias if any, and the coordinate that puts every item on one sphere. */
export function augmentedDims(dim: number, withBias: boolean): number {
  return dim + (withBias ? 1 : 0) + 1;
}

/**
 * The items in the index's space: row r becomes [v_r - c, b_r, sqrt(R^2 - |v_r - c|^2 - b_r^2)], c the mean item
 * vector, R the largest |[v - c, b]|, so that Euclidean nearness to a query [u, 1, 0] orders items exactly as
 * u . v + b does. Subtracting c shifts every item's score for a user by the same u . c, so the order is
 * unchanged; it matters for the graph: a tower's item vectors share a direction (mean cosine 0.87 to their mean
 * for the 64-d test model's 100k items), and uncentered they sit in a narrow cap of the sphere where every item
 * has thousands of near-equidistant neighbours, which slows every insertion and search and lowers recall.
 */
export function augment(vecs: Float32Array, dim: number, count: number, bias?: Float32Array): Float32Array {
  const D = augmentedDims(dim, !!bias);
  const out = new Float32Array(count * D);
  const mean = new Float64Array(dim);
  for (let r = 0; r < count; r++) for (let i = 0; i < dim; i++) mean[i] += vecs[r * dim + i];
  for (let i = 0; i < dim; i++) mean[i] /= Math.max(1, count);
  const sq = new Float64Array(count);
  let r2 = 0;
  for (let r = 0; r < count; r++) {
    let s = 0;
    for (let i = 0; i < dim; i++) {
      const x = vecs[r * dim + i] - mean[i];
      out[r * D + i] = x;
      s += x * x;
    }
    if (bias) {
      out[r * D + dim] = bias[r];
      s += bias[r] * bias[r];
    }
    sq[r] = s;
    if (s > r2) r2 = s;
  }
  for (let r = 0; r < count; r++) out[r * D + D - 1] = Math.sqrt(Math.max(0, r2 - sq[r]));
  return out;
}

/** recall@k of `got` against `want` (row lists). */
export function recallAt(got: ArrayLike<number>, want: ArrayLike<number>): number {
  const truth = new Set<number>(Array.from(want));
  let hit = 0;
  for (let i = 0; i < got.length; i++) if (truth.has(got[i])) hit++;
  return want.length === 0 ? 1 : hit / want.length;
}

/**
 * recall@k with ties counted: the share of the exact top k that `got` matches, where a returned row counts when
 * its score is at least the exact k-th best score (`scores`: every row's score). Never above 1.
 */
export function tieAwareRecall(got: ArrayLike<number>, scores: Float32Array, want: ArrayLike<number>): number {
  if (want.length === 0) return 1;
  const kth = scores[want[want.length - 1]];
  const seen = new Set<number>();
  let hit = 0;
  for (let i = 0; i < got.length; i++) {
    const r = got[i];
    if (!seen.has(r) && scores[r] >= kth) hit++;
    seen.add(r);
  }
  return Math.min(1, hit / want.length);
}

/** Every row's score for `user` (the serving score function: u . v + bias). */
export function allScores(user: Float32Array, vecs: Float32Array, dim: number, count: number, bias?: Float32Array): Float32Array {
  const rows = new Int32Array(count);
  for (let r = 0; r < count; r++) rows[r] = r;
  return dotScores(user, vecs, dim, rows, count, new Float32Array(count), bias);
}

/** The exact top `k` rows of `vecs` for `user` (the canary's ground truth, the same score function as serving). */
export function exactTop(user: Float32Array, vecs: Float32Array, dim: number, count: number, k: number, bias?: Float32Array): Int32Array {
  return topK(allScores(user, vecs, dim, count, bias), count, k);
}

/** The canary: mean tie-aware recall@k of `search` against exact search over `queries` (each dim floats). */
export function canaryRecall(search: (u: Float32Array, k: number) => ArrayLike<number>, input: IndexInput, queries: Float32Array, k: number): number {
  const { vecs, dim, count, bias } = input;
  const nq = queries.length / dim;
  if (nq === 0 || count === 0) return 1;
  let sum = 0;
  for (let j = 0; j < nq; j++) {
    const u = queries.subarray(j * dim, (j + 1) * dim);
    const scores = allScores(u, vecs, dim, count, bias);
    const want = topK(scores, count, Math.min(k, count));
    sum += tieAwareRecall(search(u, Math.min(k, count)), scores, want);
  }
  return sum / nq;
}

/**
 * This module as compiled JavaScript (the worker evaluates plain JavaScript, without the TypeScript loader
 * that tests run under): itself when running from dist/, else its dist/ twin (`npm test` builds first).
 */
function compiledSelf(): string {
  if (__filename.endsWith('.js')) return __filename;
  const root = path.resolve(__dirname, '..', '..');
  return path.join(root, 'dist', path.relative(root, __filename).replace(/\.ts$/, '.js'));
}

// The worker: augment, build, canary, save. Plain JavaScript evaluated in the worker (no TypeScript loader
// there); it uses the compiled ann-index module itself, so the canary's truth is serving's score function and
// the index's space is the one `search` queries.
const WORKER_SOURCE = () => `
const { parentPort, workerData } = require('node:worker_threads');
const { Index } = require(${JSON.stringify(require.resolve('usearch'))});
const { augment, augmentedDims, canaryRecall } = require(${JSON.stringify(compiledSelf())});
try {
  const { cfg, data, bias, q } = workerData;
  const D = augmentedDims(cfg.dim, !!bias);
  const index = new Index({ metric: 'l2sq', dimensions: D, connectivity: cfg.connectivity, quantization: 'f32',
    expansion_add: cfg.expansionAdd, expansion_search: cfg.expansionSearch, multi: false });
  const keys = new BigUint64Array(cfg.count);
  for (let i = 0; i < cfg.count; i++) keys[i] = BigInt(cfg.sabotage ? (i * 7919 + 1) % cfg.count : i);
  if (cfg.count > 0) index.add(keys, augment(data, cfg.dim, cfg.count, bias), cfg.threads);
  const query = new Float32Array(D);
  if (bias) query[cfg.dim] = 1;
  const search = (u, k) => { query.set(u); return Array.from(index.search(query, k, 1).keys, Number); };
  const recall = canaryRecall(search, { vecs: data, dim: cfg.dim, count: cfg.count, bias }, q, cfg.k);
  index.save(cfg.file);
  parentPort.postMessage({ recall });
} catch (err) {
  parentPort.postMessage({ error: String(err && err.message || err) });
}
`;
