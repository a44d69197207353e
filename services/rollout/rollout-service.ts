// The rollout service layer: validation and policy behind the RPCs (the handlers in index.ts only decode
// and encode). Outcomes are joined to arms (outcome-join.ts), stored, and the guardrails of the touched
// active rollouts are evaluated right away; a breach stops the rollout with an audit entry naming the numbers.
import type { Logger } from 'pino';
import { invalid } from '../../core/errors';
import type { Arm } from '../../ml/rollout/assignment';
import { evaluateGuardrails, readout, type Breach, type Guardrail, type Readout } from '../../ml/rollout/readout';
import type { Rollout, RolloutStore, ShadowStatsTotal } from '../../registry/rollout-store';
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

/** A rollout report: the rollout, its readout, current breaches and shadow statistics. */
export interface RolloutReport {
  /** The rollout read out. */
  rollout: Rollout;
  /** Per-arm metrics with intervals and the treatment-minus-control differences. */
  readout: Readout;
  /** The guardrails that trip on this readout now. */
  breaches: Breach[];
  /** Shadow statistics summed per shadow version. */
  shadow: ShadowStatsTotal[];
}

/** Rollout policy over the store. */
export class RolloutService {
  private readonly pending = new Map<string, Promise<Breach[]>>();
  private readonly running = new Map<string, Promise<Breach[]>>();
  private readonly lastEval = new Map<string, number>();
  private readonly trailing = new Map<string, NodeJS.Timeout>();
  private readonly guardIntervalMs: number;

  /**
   * `guardIntervalMs`: the least time between two guardrail evaluations of one rollout (the readout reads
   * every outcome so far, so evaluating on every batch would grow without bound). A batch inside the interval
   * schedules one trailing evaluation at its end, so the last outcomes are always evaluated. 0 evaluates on
   * every batch (and reports breaches in that batch's response).
   */
  constructor(private readonly store: RolloutStore, private readonly log: Logger, opts: { guardIntervalMs?: number } = {}) {
    this.guardIntervalMs = opts.guardIntervalMs ?? DEFAULT_GUARD_INTERVAL_MS;
  }

  /** Cancels scheduled guardrail evaluations (running ones finish). */
  close(): void {
    for (const t of this.trailing.values()) clearTimeout(t);
    this.trailing.clear();
  }

  /** Starts a rollout (see RolloutStore.start). */
  start(input: { model: string; arms: Arm[]; shadow: string[]; guardrails: Guardrail[]; salt?: string; actor: string; reason: string }): Promise<Rollout> {
    if (!input.model) throw invalid('model: required, for example feed-ranker-hi');
    return this.store.start(input);
  }

  /** Ramps the active rollout. */
  ramp(model: string, arms: Arm[], actor: string, reason: string): Promise<{ rollout: Rollout; movedArms: string[] }> {
    if (!model) throw invalid('model: required, for example feed-ranker-hi');
    return this.store.ramp(model, arms, actor, reason);
  }

  /** Stops the active rollout. */
  async stop(model: string, actor: string, reason: string): Promise<Rollout> {
    if (!model) throw invalid('model: required, for example feed-ranker-hi');
    return (await this.store.stop(model, actor, reason))!;
  }

  /** A rollout by id, else the active one, else the newest. */
  get(model: string, id?: string): Promise<Rollout> {
    if (!model) throw invalid('model: required, for example feed-ranker-hi');
    return this.store.get(model, id || undefined);
  }

  /** A page of rollouts. */
  list(model: string, opts: { after?: [string, string]; limit: number }): Promise<Rollout[]> {
    if (!model) throw invalid('model: required, for example feed-ranker-hi');
    return this.store.list(model, opts);
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
    const byRequest = await this.store.served(model, [...new Set(outcomes.filter((o) => !o.userId).map((o) => o.requestId))]);
    let unmatched = 0;
    const resolved: ResolvedOutcome[] = [];
    for (const o of outcomes) {
      const userId = o.userId || byRequest.get(o.requestId)?.userId;
      if (!userId) {
        unmatched++;
        continue;
      }
      resolved.push({ requestId: o.requestId, userId, itemId: o.itemId, timespentS: o.timespentS, videoLengthS: o.videoLengthS,
        liked: o.liked, shared: o.shared, time: o.time ?? now });
    }
    const result: RecordResult = { accepted: 0, duplicates: 0, outsideRollout: 0, unmatched, breaches: [] };
    if (resolved.length > 0) {
      const times = resolved.map((o) => o.time.getTime());
      const rollouts = await this.store.overlapping(model, new Date(Math.min(...times)), new Date(Math.max(...times)));
      if (rollouts.length === 0) await this.store.checkModel(model);
      const { joined, outside } = joinOutcomes(rollouts, resolved);
      const ins = await this.store.insertOutcomes(joined);
      result.accepted = ins.inserted;
      result.duplicates = ins.duplicates;
      result.outsideRollout = outside;
      const touched = new Set(joined.map((j) => j.rolloutId));
      for (const r of rollouts) {
        if (r.state === 'active' && touched.has(r.id) && r.guardrails.length > 0) result.breaches.push(...(await this.maybeGuard(r)));
      }
    }
    const active = await this.store.active(model);
    result.rollout = active ?? (result.breaches.length ? await this.store.get(model) : undefined);
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
    const stopped = await this.store.stop(r.model, 'guardrail', reason, {
      kind: 'guardrail-stop', onlyRollout: r.id,
      detail: { breaches: breaches.map((b) => ({ arm: b.arm, guardrail: b.guardrail, views: b.views, control: b.control,
        treatment: b.treatment, relativePct: b.relativePct, ci95: b.ci95 })) },
    });
    if (stopped) this.log.warn({ model: r.model, rollout: r.id, reason }, 'guardrail stopped the rollout');
    return stopped ? breaches : [];
  }

  private async readoutOf(r: Rollout): Promise<{ readout: Readout }> {
    const ref = await this.store.wtgReference(r.id);
    const sums = await this.store.armSums(r.id, ref);
    // Every arm that ever served appears, also with no outcomes yet.
    const order: string[] = [];
    for (const c of r.history) for (const a of c.arms) if (!order.includes(a.version)) order.push(a.version);
    return { readout: readout(sums, r.control, order) };
  }

  /** The report of a rollout (the active one, else the newest, unless an id is given). */
  async report(model: string, id?: string): Promise<RolloutReport> {
    const rollout = await this.get(model, id);
    const { readout: ro } = await this.readoutOf(rollout);
    return { rollout, readout: ro, breaches: evaluateGuardrails(ro, rollout.guardrails), shadow: await this.store.shadowStats(rollout.id) };
  }
}
