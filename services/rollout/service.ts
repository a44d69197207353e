// The rollout service layer: validation and policy behind the RPCs (the handlers in index.ts only decode
// and encode). Outcomes are joined to arms (outcome-join.ts), stored, and the guardrails of the touched
// active rollouts are evaluated right away; a breach stops the rollout with an audit entry naming the numbers.
import type { Logger } from 'pino';
import { failedPrecondition, invalid } from '../../core/errors';
import type { Arm } from '../../ml/rollout/assignment';
import { difference, evaluateGuardrails, ratioEstimate, readout, type Breach, type Difference, type Guardrail, type Readout } from '../../ml/rollout/readout';
import { srmChecks, srmMessage, type SrmCheck } from '../../ml/rollout/srm';
import { cuped, cupedDifference, type CupedArm, type CupedDifference } from '../../ml/rollout/cuped';
import { checkSteps, decideStep, DEFAULT_STEP_MIN_VIEWS, type Progression } from '../../ml/rollout/progression';
import { RolloutStore, type Rollout } from '../../registry/rollout-store';
import { PgRolloutLog, type RolloutLog } from '../../registry/rollout-log';
import { RolloutStatistics } from '../../registry/rollout-statistics';
import { PgShadowStatsStore, type ShadowStatsStore, type ShadowStatsTotal } from '../../registry/shadow-stats-store';
import type { Database } from '../../registry/data-source';
import type { ModelLock } from '../../registry/alias-store';
import type { ModelStore } from '../../registry/model-store';
import { RolloutChanges } from './rollout-changes';
import type { EventLogStore } from '../../registry/event-log';
import { joinOutcomes, type ResolvedOutcome } from './outcome-join';

/** The default least time between two guardrail evaluations of one rollout (MODELOPS_GUARDRAIL_INTERVAL_MS). */
export const DEFAULT_GUARD_INTERVAL_MS = 2_000;

/** The most outcomes one RecordOutcomes batch may carry. */
export const MAX_OUTCOMES_PER_BATCH = 10_000;

/** An outcome as the API receives it (user id or request id; time optional). */
export type OutcomeInput = Omit<ResolvedOutcome, 'time'> & { time?: Date };

/** What RecordOutcomes reports. */
export interface RecordResult {
  /** Views joined to an arm and stored. */
  accepted: number;
  /** Views stored before (same rollout, user, item and time), not counted twice. */
  duplicates: number;
  /** Views whose time falls outside every rollout of the model (not stored). */
  outsideRollout: number;
  /** Views with only a request id that no served record explains (not stored, never misattributed). */
  unmatched: number;
  /** The rollout after the batch (stopped when a guardrail stopped it); undefined when none ran. */
  rollout?: Rollout;
  /** Guardrail breaches this batch found (a breach stops the rollout). */
  breaches: Breach[];
}

/** The default days before a rollout's start whose watch time is the CUPED covariate. */
export const DEFAULT_CUPED_LOOKBACK_DAYS = 14;

/** The watch-time effect of a treatment on one day since exposure. */
export interface DayEffect {
  arm: string;
  day: number;
  treatmentUsers: number;
  controlUsers: number;
  difference: Difference;
}

/** A rollout report: the rollout, its readout, current breaches and shadow statistics. */
export interface RolloutReport {
  /** Every sample-ratio check (period, day, handset maker; exposed users and users with outcomes). */
  srm: SrmCheck[];
  /** Whether a whole-period check is flagged (the readout is not to be trusted; ramps need force). */
  srmFlagged: boolean;
  /** Watch time per arm, raw and CUPED-adjusted, in readout arm order, with users that had a covariate. */
  cuped: { arm: string; estimate: CupedArm; usersWithCovariate: number }[];
  /** Per treatment, the raw and adjusted watch-time difference and the variance reduction. */
  cupedDifferences: { arm: string; difference: CupedDifference }[];
  /** Per treatment and day since exposure, the watch-time difference. */
  byExposureDay: DayEffect[];
  /** The rollout read out. */
  rollout: Rollout;
  /** Per-arm metrics with intervals and the treatment-minus-control differences. */
  readout: Readout;
  /** The guardrails that trip on this readout now. */
  breaches: Breach[];
  /** Shadow statistics summed per shadow version. */
  shadow: ShadowStatsTotal[];
}

