// Which loaded version serves which user of which model, and how that changes without a failed call.
//
// Per model the manager holds one immutable Routing (production, plus the rollout's arms while a rollout
// runs). A change (the registry's notification, or the periodic re-check that covers a missed one)
// reconciles the model: reads production and the active rollout, loads any version not loaded yet in the
// background (artifacts verified, item cache built, warmed with a real request), then replaces the Routing
// in one assignment. Calls that resolved a route before the swap finish on their version (it stays alive
// until its last call ends). A version that fails to load never replaces a working one: the failure is
// logged, counted, kept in status(), and retried only after a back-off.
import { versionName } from '../../core/names';
import type { Logger } from 'pino';
import { DomainError, failedPrecondition } from '../../core/errors';
import type { RolloutPlan, RolloutSource, VersionRef, VersionSource } from './sources';
import type { ServingVersion } from './serving-version';
import type { ScoringMetrics } from './scoring-metrics';

/** The serving set of one model. */
export interface Routing {
  production: ServingVersion;
  rollout?: { plan: RolloutPlan; arms: Map<string, ServingVersion>; shadow: Map<string, ServingVersion> };
}

/** The version and arm that serve one call. */
export interface Route {
  version: ServingVersion;
  arm: string;
  /** The rollout whose arm serves the call (absent when production serves without one). */
  plan?: RolloutPlan;
}

/** A failed load, as status() reports it. */
export interface LoadFailure {
  model: string;
  version: number;
  name: string;
  error: string;
  time: Date;
}

/** Dependencies of the manager. */
export interface VersionManagerDeps {
  versions: VersionSource;
  rollouts: RolloutSource;
  load(ref: VersionRef): Promise<ServingVersion>;
  log: Logger;
  metrics?: ScoringMetrics;
  /** Wait before retrying a version that failed to load (ms, default 60 s). */
  retryAfterMs?: number;
  /**
   * How long a replaced production version stays loaded as a warm standby (ms, default 10 min; 0 frees it at
   * once), so that a rollback swaps back without a load.
   */
  keepPreviousMs?: number;
}

/** The manager. */
export class VersionManager {
  private readonly routes = new Map<string, Routing>();
  private readonly loaded = new Map<string, ServingVersion>();
  private readonly loading = new Map<string, Promise<ServingVersion>>();
  private readonly failures = new Map<string, LoadFailure>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly standby = new Map<string, { version: ServingVersion; timer: NodeJS.Timeout }>();
  private timer?: NodeJS.Timeout;
  private closed = false;
  /** Item and user cache lookups of versions already retired (so totals never go down). */
  readonly retiredTotals = { item: { hits: 0, misses: 0 } };

  constructor(private readonly deps: VersionManagerDeps) {}

  /** The route of a user when the model is loaded (the hot path: no await). */
  routeNow(model: string, userId: string): Route | undefined {
    const r = this.routes.get(model);
    if (!r) return undefined;
    if (r.rollout) {
      const arm = r.rollout.plan.assign(userId);
      const v = r.rollout.arms.get(arm);
      if (v) return { version: v, arm, plan: r.rollout.plan };
    }
    return { version: r.production, arm: 'production' };
  }

  /** The route of a user, loading the model first if this process has not served it yet. */
  async route(model: string, userId: string): Promise<Route> {
    const now = this.routeNow(model, userId);
    if (now) return now;
    await this.deps.versions.checkModel(model);
    await this.reconcile(model);
    const after = this.routeNow(model, userId);
    if (after) return after;
    const prod = await this.deps.versions.production(model);
    const f = prod && this.failures.get(`${model}/${prod.number}`);
    if (f) throw new DomainError('UNAVAILABLE', `model ${model}: production version ${f.name} failed to load (${f.error}); no other version can serve it`);
    throw failedPrecondition(`model ${model} has no production version; promote one first (modelops promote ${model} <version>)`);
  }

  /** Reconciles a model after a change; concurrent requests coalesce into one more pass. */
  notify(model: string): void {
    if (this.closed) return;
    this.reconcile(model).catch((err: unknown) => this.deps.log.warn({ err, model }, 'scoring: reconcile after a change failed'));
  }

  /** The shadow versions of a model's running rollout (scored beside the served version, never returned). */
  shadowOf(model: string): { rolloutId: string; name: string; version: ServingVersion }[] {
    const r = this.routes.get(model)?.rollout;
    if (!r || r.shadow.size === 0) return NONE;
    return [...r.shadow.entries()].map(([name, version]) => ({ rolloutId: r.plan.id, name, version }));
  }

  /** The rollout plan a model is routed by now, or undefined (for counting exposures per weight configuration). */
  rolloutOf(model: string): RolloutPlan | undefined {
    return this.routes.get(model)?.rollout?.plan;
  }

  /** The models this process serves. */
  models(): string[] {
    return [...this.routes.keys()];
  }

