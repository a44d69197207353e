// One loaded model version, ready to score: its ONNX sessions, its item-vector cache (built and warmed at
// load, rebuilt on a schedule), its retrieval index and the per-call scoring paths. Calls hold the version for
// their whole duration (`acquire`/`release`), so a retired version finishes the calls that started on it before
// its native sessions are freed. What is read of a version's artifacts is in serving-artifacts.ts, the rows a
// call scores are picked in candidate-rows.ts, and Retrieve's approximate index is retrieval-index.ts.
import { versionName } from '../../core/names';
import type { Logger } from 'pino';
import type { FeatureLayout } from '../../ml/features/layout';
import { DomainError } from '../../core/errors';
import { ItemVectorCache, type CacheState } from './item-vector-cache';
import { OnnxModel } from '../../ml/model/onnx-model';
import { topK } from './top-k';
import { dotScores } from '../../ml/model/score';
import { ExactScan } from './exact-scan';
import { catalogRows, dedupeRows, exactRows } from './candidate-rows';
import { RetrievalIndex, type IndexStatus, type RetrievalIndexOptions } from './retrieval-index';
import { readServingArtifacts, type ServingMeta } from './serving-artifacts';
import type { FeatureSource, UserContext, VersionRef, VersionSource } from './sources';
import type { UserFeatureCache, UserRow } from './user-feature-cache';

/** What one call computed. */
export interface ScoreOutcome {
  itemIds: string[];
  scores: number[];
  unknownItemIds: string[];
  coldStartUser: boolean;
  /** Seconds of model compute (all but the wait for the feature store): lookups, user tower when not cached with the row, scores, top-k. */
  computeSeconds: number;
}

/** What one Retrieve call computed (the catalog's best items for the user). */
export interface RetrieveOutcome {
  itemIds: string[];
  scores: number[];
  coldStartUser: boolean;
  /** Seconds of model compute (all but the wait for the feature store). */
  computeSeconds: number;
}

/**
 * How many candidates the towers' dot product hands to a late-interaction head (modified-two-tower) for
 * rescoring: the head is not a dot product, so retrieval ranks the catalog by u . v (through the approximate
 * index when one serves, else exactly) and the head re-ranks this many (the largest top_k a request may ask,
 * so any K is rescored from at least K candidates).
 */
export const LATE_RESCORE = 1000;

/** Options of a version load. */
export interface LoadOptions {
  versions: VersionSource;
  /** The feature source for this version's layout (and its dataset's event source). */
  features: (layout: FeatureLayout, ref: VersionRef) => FeatureSource | Promise<FeatureSource>;
  /** The user-feature cache for this version's layout (shared by versions with the same layout). */
  users: (layout: FeatureLayout, features: FeatureSource) => UserFeatureCache;
  /** Item ids to build the cache for at load (the items the version was trained on), if known. */
  itemUniverse: (files: Map<string, Buffer>, layout: FeatureLayout) => string[] | Promise<string[]>;
  /** Time zone to use when model.json names none. */
  defaultTimezone: string;
  /** Item-cache rebuild period (ms); 0 disables. */
  refreshMs: number;
  /** Retrieve's approximate index: built when the catalog has at least `minItems` items; undefined: exact search only. */
  ann?: RetrievalIndexOptions;
  log: Logger;
}

/** A loaded version. */
export class ServingVersion {
  /** Calls running on this version now. */
  inflight = 0;
  private retired = false;
  /** Per-version scratch of the synchronous path (candidate rows, scores); grown as needed. */
  private rowScratch = new Int32Array(512);
  private scoreScratch = new Float32Array(512);
  private released = false;
  /** The approximate index serving Retrieve, when one passed its canary. */
  private readonly index: RetrievalIndex;
  /** Exact search's pre-pass: the Retrieve calls of one event-loop turn share one pass over the catalog. */
  readonly scan: ExactScan;
  /** The version's resource name, as Score returns it (built once, not per call). */
  readonly resourceName: string;

  private constructor(
    readonly ref: VersionRef,
    readonly meta: ServingMeta,
    readonly runtime: OnnxModel,
    readonly items: ItemVectorCache,
    readonly users: UserFeatureCache,
    private readonly log: Logger,
    ann: RetrievalIndexOptions | undefined,
  ) {
    this.resourceName = versionName(ref.model, ref.number);
    this.scan = new ExactScan(runtime.dim);
    this.index = new RetrievalIndex({ options: ann, dim: runtime.dim, userQueries: (n) => this.canaryUsers(n), version: this.resourceName, log });
  }

  /** What the latest retrieval index build did (for status and metrics). */
  get indexStatus(): IndexStatus {
    return this.index.status;
  }