/** What the rollout service reads and writes: the rollouts, their log and statistics, and the changes. */
export interface RolloutServiceStores {
  rollouts: Pick<RolloutStore, 'active' | 'get' | 'list' | 'checkModel' | 'overlapping' | 'ramping' | 'updateProgression'>;
  log: Pick<RolloutLog, 'served' | 'insertOutcomes'>;
  statistics: RolloutStatistics;
  shadow: Pick<ShadowStatsStore, 'shadowStats'>;
  changes: RolloutChanges;
}

/**
 * The rollout stores on one database: `shared` (the composition root's, else new ones over `db`), the statistics,
 * and the changes under `registry`'s model lock (which also gives NOT_FOUND for an unknown model).
 */
export function rolloutStores(db: Database, registry: ModelLock & Pick<ModelStore, 'getModel'>,
  shared: { rollouts: RolloutStore; rolloutLog: RolloutLog; shadowStats: PgShadowStatsStore } =
  { rollouts: new RolloutStore(db, registry), rolloutLog: new PgRolloutLog(db), shadowStats: new PgShadowStatsStore(db) }) {
  return { rollouts: shared.rollouts, log: shared.rolloutLog, statistics: new RolloutStatistics(db), shadow: shared.shadowStats,
    changes: new RolloutChanges(registry, shared.rollouts) };
}

/** Rollout policy over the stores. */
export class RolloutService {
  private readonly pending = new Map<string, Promise<Breach[]>>();
  private readonly running = new Map<string, Promise<Breach[]>>();
  private readonly lastEval = new Map<string, number>();
  private readonly lastTick = new Map<string, number>();
  private readonly trailing = new Map<string, NodeJS.Timeout>();
  private readonly guardIntervalMs: number;
  private readonly cupedLookbackDays: number;
  /** The event log the CUPED covariate is read from (none: no user has a covariate). */
  private readonly events?: EventLogStore;

  /**
   * `guardIntervalMs`: the least time between two guardrail evaluations of one rollout (the readout reads
   * every outcome so far, so evaluating on every batch would grow without bound). A batch inside the interval
   * schedules one trailing evaluation at its end, so the last outcomes are always evaluated. 0 evaluates on
   * every batch (and reports breaches in that batch's response).
   */
  constructor(private readonly stores: RolloutServiceStores, private readonly log: Logger,
    opts: { guardIntervalMs?: number; cupedLookbackDays?: number; events?: EventLogStore } = {}) {
    this.events = opts.events;
    this.guardIntervalMs = opts.guardIntervalMs ?? DEFAULT_GUARD_INTERVAL_MS;
    this.cupedLookbackDays = opts.cupedLookbackDays ?? DEFAULT_CUPED_LOOKBACK_DAYS;
  }

  /** Cancels scheduled guardrail evaluations (running ones finish). */
  close(): void {
    for (const t of this.trailing.values()) clearTimeout(t);
    this.trailing.clear();
  }

  /**
   * Starts a rollout (see RolloutChanges.start). With `steps`, a progressive ramp: exactly one treatment, which
   * starts at the first step's weight and is moved on by `tick`.
   */
  start(input: { model: string; arms: Arm[]; shadow: string[]; guardrails: Guardrail[]; salt?: string; actor: string; reason: string;
    steps?: number[]; stepIntervalMs?: number; stepMinViews?: number; exploreShare?: number }): Promise<Rollout> {
    if (!input.model) throw invalid('model: required, for example feed-ranker-hi');
    let progression: Progression | undefined;
    if (input.steps && input.steps.length) {
      const steps = checkSteps(input.steps);
      if (!(input.stepIntervalMs && input.stepIntervalMs > 0)) throw invalid('step_interval: required with steps, for example --step-interval 1h');
      const minViews = input.stepMinViews || DEFAULT_STEP_MIN_VIEWS;
      if (!Number.isInteger(minViews) || minViews < 1) throw invalid(`step_min_views: ${minViews} must be a whole number >= 1`);
      // The treatment (the one arm besides production) and its first weight are set by RolloutChanges, which knows production.
      progression = { treatment: '', steps, intervalMs: input.stepIntervalMs, minViews, step: 0, stepStart: new Date().toISOString(),
        state: steps.length === 1 ? 'holding' : 'ramping', note: '' };
    }
    return this.stores.changes.start({ ...input, progression });
  }

