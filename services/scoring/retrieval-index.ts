// The approximate index that serves one version's Retrieve: built in a worker over an item-cache state, checked
// by its recall canary against exact search, swapped in one assignment when it passes, and rebuilt when the cache
// is. Below a size threshold, or while no index passed, exact search serves (candidate-rows.ts).
import type { Logger } from 'pino';
import { AnnIndex, type AnnOptions } from './ann-index';
import type { CacheState } from './item-vector-cache';
import { markIds, type CandidateRows } from './candidate-rows';

/** Options of the index: built when the catalog has at least `minItems` items, served when its canary recall reaches `minRecall`. */
export type RetrievalIndexOptions = AnnOptions & { minItems: number; minRecall: number };

/** The retrieval index state of a version, as status reports it. */
export interface IndexStatus {
  /** "approximate" when an index that passed its canary serves, else "exact". */
  search: 'exact' | 'approximate';
  items: number;
  /** The serving index's canary recall@100 (0 with exact search). */
  recall: number;
  /** The last build the canary refused (its recall), if the latest build was refused. */
  refusedRecall?: number;
  /** The last build error, if the latest build failed. */
  error?: string;
  /** Seconds the serving index took to build, canary included (0 with exact search). */
  buildSeconds: number;
  /** The item count below which exact search serves (the approximate index is not built). */
  minItems: number;
}

/** What the index needs of its version. */
export interface RetrievalIndexDeps {
  /** Undefined: exact search only (no index is ever built). */
  options?: RetrievalIndexOptions;
  /** The towers' output dimension. */
  dim: number;
  /** Up to `n` of the version's real user vectors for the canary (the users served most recently first). */
  userQueries: (n: number) => Promise<Float32Array[]>;
  /** The version's resource name, for logs. */
  version: string;
  log: Logger;
}

/** One version's approximate retrieval index and its builds. */
export class RetrievalIndex {
  /** What the latest build did (for status and metrics); replaced, never changed in place. */
  status: IndexStatus = { search: 'exact', items: 0, recall: 0, buildSeconds: 0, minItems: 0 };
  /** The serving index, with the cache state whose rows it holds and how many real users its canary saw. */
  private ann?: { index: AnnIndex; state: CacheState; userQueries: number };
  private building = false;
  /** A cache state that was rebuilt while a build ran: indexed when that build ends. */
  private next?: CacheState;
  private stopped = false;

  constructor(private readonly d: RetrievalIndexDeps) {}

  /** Ends the builds: one running finishes without swapping in, none starts. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Builds the index over `st` in a worker and swaps it in (one assignment) when its canary passes; below the
   * size threshold exact search serves. The index ranks by the towers' u . v (+ the item's bias term for
   * two-tower-mod); a late head rescores what it finds. A state rebuilt while a build runs is indexed next.
   * Never throws: a failed or refused build leaves the previous index serving and says so in `status`.
   */
  async build(st: CacheState): Promise<void> {
    const o = this.d.options;
    if (!o || this.stopped) return;
    if (this.building) {
      this.next = st;
      return;
    }
    if (st.count < o.minItems) {
      this.ann = undefined;
      this.status = { search: 'exact', items: st.count, recall: 0, buildSeconds: 0, minItems: o.minItems };
      return;
    }
    this.building = true;
    const version = this.d.version;
    try {
      // Canary queries: this version's vectors of the users served most recently (the user cache is shared by
      // the versions of a layout, so a promoted version finds the users its predecessor is serving; a fresh
      // process has only the warm-up's cold-start user), then item vectors spread over the catalog for the
      // rest. Users are the harder queries (their vectors share a direction: at 100k items the same graph found
      // 0.99 for item stand-ins and 0.88 for users' own vectors, bench/retrieve.bench.ts), so they come first.
      const n = o.canaryQueries ?? 32;
      const d = this.d.dim;
      const queries = await this.d.userQueries(n);
      const userQueries = queries.length;
      const fill = n - queries.length;
      for (let j = 0; j < fill; j++) {
        const r = Math.floor(((j + 0.5) * st.count) / fill);
        queries.push(st.vecs.slice(r * d, (r + 1) * d));
      }
      const index = await AnnIndex.build({ vecs: st.vecs, dim: d, count: st.count, bias: st.bias }, queries, o);
      if (this.stopped) return;
      if (index.recall < o.minRecall) {
        // The previous index keeps serving, unless its own canary saw fewer real users than this one (built at a
        // process start, on stand-ins): the same graph over the same kind of vectors then fails these users too.
        const prev = this.ann;
        if (prev && userQueries > prev.userQueries) {
          this.ann = undefined;
          this.status = { search: 'exact', items: st.count, recall: 0, buildSeconds: 0, refusedRecall: index.recall, minItems: o.minItems };
          this.d.log.error({ version, recall: index.recall, minRecall: o.minRecall, userQueries, previousUserQueries: prev.userQueries },
            'retrieval index refused by its recall canary on more real users than the serving index was checked on; exact search serves');
          return;
        }
        this.status = { ...this.status, refusedRecall: index.recall, error: undefined, minItems: o.minItems };
        this.d.log.error({ version, recall: index.recall, minRecall: o.minRecall }, 'retrieval index refused by its recall canary; the previous index keeps serving');
        return;
      }
      this.ann = { index, state: st, userQueries };
      this.status = { search: 'approximate', items: index.count, recall: index.recall, buildSeconds: index.buildSeconds, minItems: o.minItems };
      this.d.log.info({ version, items: index.count, recall: index.recall, seconds: index.buildSeconds }, 'retrieval index built');
    } catch (err) {
      this.status = { ...this.status, error: (err as Error).message, minItems: o.minItems };
      this.d.log.error({ err, version }, 'retrieval index build failed; the previous index keeps serving');
    } finally {
      this.building = false;
      const next = this.next;
      this.next = undefined;
      if (next) void this.build(next);
    }
  }

  /**
   * Candidate rows of `st` from the serving index: its best K + |exclude| (so exclusions cannot leave fewer than
   * K), rows mapped by id to `st` (the index may hold an older state), exclusions dropped. Undefined when no index
   * serves or too few candidates remain: then exact search answers.
   */
  rows(st: CacheState, uvec: Float32Array, k: number, exclude: string[], nextStamp: () => number): CandidateRows | undefined {
    const ann = this.ann;
    if (!ann) return undefined;
    const found = ann.index.search(uvec, k + exclude.length);
    const mark = nextStamp();
    markIds(st, exclude, mark);
    const stamp = st.stamp;
    const rows = new Int32Array(found.length);
    let m = 0;
    const same = ann.state === st;
    for (let j = 0; j < found.length; j++) {
      const r = same ? found[j] : st.index.row(ann.state.ids[found[j]]);
      if (r >= 0 && stamp[r] !== mark) { stamp[r] = mark; rows[m++] = r; }
    }
    return m >= Math.min(k, st.count - exclude.length) ? { rows, m } : undefined;
  }
}