  /**
   * Loads a version: reads its artifacts (sha256 verified by the source), creates the sessions, builds the
   * item cache and warms the whole path with one real request. Throws on any failure (nothing is kept).
   */
  static async load(ref: VersionRef, o: LoadOptions): Promise<ServingVersion> {
    const { files, meta } = await readServingArtifacts(ref, o.versions, o.defaultTimezone);
    const runtime = await OnnxModel.open({
      user: files.get('user_tower.onnx')!, item: files.get('item_tower.onnx')!, head: files.get('head.onnx'),
    }, ref.arch, meta.layout);
    try {
      const features = await o.features(meta.layout, ref);
      const items = new ItemVectorCache(runtime, features);
      const universe = await o.itemUniverse(files, meta.layout);
      await items.build(universe);
      const v = new ServingVersion(ref, meta, runtime, items, o.users(meta.layout, features), o.log, o.ann);
      // Warm with a real request: a cold-start user over the first cached items runs every step of a call
      // (and leaves a real user vector for the index's canary).
      const warmItems = items.state.ids.slice(0, 500);
      await v.score({ userId: v.warmupUserId(), itemIds: warmItems, topK: 100 }, WARMUP_CONTEXT);
      if (o.ann) {
        items.onRebuilt = (st) => { void v.buildIndex(st); };
        await v.buildIndex(items.state);
      }
      if (o.refreshMs > 0) {
        items.schedule(o.refreshMs, (err) => o.log.warn({ err, version: v.resourceName }, 'item-vector cache refresh failed; the previous vectors keep serving'));
      }
      return v;
    } catch (err) {
      await runtime.release();
      throw err;
    }
  }

  /** Marks a call as running on this version. */
  acquire(): void {
    this.inflight++;
  }

  /** Ends a call; frees a retired version after its last call. */
  release(): void {
    this.inflight--;
    if (this.retired && this.inflight === 0) void this.free();
  }

  /** Takes the version out of service: freed now if idle, else when its last call ends. */
  retire(): void {
    this.retired = true;
    this.index.stop();
    this.items.stop();
    if (this.inflight === 0) void this.free();
  }

  private async free(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.scan.close();
    await this.runtime.release();
    this.log.info({ version: this.resourceName }, 'retired version released');
  }

  /** Ranks candidates for one user with this version. */
  async score(req: { userId: string; itemIds: string[]; topK: number; deadline?: number }, ctx: UserContext): Promise<ScoreOutcome> {
    const t0 = process.hrtime.bigint();
    const cache = this.items;
    const ids = req.itemIds;
    const n = ids.length;
    // Pass 1: each candidate's cache row (-1 when absent) and the ids to fetch (neither cached nor
    // remembered as unknown), each once.
    const st0 = cache.state;
    const rows = new Int32Array(n);
    let missing: string[] | undefined;
    let missingSeen: Set<string> | undefined;
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const r = st0.index.row(ids[i]);
      if (r >= 0) {
        rows[i] = r;
        continue;
      }
      rows[i] = -1;
      const id = ids[i];
      if (cache.isKnownUnknown(id, now)) continue;
      missingSeen ??= new Set();
      if (missingSeen.has(id)) continue;
      missingSeen.add(id);
      (missing ??= []).push(id);
    }
    const nMissing = missing?.length ?? 0;
    cache.hits += n - nMissing;
    cache.misses += nMissing;

    let user: UserRow;
    let waited = 0n;
    const userP = this.users.get(req.userId, ctx);
    if (missing || userP instanceof Promise) {
      // The user's row and the missing item vectors are fetched at once; both rejections are observed.
      ({ user, waited } = await this.awaitFeatures(userP, missing ? cache.fill(missing) : undefined, req.deadline));
    } else {
      user = userP;
    }
    const uvec = user.vectors?.get(this) ?? await this.userVectorOf(user);

