// One loaded model version, ready to score: its ONNX sessions, its item-vector cache (built and warmed at
// load, rebuilt on a schedule) and the per-call scoring path. Calls hold the version for their whole
// duration (`acquire`/`release`), so a retired version finishes the calls that started on it before its
// native sessions are freed.
import { versionName } from '../../core/names';
import type { Logger } from 'pino';
import { layoutFor, type FeatureLayout } from '../../ml/features/layout';
import { DomainError } from '../../core/errors';
import { ItemVectorCache, type CacheState } from './item-vector-cache';
import { OnnxModel } from '../../ml/model/onnx-model';
import { SERVING_FILES } from '../../ml/model/servable';
import { topK } from './top-k';
import { dotScores } from '../../ml/model/score';
import { AnnIndex, type AnnOptions } from './ann-index';
import { ExactScan, certify } from './exact-scan';
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

/** Catalogs from this many rows take exact search's batched pre-pass (exact-scan.ts); below, scoring every row costs about as little. */
const EXACT_PREPASS_MIN_ITEMS = 4_096;
/** Rows the pre-pass keeps beyond k + |exclude| (room for its float32 rounding at the k-th place). */
const EXACT_SLACK = 32;

/** The parts of model.json that serving reads. */
export interface ServingMeta {
  layout: FeatureLayout;
  /** The market time zone of the model's data (hour/day of a request default to "now" there). */
  timezone: string;
}

/** Reads model.json leniently: the layout, else a layout from its embedding dimension. */
export function servingMetaOf(json: Record<string, unknown>, fallbackTz = 'UTC'): ServingMeta {
  const layout = (json.layout ?? json.featureLayout) as FeatureLayout | undefined;
  const dim = Number(json.embeddingDim ?? json.embedding_dim ?? NaN);
  const resolved = layout && Array.isArray(layout.userCat) ? layout : Number.isFinite(dim) ? layoutFor(dim) : undefined;
  if (!resolved) throw new Error('model.json has no "layout" (nor "embeddingDim"); the version cannot be served');
  const tz = (json.timezone ?? (json.dataset as { timezone?: string } | undefined)?.timezone ?? fallbackTz) as string;
  return { layout: resolved, timezone: tz };
}

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
  ann?: AnnOptions & { minItems: number; minRecall: number };
  log: Logger;
}

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

/** A loaded version. */
export class ServingVersion {
  /** Calls running on this version now. */
  inflight = 0;
  private retired = false;
  /** Per-version scratch of the synchronous path (candidate rows, scores); grown as needed. */
  private rowScratch = new Int32Array(512);
  private scoreScratch = new Float32Array(512);
  private released = false;
  /** The index serving Retrieve (with the cache state whose rows it holds), swapped in one assignment. */
  private ann?: { index: AnnIndex; state: CacheState; userQueries: number };
  private annOpts?: LoadOptions['ann'];
  private annBuilding = false;
  /** A cache state that was rebuilt while an index build ran: indexed when that build ends. */
  private annNext?: CacheState;
  /** What the latest index build did (for status and metrics). */
  indexStatus: IndexStatus = { search: 'exact', items: 0, recall: 0, buildSeconds: 0, minItems: 0 };
  /** Exact search's pre-pass: the Retrieve calls of one event-loop turn share one pass over the catalog. */
  readonly scan: ExactScan;

  private constructor(
    readonly ref: VersionRef,
    readonly meta: ServingMeta,
    readonly runtime: OnnxModel,
    readonly items: ItemVectorCache,
    readonly users: UserFeatureCache,
    private readonly log: Logger,
  ) {
    this.scan = new ExactScan(runtime.dim);
  }

  /** The version's resource name, as Score returns it (built once, not per call). */
  get resourceName(): string {
    return (this.name ??= versionName(this.ref.model, this.ref.number));
  }
  private name?: string;

