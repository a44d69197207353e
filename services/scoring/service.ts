// The scoring service layer: validates a Score request, routes it to the version (and arm) that serves
// the user, ranks the candidates there and reports what it did. The gRPC edge (index.ts) only decodes and
// encodes; everything here is reachable from a unit test without a network.
import type { Logger } from 'pino';
import { DomainError } from '../../core/errors';
import { DEFAULT_RETRIEVE_K, marketTime, newRequestId, validateRetrieve, validateScore, type RetrieveInput, type ScoreInput } from './score-request';
import type { Route, VersionManager } from './version-manager';
import type { ScoreOutcome } from './serving-version';
import type { ScoringMetrics } from './scoring-metrics';
import { explore, explores } from './exploration';

/** The service's answer to one Score call (the wire message's fields, in domain form). */
export interface ScoreResult {
  itemIds: string[];
  scores: number[];
  modelVersion: string;
  versionName: string;
  arm: string;
  unknownItemIds: string[];
  coldStartUser: boolean;
  requestId: string;
  /** The candidates the exploration slot moved to random positions of itemIds (empty: the user does not explore today). */
  exploredItemIds: string[];
}

/** The service's answer to one Retrieve call (ScoreResult's fields but unknown items and exploration: nothing is asked for by id). */
export type RetrieveResult = Omit<ScoreResult, 'unknownItemIds' | 'exploredItemIds'>;

/** Hooks the rollout work adds (shadow scoring, logs); called after the response is computed, never awaited. */
export interface ScoreObserver {
  /** `rolloutId` names the rollout whose arm served the call (absent when production served without one). */
  (call: { input: ScoreInput; result: ScoreResult; hod: number; dow: number; rolloutId?: string }): void;
}