  /**
   * Ramps the active rollout. Refused (FAILED_PRECONDITION) while a whole-period sample-ratio check is
   * flagged, unless `force`; a forced ramp is audited with the checks it overrode.
   */
  async ramp(model: string, arms: Arm[], actor: string, reason: string, force = false): Promise<{ rollout: Rollout; movedArms: string[] }> {
    if (!model) throw invalid('model: required, for example feed-ranker-hi');
    const active = await this.stores.rollouts.active(model);
    const flagged = active ? (await this.srmOf(active)).filter((c) => c.flagged && c.scope === 'period').map(srmMessage) : [];
    if (flagged.length && !force) {
      throw failedPrecondition(`rollout ${active!.id} has a sample-ratio mismatch, so its readout cannot be trusted: ${flagged.join('; ')}; ` +
        'find the broken client (the check per day and handset maker is in `modelops rollout report`), or ramp anyway with --force');
    }
    const out = await this.stores.changes.ramp(model, arms, actor, reason, flagged.length ? { detail: { forcedPastSrm: flagged } } : {});
    return out!;
  }

  /** The sample-ratio checks of a rollout. */
  private async srmOf(r: Rollout): Promise<SrmCheck[]> {
    return srmChecks(await this.stores.statistics.srmGroups(r));
  }

  /**
   * One pass of the progressive ramps: for each ramping rollout, gathers the guardrail breaches, flagged
   * sample-ratio checks and views on the step, and advances, holds, waits or stops (stops and steps are audited
   * with their numbers). Returns what it did, for logs and tests.
   */
  async tick(now = Date.now()): Promise<{ rollout: string; action: string; note: string }[]> {
    const out: { rollout: string; action: string; note: string }[] = [];
    for (const r of await this.stores.rollouts.ramping()) {
      const p = r.progression!;
      // The readout reads every outcome so far: inside a step, check no more often than the guardrail does
      // (RecordOutcomes evaluates the guardrails anyway); once the step is due, check on every pass.
      const due = now - Date.parse(p.stepStart) >= p.intervalMs;
      if (!due && now - (this.lastTick.get(r.id) ?? 0) < Math.max(this.guardIntervalMs, 1000)) continue;
      this.lastTick.set(r.id, now);
      try {
        const { readout: ro } = await this.readoutOf(r);
        const breaches = evaluateGuardrails(ro, r.guardrails);
        const srm = (await this.srmOf(r)).filter((c) => c.flagged && c.scope === 'period');
        const viewsOnStep = await this.stores.statistics.viewsSince(r.id, new Date(p.stepStart));
        const d = decideStep(p, { now, breaches: breaches.map((b) => b.message), srm: srm.map(srmMessage), viewsOnStep, arms: r.arms.map((a) => a.version) });
        if (d.action === 'advance') {
          const done = await this.stores.changes.ramp(r.model, [{ version: p.treatment, weight: d.weight }], 'progressive-ramp', d.note,
            { step: { rolloutId: r.id, from: p.step }, detail: { viewsOnStep } });
          if (!done) continue;
        } else if (d.action === 'hold') {
          if (!(await this.stores.rollouts.updateProgression(r.id, p.step, { state: 'holding', note: d.note }))) continue;
        } else if (d.action === 'stop') {
          if (!(await this.stores.rollouts.updateProgression(r.id, p.step, { state: 'stopped', note: d.note }))) continue;
          await this.stores.changes.stop(r.model, 'progressive-ramp', d.note, { kind: 'guardrail-stop', onlyRollout: r.id,
            detail: { step: p.steps[p.step], viewsOnStep, srm: srm.map((c) => ({ source: c.source, period: c.period, observed: c.observed, expected: c.expected, chi2: c.chi2, pValue: c.pValue })),
              breaches: breaches.map((b) => ({ arm: b.arm, guardrail: b.guardrail, views: b.views, control: b.control, treatment: b.treatment,
                relativePct: b.relativePct, ci95: b.ci95, alwaysValid: b.alwaysValid })) } });
          this.log.warn({ model: r.model, rollout: r.id, reason: d.note }, 'progressive ramp stopped the rollout');
        } else if (d.note !== p.note) {
          await this.stores.rollouts.updateProgression(r.id, p.step, { state: 'ramping', note: d.note });
        }
        out.push({ rollout: r.id, action: d.action, note: d.note });
      } catch (err) {
        this.log.error({ err, rollout: r.id }, 'rollout: progressive ramp check failed');
      }
    }
    return out;
  }

  /** Stops the active rollout. */
  async stop(model: string, actor: string, reason: string): Promise<Rollout> {
    if (!model) throw invalid('model: required, for example feed-ranker-hi');
    return (await this.stores.changes.stop(model, actor, reason))!;
  }

  /** A rollout by id, else the active one, else the newest. */
  get(model: string, id?: string): Promise<Rollout> {
    if (!model) throw invalid('model: required, for example feed-ranker-hi');
    return this.stores.rollouts.get(model, id || undefined);
  }