  /**
   * Loads a version: reads its artifacts (sha256 verified by the source), creates the sessions, builds the
   * item cache and warms the whole path with one real request. Throws on any failure (nothing is kept).
   */
  static async load(ref: VersionRef, o: LoadOptions): Promise<ServingVersion> {
    const names = ref.artifacts.map((a) => a.name);
    for (const need of SERVING_FILES) {
      if (!names.includes(need)) throw new Error(`version ${ref.name} has no ${need}`);
    }
    const wanted = names.filter((n) => n.endsWith('.onnx') || n === 'model.json' || n === 'item_vectors.bin');
    const files = new Map<string, Buffer>();
    await Promise.all(wanted.map(async (n) => { files.set(n, await o.versions.loadArtifact(ref, n)); }));
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(files.get('model.json')!.toString('utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`model.json of ${ref.name} is not JSON: ${(err as Error).message}`);
    }
    const meta = servingMetaOf(json, o.defaultTimezone);
    const runtime = await OnnxModel.open({
      user: files.get('user_tower.onnx')!, item: files.get('item_tower.onnx')!, head: files.get('head.onnx'),
    }, ref.arch, meta.layout);
    try {
      const features = await o.features(meta.layout, ref);
      const items = new ItemVectorCache(runtime, features);
      const universe = await o.itemUniverse(files, meta.layout);
      await items.build(universe);
      const v = new ServingVersion(ref, meta, runtime, items, o.users(meta.layout, features), o.log);
      v.annOpts = o.ann;
      // Warm with a real request: a cold-start user over the first cached items runs every step of a call
      // (and leaves a real user vector for the index's canary).
      const warmItems = items.state.ids.slice(0, 500);
      await v.score({ userId: `__warmup__/${ref.model}/${ref.number}`, itemIds: warmItems, topK: 100 }, { ...marketDefaults(), handsetMaker: undefined });
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
    const { rows, m } = this.annRows(st, uvec, want, req.exclude) ?? await this.exactRows(st, uvec, want, req.exclude) ?? this.catalogRows(st, req.exclude);
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
    const itemIds = new Array<string>(top.length);
    const vals = new Array<number>(top.length);
    for (let j = 0; j < top.length; j++) {
      itemIds[j] = st.ids[rows[top[j]]];
      vals[j] = out[top[j]];
    }
    const computeSeconds = Number(process.hrtime.bigint() - t0 - waited) / 1e9;
    return { itemIds, scores: vals, coldStartUser: !user.found, computeSeconds };
  }

  /**
   * Builds the retrieval index over `st` in a worker and swaps it in (one assignment) when its canary passes;
   * below the size threshold exact search serves. The index ranks by the towers' u . v (+ the item's bias term
   * for two-tower-mod); a late head rescores what it finds. A state rebuilt while a build runs is indexed
   * next. Never throws: a failed or refused build leaves the previous index serving and says so in `indexStatus`.
   */
  async buildIndex(st: CacheState): Promise<void> {
    const o = this.annOpts;
    if (!o || this.retired) return;
    if (this.annBuilding) {
      this.annNext = st;
      return;
    }
    if (st.count < o.minItems) {
      this.ann = undefined;
      this.indexStatus = { search: 'exact', items: st.count, recall: 0, buildSeconds: 0, minItems: o.minItems };
      return;
    }
    this.annBuilding = true;
    try {
      // Canary queries: this version's vectors of the users served most recently (the user cache is shared by
      // the versions of a layout, so a promoted version finds the users its predecessor is serving; a fresh
      // process has only the warm-up's cold-start user), then item vectors spread over the catalog for the
      // rest. Users are the harder queries (their vectors share a direction: at 100k items the same graph found
      // 0.99 for item stand-ins and 0.88 for users' own vectors, bench/retrieve.bench.ts), so they come first.
      const n = o.canaryQueries ?? 32;
      const d = this.runtime.dim;
      const queries: Float32Array[] = await Promise.all(this.users.recentRows(n).map((u) => u.vectors?.get(this) ?? this.userVectorOf(u)));
      const cold = this.users.peek(`__warmup__/${this.ref.model}/${this.ref.number}`, { ...marketDefaults(), handsetMaker: undefined })?.vectors?.get(this);
      if (cold && queries.length < n) queries.push(cold);
      const userQueries = queries.length;
      const fill = n - queries.length;
      for (let j = 0; j < fill; j++) {
        const r = Math.floor(((j + 0.5) * st.count) / fill);
        queries.push(st.vecs.slice(r * d, (r + 1) * d));
      }
      const index = await AnnIndex.build({ vecs: st.vecs, dim: d, count: st.count, bias: st.bias }, queries, o);
      if (this.retired) return;
      if (index.recall < o.minRecall) {
        // The previous index keeps serving, unless its own canary saw fewer real users than this one (built at a
        // process start, on stand-ins): the same graph over the same kind of vectors then fails these users too.
        const prev = this.ann;
        if (prev && userQueries > prev.userQueries) {
          this.ann = undefined;
          this.indexStatus = { search: 'exact', items: st.count, recall: 0, buildSeconds: 0, refusedRecall: index.recall, minItems: o.minItems };
          this.log.error({ version: this.resourceName, recall: index.recall, minRecall: o.minRecall, userQueries, previousUserQueries: prev.userQueries },
            'retrieval index refused by its recall canary on more real users than the serving index was checked on; exact search serves');
          return;
        }
        this.indexStatus = { ...this.indexStatus, refusedRecall: index.recall, error: undefined, minItems: o.minItems };
        this.log.error({ version: this.resourceName, recall: index.recall, minRecall: o.minRecall }, 'retrieval index refused by its recall canary; the previous index keeps serving');
        return;
      }
      this.ann = { index, state: st, userQueries };
      this.indexStatus = { search: 'approximate', items: index.count, recall: index.recall, buildSeconds: index.buildSeconds, minItems: o.minItems };
      this.log.info({ version: this.resourceName, items: index.count, recall: index.recall, seconds: index.buildSeconds }, 'retrieval index built');
    } catch (err) {
      this.indexStatus = { ...this.indexStatus, error: (err as Error).message, minItems: o.minItems };
      this.log.error({ err, version: this.resourceName }, 'retrieval index build failed; the previous index keeps serving');
    } finally {
      this.annBuilding = false;
      const next = this.annNext;
      this.annNext = undefined;
      if (next) void this.buildIndex(next);
    }
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

  /**
   * Candidate rows of `st` from the approximate index: the index's best K + |exclude| (so exclusions cannot
   * leave fewer than K), rows mapped by id to `st` (the index may hold an older state), exclusions dropped.
   * Undefined when no index serves or too few candidates remain: then exact search answers.
   */
  private annRows(st: CacheState, uvec: Float32Array, k: number, exclude: string[]): { rows: Int32Array; m: number } | undefined {
    const ann = this.ann;
    if (!ann) return undefined;
    const found = ann.index.search(uvec, k + exclude.length);
    const mark = this.items.nextStamp();
    const stamp = st.stamp;
    for (const id of exclude) {
      const r = st.index.row(id);
      if (r >= 0) stamp[r] = mark;
    }
    const rows = new Int32Array(found.length);
    let m = 0;
    const same = ann.state === st;
    for (let j = 0; j < found.length; j++) {
      const r = same ? found[j] : st.index.row(ann.state.ids[found[j]]);
      if (r >= 0 && stamp[r] !== mark) { stamp[r] = mark; rows[m++] = r; }
    }
    return m >= Math.min(k, st.count - exclude.length) ? { rows, m } : undefined;
  }

  /**
   * Exact search's candidate rows from the batched pre-pass (exact-scan.ts): the best k + |exclude| + EXACT_SLACK
   * rows by float32 score (u . v + bias), from one pass shared with the calls of the same event-loop turn, kept only
   * when the error bound proves no other row can reach the top k. Undefined (then every row is scored) for small
   * catalogs, a failed proof, or a failed pass (logged).
   */
  private async exactRows(st: CacheState, uvec: Float32Array, k: number, exclude: string[]): Promise<{ rows: Int32Array; m: number } | undefined> {
    const want = k + exclude.length + EXACT_SLACK;
    if (st.count < EXACT_PREPASS_MIN_ITEMS || want >= st.count) return undefined;
    let found;
    try {
      found = await this.scan.search(st, uvec, want);
    } catch (err) {
      this.log.error({ err, version: this.resourceName }, 'retrieve: the exact pre-pass failed; this call scans every row');
      return undefined;
    }
    // Exclusions are marked after the await: a per-call stamp must not span a wait (other calls mark meanwhile).
    const mark = this.items.nextStamp();
    const stamp = st.stamp;
    for (const id of exclude) {
      const r = st.index.row(id);
      if (r >= 0) stamp[r] = mark;
    }
    const dim = this.runtime.dim;
    const rows = certify(uvec, st.vecs, dim, k, found, (rs, m) => dotScores(uvec, st.vecs, dim, rs, m, new Float32Array(m), st.bias),
      exclude.length ? (r) => stamp[r] === mark : undefined);
    return rows && { rows, m: rows.length };
  }

  /** Every row of the cache state except the excluded ids' rows (marked with a per-call stamp). */
  private catalogRows(st: CacheState, exclude: string[]): { rows: Int32Array; m: number } {
    const count = st.count;
    const rows = new Int32Array(count);
    if (exclude.length === 0) {
      for (let r = 0; r < count; r++) rows[r] = r;
      return { rows, m: count };
    }
    const mark = this.items.nextStamp();
    const stamp = st.stamp;
    for (const id of exclude) {
      const r = st.index.row(id);
      if (r >= 0) stamp[r] = mark;
    }
    let m = 0;
    for (let r = 0; r < count; r++) if (stamp[r] !== mark) rows[m++] = r;
    return { rows, m };
  }

  /** Pass 2 (duplicates dropped, unknown ids listed), the model's scores (synchronous form), top-k and the outcome. */
  private rank(ids: string[], k: number, rows: Int32Array, n: number, st: CacheState, found: boolean, uvec: Float32Array,
    t0: bigint, waited: bigint): ScoreOutcome {
    const { m, unknown } = this.dedupe(ids, rows, n, st);
    let scores = this.scoreScratch;
    if (scores.length < m) scores = this.scoreScratch = new Float32Array(Math.max(m, 2 * scores.length));
    this.runtime.scoreNow(uvec, st, rows, m, scores);
    return this.outcome(scores, rows, m, unknown, st, k, found, t0, waited);
  }

  /** The late-interaction head: the model gathers the candidates' vectors and runs head.onnx over them. */
  private async rankLate(req: { itemIds: string[]; topK: number }, rows: Int32Array, n: number, st: CacheState, user: UserRow,
    uvec: Float32Array, t0: bigint, waited: bigint): Promise<ScoreOutcome> {
    const { m, unknown } = this.dedupe(req.itemIds, rows, n, st);
    // score() gathers the rows' vectors before its first await, so a rebuild during the head's run is harmless.
    const scores = await this.runtime.score(uvec, user.userCat, { vecs: st.vecs }, rows, m);
    return this.outcome(scores, rows, m, unknown, st, req.topK, user.found, t0, waited);
  }

  /** Keeps each row once in place (a per-call stamp, no Set) and lists the unknown ids; `m` rows are kept. */
  private dedupe(ids: string[], rows: Int32Array, n: number, st: CacheState): { m: number; unknown?: string[] } {
    const mark = this.items.nextStamp();
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

  /** Top-k of the scores and the response arrays (best first). */
  private outcome(scores: Float32Array, rows: Int32Array, m: number, unknown: string[] | undefined, st: CacheState, k: number,
    found: boolean, t0: bigint, waited: bigint): ScoreOutcome {
    const top = topK(scores, m, k);
    const itemIds = new Array<string>(top.length);
    const out = new Array<number>(top.length);
    for (let j = 0; j < top.length; j++) {
      itemIds[j] = st.ids[rows[top[j]]];
      out[j] = scores[top[j]];
    }
    // Model compute: everything but the wait for the feature store.
    const computeSeconds = Number(process.hrtime.bigint() - t0 - waited) / 1e9;
    return { itemIds, scores: out, unknownItemIds: unknown ?? [], coldStartUser: !found, computeSeconds };
  }
}

function marketDefaults(): { hod: number; dow: number } {
  return { hod: 0, dow: 0 };
}