/** The UTC day of `now`, yyyy-mm-dd: the unit exploration is decided for. */
export function utcDay(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The exploration of a call when its user explores today under the route's rollout, else undefined. */
function explorationOf(route: Route, userId: string): { salt: string; share: number; day: string } | undefined {
  const x = route.plan?.explore;
  if (!x) return undefined;
  const day = utcDay();
  return explores(x.salt, userId, day, x.share) ? { ...x, day } : undefined;
}

/** The service. */
export class ScoringService {
  private readonly observers: ScoreObserver[] = [];
  /** Score calls running now (a load signal for best-effort work such as shadow scoring). */
  inflight = 0;

  constructor(private readonly manager: VersionManager, private readonly log: Logger, private readonly metrics?: ScoringMetrics) {}

  /** Registers an observer of served calls (for example a shadow scorer); it must not throw or block. */
  observe(o: ScoreObserver): void {
    this.observers.push(o);
  }

  /** Ranks `input.itemIds` for `input.userId`; `deadline` is the call's deadline in epoch ms. */
  async score(input: ScoreInput, deadline = Infinity): Promise<ScoreResult> {
    const start = process.hrtime.bigint();
    this.inflight++;
    try {
      return await this.scoreInner(input, deadline, start);
    } finally {
      this.inflight--;
    }
  }

  /**
   * The call answered synchronously when its model is loaded and everything it needs is cached (the served
   * path after warm-up), else undefined: then `score` does it. Throws the same validation errors as `score`.
   * The gRPC handler tries this first: no promise, no await between decode and encode.
   */
  scoreNow(input: ScoreInput): ScoreResult | undefined {
    const start = process.hrtime.bigint();
    validateScore(input);
    const route = this.manager.routeNow(input.model, input.userId);
    if (!route) return undefined;
    const v = route.version;
    const now = input.hod === undefined || input.dow === undefined ? marketTime(v.meta.timezone) : undefined;
    const hod = input.hod ?? now!.hod;
    const dow = input.dow ?? now!.dow;
    const x = explorationOf(route, input.userId);
    this.inflight++;
    v.acquire();
    try {
      // An exploring call ranks every candidate: a moved one keeps its score from the full scored set.
      const out = v.scoreNow({ userId: input.userId, itemIds: input.itemIds, topK: x ? 0 : input.topK }, { hod, dow, handsetMaker: input.handsetMaker || undefined });
      return out && this.served(input, route, out, hod, dow, start, x);
    } finally {
      v.release();
      this.inflight--;
    }
  }

  /** The best `input.topK` items of the whole catalog for `input.userId`; `deadline` is the call's deadline in epoch ms. */
  async retrieve(input: RetrieveInput, deadline = Infinity): Promise<RetrieveResult> {
    validateRetrieve(input);
    const start = process.hrtime.bigint();
    const route = this.manager.routeNow(input.model, input.userId) ?? await withDeadline(this.manager.route(input.model, input.userId), deadline,
      `loading model ${input.model} took longer than the call's deadline; retry (the load continues in the background)`);
    const v = route.version;
    this.inflight++;
    v.acquire();
    try {
      const now = input.hod === undefined || input.dow === undefined ? marketTime(v.meta.timezone) : undefined;
      const hod = input.hod ?? now!.hod;
      const dow = input.dow ?? now!.dow;
      const out = await v.retrieve({ userId: input.userId, topK: input.topK || DEFAULT_RETRIEVE_K, exclude: input.excludeItemIds, deadline },
        { hod, dow, handsetMaker: input.handsetMaker || undefined });
      this.metrics?.observeRetrieve(input.model, v.resourceName, route.arm, Number(process.hrtime.bigint() - start) / 1e9);
      return {
        itemIds: out.itemIds, scores: out.scores, modelVersion: v.resourceName, versionName: v.ref.name, arm: route.arm,
        coldStartUser: out.coldStartUser, requestId: input.requestId || newRequestId(),
      };
    } finally {
      v.release();
      this.inflight--;
    }
  }

  private async scoreInner(input: ScoreInput, deadline: number, start: bigint): Promise<ScoreResult> {
    validateScore(input);
    const route = this.manager.routeNow(input.model, input.userId) ?? await withDeadline(this.manager.route(input.model, input.userId), deadline,
      `loading model ${input.model} took longer than the call's deadline; retry (the load continues in the background)`);
    const v = route.version;
    v.acquire();
    try {
      const tz = v.meta.timezone;
      const now = input.hod === undefined || input.dow === undefined ? marketTime(tz) : undefined;
      const hod = input.hod ?? now!.hod;
      const dow = input.dow ?? now!.dow;
      const x = explorationOf(route, input.userId);
      const out = await v.score({ userId: input.userId, itemIds: input.itemIds, topK: x ? 0 : input.topK, deadline },
        { hod, dow, handsetMaker: input.handsetMaker || undefined });
      return this.served(input, route, out, hod, dow, start, x);
    } finally {
      v.release();
    }
  }

  /** The result of a computed call, its metrics and its observers. */
  private served(input: ScoreInput, route: Route, out: ScoreOutcome, hod: number, dow: number, start: bigint,
    x?: { salt: string; share: number; day: string }): ScoreResult {
    const v = route.version;
    let ranked = { itemIds: out.itemIds, scores: out.scores, explored: [] as string[] };
    if (x) {
      // `out` ranks every known candidate; the response is its top k with the explored candidates moved in.
      const k = input.topK > 0 ? Math.min(input.topK, out.itemIds.length) : out.itemIds.length;
      const scoreOf = new Map(out.itemIds.map((id, i) => [id, out.scores[i]]));
      ranked = explore({ itemIds: out.itemIds.slice(0, k), scores: out.scores.slice(0, k) }, out.itemIds, k, (id) => scoreOf.get(id)!,
        x.salt, input.userId, x.day, x.share);
      this.metrics?.observeExplored(input.model, route.arm, ranked.explored.length);
    }
    const result: ScoreResult = {
      itemIds: ranked.itemIds, scores: ranked.scores, modelVersion: v.resourceName, versionName: v.ref.name, arm: route.arm,
      unknownItemIds: out.unknownItemIds, coldStartUser: out.coldStartUser, requestId: input.requestId || newRequestId(),
      exploredItemIds: ranked.explored,
    };
    this.metrics?.observe(input.model, v.resourceName, route.arm, Number(process.hrtime.bigint() - start) / 1e9, out.computeSeconds);
    for (const o of this.observers) {
      try {
        o({ input, result, hod, dow, rolloutId: route.plan?.id });
      } catch (err) {
        this.log.warn({ err }, 'scoring: a score observer failed');
      }
    }
    return result;
  }
}

/** Rejects with DEADLINE_EXCEEDED when `deadline` (epoch ms) passes first. */
function withDeadline<T>(p: Promise<T>, deadline: number, message: string): Promise<T> {
  if (!Number.isFinite(deadline)) return p;
  const left = deadline - Date.now();
  if (left <= 0) return Promise.reject(new DomainError('DEADLINE_EXCEEDED', message));
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new DomainError('DEADLINE_EXCEEDED', message)), left);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
  });
}