  /** A page of rollouts. */
  list(model: string, opts: { after?: [string, string]; limit: number }): Promise<Rollout[]> {
    if (!model) throw invalid('model: required, for example feed-ranker-hi');
    return this.stores.rollouts.list(model, opts);
  }

  /** Records a batch of outcomes; see RecordOutcomesRequest. */
  async recordOutcomes(model: string, outcomes: OutcomeInput[]): Promise<RecordResult> {
    if (!model) throw invalid('model: required, for example feed-ranker-hi');
    if (outcomes.length > MAX_OUTCOMES_PER_BATCH) throw invalid(`outcomes: ${outcomes.length} given, at most ${MAX_OUTCOMES_PER_BATCH} per batch allowed; split the batch`);
    const now = new Date();
    outcomes.forEach((o, i) => {
      if (!o.itemId) throw invalid(`outcomes[${i}].item_id: required`);
      if (!o.userId && !o.requestId) throw invalid(`outcomes[${i}]: give user_id (or request_id of a served Score request)`);
      if (!Number.isFinite(o.timespentS) || o.timespentS < 0) throw invalid(`outcomes[${i}].timespent_s: ${o.timespentS} must be a number >= 0`);
      if (!Number.isFinite(o.videoLengthS) || o.videoLengthS < 0) throw invalid(`outcomes[${i}].video_length_s: ${o.videoLengthS} must be a number >= 0 (0 = unknown)`);
      if (o.time && Number.isNaN(o.time.getTime())) throw invalid(`outcomes[${i}].time: not a valid time`);
    });
    const byRequest = await this.stores.log.served(model, [...new Set(outcomes.filter((o) => !o.userId).map((o) => o.requestId))]);
    let unmatched = 0;
    const resolved: ResolvedOutcome[] = [];
    for (const o of outcomes) {
      const userId = o.userId || byRequest.get(o.requestId)?.userId;
      if (!userId) {
        unmatched++;
        continue;
      }
      resolved.push({ requestId: o.requestId, userId, itemId: o.itemId, timespentS: o.timespentS, videoLengthS: o.videoLengthS,
        liked: o.liked, shared: o.shared, time: o.time ?? now, handsetMaker: o.handsetMaker ?? '' });
    }
    const result: RecordResult = { accepted: 0, duplicates: 0, outsideRollout: 0, unmatched, breaches: [] };
    if (resolved.length > 0) {
      const times = resolved.map((o) => o.time.getTime());
      const rollouts = await this.stores.rollouts.overlapping(model, new Date(Math.min(...times)), new Date(Math.max(...times)));
      if (rollouts.length === 0) await this.stores.rollouts.checkModel(model);
      const { joined, outside } = joinOutcomes(rollouts, resolved);
      const ins = await this.stores.log.insertOutcomes(joined);
      result.accepted = ins.inserted;
      result.duplicates = ins.duplicates;
      result.outsideRollout = outside;
      const touched = new Set(joined.map((j) => j.rolloutId));
      for (const r of rollouts) {
        if (r.state === 'active' && touched.has(r.id) && r.guardrails.length > 0) result.breaches.push(...(await this.maybeGuard(r)));
      }
    }
    const active = await this.stores.rollouts.active(model);
    result.rollout = active ?? (result.breaches.length ? await this.stores.rollouts.get(model) : undefined);
    return result;
  }

  /** Evaluates now when the interval since the last evaluation has passed, else schedules one trailing evaluation. */
  private async maybeGuard(r: Rollout): Promise<Breach[]> {
    const since = Date.now() - (this.lastEval.get(r.id) ?? 0);
    if (since >= this.guardIntervalMs) return this.guard(r);
    if (!this.trailing.has(r.id)) {
      const t = setTimeout(() => {
        this.trailing.delete(r.id);
        this.guard(r).catch((err: unknown) => this.log.error({ err, rollout: r.id }, 'rollout: guardrail evaluation failed'));
      }, this.guardIntervalMs - since);
      t.unref();
      this.trailing.set(r.id, t);
    }
    return [];
  }

  /**
   * Evaluates a rollout's guardrails, coalescing concurrent requests: while one evaluation runs, later
   * batches share the single next one (the numbers it reads include theirs).
   */
  private guard(r: Rollout): Promise<Breach[]> {
    const queued = this.pending.get(r.id);
    if (queued) return queued;
    const prev = this.running.get(r.id) ?? Promise.resolve([]);
    const next = prev.catch(() => []).then(() => {
      this.pending.delete(r.id);
      const run = this.evaluateAndStop(r);
      this.running.set(r.id, run);
      return run.finally(() => { if (this.running.get(r.id) === run) this.running.delete(r.id); });
    });
    this.pending.set(r.id, next);
    return next;
  }