    // From here to the scores nothing awaits (except the late head, after copying): rows and arrays come
    // from one cache state. A rebuild that swapped the state meanwhile means looking every row up again;
    // otherwise only the fetched ids (appended to this state) are looked up.
    const st = cache.state;
    if (st !== st0) {
      for (let i = 0; i < n; i++) rows[i] = st.index.row(ids[i]);
    } else if (missing) {
      for (let i = 0; i < n; i++) if (rows[i] < 0) rows[i] = st.index.row(ids[i]);
    }
    if (!this.runtime.scoresNow) return this.rankLate(req, rows, n, st, user, uvec, t0, waited);
    return this.rank(req.itemIds, req.topK, rows, n, st, user.found, uvec, t0, waited);
  }

  /**
   * The call's outcome computed synchronously when nothing needs waiting for (every candidate cached or
   * remembered as unknown, the user's row and its vector for this version cached, a dot-product head), else
   * undefined (nothing counted): then `score` does the call. Same result as `score`, without its promise
   * hops and per-call row array; this is the served path of every call after warm-up.
   */
  scoreNow(req: { userId: string; itemIds: string[]; topK: number }, ctx: UserContext): ScoreOutcome | undefined {
    if (!this.runtime.scoresNow) return undefined;
    const t0 = process.hrtime.bigint();
    const cache = this.items;
    const st = cache.state;
    const ids = req.itemIds;
    const n = ids.length;
    // Reused across calls: nothing below awaits, so no other call can see it in between.
    let rows = this.rowScratch;
    if (rows.length < n) rows = this.rowScratch = new Int32Array(Math.max(n, 2 * rows.length));
    let now = 0;
    for (let i = 0; i < n; i++) {
      const r = st.index.row(ids[i]);
      rows[i] = r;
      if (r < 0) {
        now ||= Date.now();
        if (!cache.isKnownUnknown(ids[i], now)) return undefined;
      }
    }
    const user = this.users.peek(req.userId, ctx);
    const uvec = user?.vectors?.get(this);
    if (!user || !uvec) return undefined;
    this.users.hits++;
    cache.hits += n;
    return this.rank(ids, req.topK, rows, n, st, user.found, uvec, t0, 0n);
  }

  /**
   * The best `topK` items of the whole cache for one user, excluding `exclude`. Candidates come from the
   * approximate index when one serves (its best K + |exclude|), else from every cached row (exact search); they
   * are scored with the one score function (u . v, plus the age logit for two-tower-mod). For a late head the
   * candidates are ranked by the towers' u . v and the best LATE_RESCORE of them rescored with the head. Items
   * filled into the cache on demand since the index was built reach it at the next rebuild.
   */
  async retrieve(req: { userId: string; topK: number; exclude: string[]; deadline?: number }, ctx: UserContext): Promise<RetrieveOutcome> {
    const t0 = process.hrtime.bigint();
    let user: UserRow;
    let waited = 0n;
    const userP = this.users.get(req.userId, ctx);
    if (userP instanceof Promise) ({ user, waited } = await this.awaitFeatures(userP, undefined, req.deadline));
    else user = userP;
    const uvec = user.vectors?.get(this) ?? await this.userVectorOf(user);
    // Rows and arrays come from this one cache state (its rows below count never change, so the shared exact
    // pass awaited below leaves them valid even when a rebuild swaps in another state meanwhile).
    const st = this.items.state;
    // A late head rescores the towers' best LATE_RESCORE, so that many candidates come from the index.
    const want = this.runtime.scoresNow ? req.topK : Math.max(req.topK, LATE_RESCORE);
    const nextStamp = () => this.items.nextStamp();
    const { rows, m } = this.index.rows(st, uvec, want, req.exclude, nextStamp)
      ?? await exactRows(this.scan, st, uvec, this.runtime.dim, want, req.exclude, nextStamp,
        (err) => this.log.error({ err, version: this.resourceName }, 'retrieve: the exact pre-pass failed; this call scans every row'))
      ?? catalogRows(st, req.exclude, nextStamp);
    const scores = new Float32Array(m);
    let top: Int32Array;
    let out: Float32Array = scores;
    if (this.runtime.scoresNow) {
      this.runtime.scoreNow(uvec, st, rows, m, scores);
      top = topK(scores, m, req.topK);
    } else {
      // The late head: the towers' dot product picks the candidates, the head (the one score function) ranks them.
      dotScores(uvec, st.vecs, this.runtime.dim, rows, m, scores);
      const cand = topK(scores, m, Math.max(req.topK, LATE_RESCORE));
      const candRows = new Int32Array(cand.length);
      for (let j = 0; j < cand.length; j++) candRows[j] = rows[cand[j]];
      out = await this.runtime.score(uvec, user.userCat, { vecs: st.vecs }, candRows, candRows.length);
      top = topK(out, candRows.length, req.topK);
      for (let j = 0; j < top.length; j++) top[j] = cand[top[j]];
      // Scores of the head, indexed like `rows`.
      const headScores = new Float32Array(m);
      for (let j = 0; j < cand.length; j++) headScores[cand[j]] = out[j];
      out = headScores;
    }
    const { itemIds, scores: vals } = rankedItems(top, rows, out, st);
    const computeSeconds = Number(process.hrtime.bigint() - t0 - waited) / 1e9;
    return { itemIds, scores: vals, coldStartUser: !user.found, computeSeconds };
  }

  /**
   * Builds the retrieval index over `st` and swaps it in when its canary passes (retrieval-index.ts); never
   * throws: a failed or refused build leaves the previous index serving and says so in `indexStatus`.
   */
  buildIndex(st: CacheState): Promise<void> {
    return this.index.build(st);
  }

  /** The id of the cold-start user the load warms up with. */
  private warmupUserId(): string {
    return `__warmup__/${this.ref.model}/${this.ref.number}`;
  }

  /**
   * Up to `n` of this version's user vectors for the index canary: the users served most recently, then the
   * warm-up's cold-start user (all a fresh process has).
   */
  private async canaryUsers(n: number): Promise<Float32Array[]> {
    const queries: Float32Array[] = await Promise.all(this.users.recentRows(n).map((u) => u.vectors?.get(this) ?? this.userVectorOf(u)));
    const cold = this.users.peek(this.warmupUserId(), WARMUP_CONTEXT)?.vectors?.get(this);
    if (cold && queries.length < n) queries.push(cold);
    return queries;
  }

  /**
   * Waits for the user's row (and, alongside, the missing item vectors) on a call's slow path: a feature-store
   * failure becomes UNAVAILABLE (cause logged), a deadline passed meanwhile DEADLINE_EXCEEDED. Returns the row
   * and the nanoseconds waited.
   */
  private async awaitFeatures(userP: UserRow | Promise<UserRow>, alongside: Promise<unknown> | undefined, deadline?: number): Promise<{ user: UserRow; waited: bigint }> {
    const w0 = process.hrtime.bigint();
    let user: UserRow;
    try {
      user = alongside ? (await Promise.all([userP, alongside]))[0] : await userP;
    } catch (err) {
      if (err instanceof DomainError) throw err;
      this.log.error({ err, version: this.resourceName }, 'scoring: feature lookup failed');
      throw new DomainError('UNAVAILABLE', 'the feature store cannot be read now; retry shortly');
    }
    const waited = process.hrtime.bigint() - w0;
    if (deadline !== undefined && Date.now() >= deadline) {
      throw new DomainError('DEADLINE_EXCEEDED', 'the call\'s deadline passed while fetching features; retry with a longer deadline');
    }
    return { user, waited };
  }

  /** The user's vector under this version, computed once and kept on the (cached) user row. */
  private async userVectorOf(user: UserRow): Promise<Float32Array> {
    const uvec = await this.runtime.userVector(user.userCat, user.userDense);
    (user.vectors ??= new Map()).set(this, uvec);
    return uvec;
  }

  /** Pass 2 (duplicates dropped, unknown ids listed), the model's scores (synchronous form), top-k and the outcome. */
  private rank(ids: string[], k: number, rows: Int32Array, n: number, st: CacheState, found: boolean, uvec: Float32Array,
    t0: bigint, waited: bigint): ScoreOutcome {
    const { m, unknown } = dedupeRows(ids, rows, n, st, this.items.nextStamp());
    let scores = this.scoreScratch;
    if (scores.length < m) scores = this.scoreScratch = new Float32Array(Math.max(m, 2 * scores.length));
    this.runtime.scoreNow(uvec, st, rows, m, scores);
    return this.outcome(scores, rows, m, unknown, st, k, found, t0, waited);
  }

  /** The late-interaction head: the model gathers the candidates' vectors and runs head.onnx over them. */
  private async rankLate(req: { itemIds: string[]; topK: number }, rows: Int32Array, n: number, st: CacheState, user: UserRow,
    uvec: Float32Array, t0: bigint, waited: bigint): Promise<ScoreOutcome> {
    const { m, unknown } = dedupeRows(req.itemIds, rows, n, st, this.items.nextStamp());
    // score() gathers the rows' vectors before its first await, so a rebuild during the head's run is harmless.
    const scores = await this.runtime.score(uvec, user.userCat, { vecs: st.vecs }, rows, m);
    return this.outcome(scores, rows, m, unknown, st, req.topK, user.found, t0, waited);
  }

  /** Top-k of the scores and the response arrays (best first). */
  private outcome(scores: Float32Array, rows: Int32Array, m: number, unknown: string[] | undefined, st: CacheState, k: number,
    found: boolean, t0: bigint, waited: bigint): ScoreOutcome {
    const { itemIds, scores: out } = rankedItems(topK(scores, m, k), rows, scores, st);
    // Model compute: everything but the wait for the feature store.
    const computeSeconds = Number(process.hrtime.bigint() - t0 - waited) / 1e9;
    return { itemIds, scores: out, unknownItemIds: unknown ?? [], coldStartUser: !found, computeSeconds };
  }
}

/** The response arrays, best first: the item id and score of each position `top` names in `rows` and `scores`. */
function rankedItems(top: Int32Array, rows: Int32Array, scores: Float32Array, st: CacheState): { itemIds: string[]; scores: number[] } {
  const itemIds = new Array<string>(top.length);
  const out = new Array<number>(top.length);
  for (let j = 0; j < top.length; j++) {
    itemIds[j] = st.ids[rows[top[j]]];
    out[j] = scores[top[j]];
  }
  return { itemIds, scores: out };
}

/** The context of the warm-up call (and of its user's row, which the index canary looks up). */
const WARMUP_CONTEXT: UserContext = { hod: 0, dow: 0, handsetMaker: undefined };