  /** Re-checks every served model every `ms` (a safety net for a missed notification). */
  recheckEvery(ms: number): void {
    this.timer = setInterval(() => { for (const m of this.models()) this.notify(m); }, ms);
    this.timer.unref();
  }

  /**
   * Brings the model's routing in line with the registry. Serialised per model: a call while a pass runs
   * schedules exactly one more pass after it (so the last change is always applied).
   */
  reconcile(model: string): Promise<void> {
    const cur = this.running.get(model);
    if (cur) {
      this.again.add(model);
      return cur;
    }
    const run = (async () => {
      try {
        do {
          this.again.delete(model);
          await this.pass(model);
        } while (this.again.has(model) && !this.closed);
      } finally {
        this.running.delete(model);
      }
    })();
    this.running.set(model, run);
    return run;
  }

  private async pass(model: string): Promise<void> {
    const prodRef = await this.deps.versions.production(model);
    const old = this.routes.get(model);
    if (!prodRef) {
      if (old) {
        this.routes.delete(model);
        this.deps.log.warn({ model }, 'scoring: the model has no production version any more; Score answers FAILED_PRECONDITION');
        this.afterSwap(model, old, undefined);
      }
      return;
    }
    let plan: RolloutPlan | undefined;
    try {
      plan = await this.deps.rollouts.active(model);
    } catch (err) {
      // Cannot read the rollout now: keep the rollout part as it is and still follow production.
      this.deps.log.warn({ err, model }, 'scoring: cannot read the active rollout; keeping the current split');
      plan = old?.rollout?.plan;
    }
    const production = (await this.ensure(prodRef)) ?? old?.production;
    if (!production) return;

    let rollout: Routing['rollout'];
    if (plan) {
      const arms = new Map<string, ServingVersion>();
      let ok = true;
      for (const arm of plan.arms) {
        const ref = arm.version === prodRef.number ? prodRef : await this.deps.versions.version(model, arm.version).catch(() => undefined);
        const v = ref && ref.number === production.ref.number ? production : ref ? await this.ensure(ref) : undefined;
        if (!v) {
          ok = false;
          break;
        }
        arms.set(arm.name, v);
      }
      // Shadow versions are best effort: one that cannot load is left out (logged), the split still applies.
      const shadow = new Map<string, ServingVersion>();
      for (const s of ok ? plan.shadow ?? [] : []) {
        const ref = await this.deps.versions.version(model, s.version).catch(() => undefined);
        const v = ref && (ref.number === production.ref.number ? production : [...arms.values()].find((a) => a.ref.number === ref.number) ?? await this.ensure(ref));
        if (v) shadow.set(s.name, v);
      }
      // An arm that cannot load leaves the previous split (or none) in place.
      rollout = ok ? { plan, arms, shadow } : old?.rollout;
    }
    // A failure is reported while its version is still wanted (production, an arm or a shadow); once the
    // registry has moved on (say, a rollback after a bad promotion) it is history, kept in the log only.
    const wanted = new Set<number>([prodRef.number, ...(plan?.arms ?? []).map((a) => a.version), ...(plan?.shadow ?? []).map((x) => x.version)]);
    for (const [key, f] of this.failures) if (f.model === model && !wanted.has(f.version)) this.failures.delete(key);
    const next: Routing = { production, rollout };
    if (old && sameRouting(old, next)) {
      // The plan object may be new with the same arms: keep the new one (its assignment is current).
      this.routes.set(model, next);
      return;
    }
    this.routes.set(model, next);
    this.deps.log.info({ model, production: production.resourceName, arms: rollout ? [...rollout.arms.keys()] : [] }, 'scoring: serving set swapped');
    if (old) this.deps.metrics?.swaps.inc({ model });
    this.afterSwap(model, old, next);
  }

  /** The loaded version for a ref, loading it if needed; undefined when it fails (recorded). */
  private async ensure(ref: VersionRef): Promise<ServingVersion | undefined> {
    const key = `${ref.model}/${ref.number}`;
    const have = this.loaded.get(key);
    if (have) return have;
    const failed = this.failures.get(key);
    if (failed && Date.now() - failed.time.getTime() < (this.deps.retryAfterMs ?? 60_000)) return undefined;
    let p = this.loading.get(key);
    if (!p) {
      p = this.deps.load(ref);
      this.loading.set(key, p);
    }
    try {
      const v = await p;
      this.failures.delete(key);
      this.loaded.set(key, v);
      this.deps.metrics?.loaded.set({ model: ref.model }, this.countLoaded(ref.model));
      return v;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.failures.set(key, { model: ref.model, version: ref.number, name: ref.name, error, time: new Date() });
      this.deps.metrics?.loadFailures.inc({ model: ref.model, version: versionName(ref.model, ref.number) });
      this.deps.log.error({ err, model: ref.model, version: ref.number, name: ref.name },
        'scoring: version failed to load; it does not replace the version serving now');
      return undefined;
    } finally {
      this.loading.delete(key);
    }
  }