  private async evaluateAndStop(r: Rollout): Promise<Breach[]> {
    try {
      return await this.evaluateOnce(r);
    } finally {
      this.lastEval.set(r.id, Date.now());
    }
  }

  private async evaluateOnce(r: Rollout): Promise<Breach[]> {
    const { readout: ro } = await this.readoutOf(r);
    const breaches = evaluateGuardrails(ro, r.guardrails);
    if (breaches.length === 0) return [];
    const reason = breaches.map((b) => b.message).join('; ');
    const stopped = await this.stores.changes.stop(r.model, 'guardrail', reason, {
      kind: 'guardrail-stop', onlyRollout: r.id,
      detail: { breaches: breaches.map((b) => ({ arm: b.arm, guardrail: b.guardrail, views: b.views, control: b.control,
        treatment: b.treatment, relativePct: b.relativePct, ci95: b.ci95, alwaysValid: b.alwaysValid })) },
    });
    if (stopped) this.log.warn({ model: r.model, rollout: r.id, reason }, 'guardrail stopped the rollout');
    return stopped ? breaches : [];
  }

  private async readoutOf(r: Rollout): Promise<{ readout: Readout }> {
    const ref = await this.stores.statistics.wtgReference(r.id);
    const sums = await this.stores.statistics.armSums(r.id, ref);
    // Every arm that ever served appears, also with no outcomes yet.
    const order: string[] = [];
    for (const c of r.history) for (const a of c.arms) if (!order.includes(a.version)) order.push(a.version);
    return { readout: readout(sums, r.control, order) };
  }

  /** The report of a rollout (the active one, else the newest, unless an id is given). */
  async report(model: string, id?: string): Promise<RolloutReport> {
    const rollout = await this.get(model, id);
    const { readout: ro } = await this.readoutOf(rollout);
    const srm = await this.srmOf(rollout);
    // Flagged checks first: they are what a reader must see before any effect.
    srm.sort((a, b) => Number(b.flagged) - Number(a.flagged) || a.pValue - b.pValue);
    const armOrder = ro.arms.map((a) => a.arm);
    const to = rollout.startTime.getTime();
    // The covariate: each user's mean watch time per view over the lookback before the start, from the event log.
    const covariate = this.events
      ? await this.events.watchMeans(await this.stores.statistics.outcomeUsers(rollout.id), to - this.cupedLookbackDays * 86_400_000, to)
      : new Map<string, number>();
    const cs = await this.stores.statistics.cupedSums(rollout, covariate);
    const byArm = new Map(cs.map((c) => [c.arm, c]));
    const empty = { g: 0, n: 0, y: 0, yy: 0, yn: 0, nn: 0, x: 0, xx: 0, xy: 0, xn: 0 };
    const cu = cuped(armOrder.map((a) => byArm.get(a)?.sums ?? empty));
    const cupedArms = armOrder.map((arm, i) => ({ arm, estimate: cu.arms[i], usersWithCovariate: byArm.get(arm)?.usersWithCovariate ?? 0 }));
    const cupedDifferences = armOrder.slice(1).map((arm, i) => ({ arm, difference: cupedDifference(cu.arms[i + 1], cu.arms[0], cu.theta) }));
    const days = await this.stores.statistics.watchByExposureDay(rollout.id);
    const byExposureDay: DayEffect[] = [];
    for (const day of [...new Set(days.map((d) => d.day))].sort((a, b) => a - b)) {
      const c = days.find((d) => d.day === day && d.arm === ro.control);
      if (!c) continue;
      for (const t of days.filter((d) => d.day === day && d.arm !== ro.control)) {
        byExposureDay.push({ arm: t.arm, day, treatmentUsers: t.sums.g, controlUsers: c.sums.g,
          difference: difference(ratioEstimate(t.sums), ratioEstimate(c.sums)) });
      }
    }
    return { rollout, readout: ro, breaches: evaluateGuardrails(ro, rollout.guardrails), shadow: await this.stores.shadow.shadowStats(rollout.id),
      srm, srmFlagged: srm.some((c) => c.flagged && c.scope === 'period'), cuped: cupedArms, cupedDifferences, byExposureDay };
  }
}