  private countLoaded(model: string): number {
    return [...this.loaded.keys()].filter((k) => k.startsWith(`${model}/`)).length;
  }

  /** Retires versions no routing uses any more (keeping the replaced production warm) and updates the gauges. */
  private afterSwap(model: string, old: Routing | undefined, next: Routing | undefined): void {
    const inUse = new Set<ServingVersion>();
    for (const r of this.routes.values()) for (const v of versionsOf(r)) inUse.add(v);
    for (const [m, s] of this.standby) {
      if (inUse.has(s.version)) {
        clearTimeout(s.timer);
        this.standby.delete(m);
      }
    }
    const keepMs = this.deps.keepPreviousMs ?? 600_000;
    for (const [key, v] of this.loaded) {
      if (inUse.has(v) || this.loading.has(key) || [...this.standby.values()].some((s) => s.version === v)) continue;
      if (keepMs > 0 && old && v === old.production) {
        const prev = this.standby.get(model);
        if (prev) {
          clearTimeout(prev.timer);
          this.standby.delete(model);
          this.free(prev.version);
        }
        const timer = setTimeout(() => {
          if (this.standby.get(model)?.version === v) {
            this.standby.delete(model);
            this.free(v);
            this.deps.metrics?.loaded.set({ model }, this.countLoaded(model));
          }
        }, keepMs);
        timer.unref();
        this.standby.set(model, { version: v, timer });
        continue;
      }
      this.free(v);
    }
    const m = this.deps.metrics;
    if (!m) return;
    if (old) for (const [role, v] of rolesOf(old)) m.serving.remove({ model, version: v.resourceName, name: v.ref.name, role });
    if (next) for (const [role, v] of rolesOf(next)) m.serving.set({ model, version: v.resourceName, name: v.ref.name, role }, 1);
    m.loaded.set({ model }, this.countLoaded(model));
  }

  /** Unloads a version (after its last call) and keeps its cache counts in the totals. */
  private free(v: ServingVersion): void {
    const key = `${v.ref.model}/${v.ref.number}`;
    if (this.loaded.get(key) === v) this.loaded.delete(key);
    this.retiredTotals.item.hits += v.items.hits;
    this.retiredTotals.item.misses += v.items.misses;
    v.retire();
  }

  /** Every loaded version (for cache totals). */
  loadedVersions(): ServingVersion[] {
    return [...this.loaded.values()];
  }

  /** What serves each model now and which loads failed (for health details and the status RPC). */
  status(): { models: { model: string; production: string; productionName: string; arms: { arm: string; version: string; name: string; weight: number }[];
    shadow: { arm: string; version: string; name: string }[] }[]; failures: LoadFailure[]; } {
    const models = [...this.routes.entries()].map(([model, r]) => ({
      model, production: r.production.resourceName, productionName: r.production.ref.name,
      arms: r.rollout ? r.rollout.plan.arms.map((a) => {
        const v = r.rollout!.arms.get(a.name)!;
        return { arm: a.name, version: v.resourceName, name: v.ref.name, weight: a.weight };
      }) : [],
      shadow: r.rollout ? [...r.rollout.shadow.entries()].map(([arm, v]) => ({ arm, version: v.resourceName, name: v.ref.name })) : [],
    }));
    return { models, failures: [...this.failures.values()] };
  }

  /** Stops re-checks and frees every loaded version (after their calls end). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const s of this.standby.values()) clearTimeout(s.timer);
    this.standby.clear();
    await Promise.allSettled([...this.running.values()]);
    for (const v of this.loaded.values()) v.retire();
    this.loaded.clear();
    this.routes.clear();
  }
}

const NONE: never[] = [];

function versionsOf(r: Routing): ServingVersion[] {
  return [r.production, ...(r.rollout ? [...r.rollout.arms.values(), ...r.rollout.shadow.values()] : [])];
}

function rolesOf(r: Routing): [string, ServingVersion][] {
  return [['production', r.production], ...(r.rollout ? [...r.rollout.arms.entries()] : [])];
}

function sameRouting(a: Routing, b: Routing): boolean {
  if (a.production !== b.production) return false;
  if (!a.rollout !== !b.rollout) return false;
  if (!a.rollout || !b.rollout) return true;
  const pa = a.rollout.plan, pb = b.rollout.plan;
  if (pa.id !== pb.id || pa.arms.length !== pb.arms.length) return false;
  const sa = [...a.rollout.shadow.entries()], sb = [...b.rollout.shadow.entries()];
  if (sa.length !== sb.length || sa.some(([n, v], i) => sb[i][0] !== n || sb[i][1] !== v)) return false;
  return pa.arms.every((x, i) => x.name === pb.arms[i].name && x.weight === pb.arms[i].weight && a.rollout!.arms.get(x.name) === b.rollout!.arms.get(x.name));
}
