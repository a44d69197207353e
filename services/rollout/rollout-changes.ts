// Rollout changes: start, ramp and stop, the rules that decide what a change writes (production is the control,
// arms are valid and servable, one active rollout per model, a progressive ramp moves one step at a time).
// Each change runs inside the registry's model lock (registry/alias-store.ts), so a rollout change and a
// promotion of the same model never interleave; it writes through RolloutWrites (registry/rollout-store.ts),
// is audited in the same transaction, and `NOTIFY modelops_changes {"model","kind":"rollout"}` goes out at commit.
import * as crypto from 'node:crypto';
import { alreadyExists, failedPrecondition, invalid } from '../../core/errors';
import { rampArms, rolloutRampMoves, validateArms, type Arm } from '../../ml/rollout/assignment';
import { checkGuardrail, type Guardrail } from '../../ml/rollout/readout';
import type { Progression } from '../../ml/rollout/progression';
import { servingRefusal } from '../../ml/model/servable';
import type { ModelLock } from '../../registry/alias-store';
import { RolloutWrites, type Rollout, type RolloutArmRecord, type RolloutStore } from '../../registry/rollout-store';

/**
 * Refuses (FAILED_PRECONDITION) when a version that would serve traffic as an arm is one Score cannot serve
 * (servable.ts decides). Runs inside the model lock before any write.
 */
async function checkServable(w: RolloutWrites, names: string[]): Promise<void> {
  for (const v of await w.servingFacts(names)) {
    const why = servingRefusal(v);
    if (why) throw failedPrecondition(`arms: "${v.name}" cannot serve traffic: ${why}`);
  }
}

/** Starts, ramps and stops rollouts. */
export class RolloutChanges {
  constructor(private readonly lock: ModelLock, private readonly rollouts: Pick<RolloutStore, 'get'>) {}

  /**
   * Starts a rollout: the production version is the control and must be an arm (add it with the remaining
   * weight when the caller left it out). FAILED_PRECONDITION without production; ALREADY_EXISTS when the
   * model has an active rollout (the partial unique index decides, also across processes).
   */
  async start(input: { model: string; arms: Arm[]; shadow: string[]; guardrails: Guardrail[]; salt?: string; actor: string; reason: string;
    progression?: Progression; exploreShare?: number }): Promise<Rollout> {
    const explore = input.exploreShare ?? 0;
    if (!(explore >= 0 && explore <= 1)) throw invalid(`explore: ${explore} is not a share between 0 and 1 (for example 0.05)`);
    const id = await this.lock.withModelLock(input.model, async (t) => {
      const w = new RolloutWrites(t);
      const prodNumber = await t.aliasOf('production');
      if (prodNumber === undefined) {
        throw failedPrecondition(`model "${input.model}" has no production version; promote one first (\`modelops promote ${input.model} <version>\`)`);
      }
      const prodName = await w.versionName(prodNumber);
      let arms = input.arms.map((a) => ({ ...a }));
      if (input.progression) {
        const treatments = arms.filter((a) => a.version !== prodName);
        if (treatments.length !== 1) {
          throw invalid(`arms: a progressive ramp ramps exactly one treatment besides the control "${prodName}"; ${treatments.length} given (for example prod-wtg-2=5 --steps 5,10,25,50)`);
        }
        input.progression.treatment = treatments[0].version;
        arms = [{ version: treatments[0].version, weight: input.progression.steps[0] }];
      }
      if (!arms.some((a) => a.version === prodName)) {
        const rest = 100 - arms.reduce((s, a) => s + a.weight, 0);
        arms.push({ version: prodName, weight: rest });
      }
      validateArms(arms, prodName);
      // A rollout with only the control serves production to everyone and exists for its shadow versions or
      // its exploration slot.
      if (arms.length < 2 && input.shadow.length === 0 && explore === 0) {
        throw invalid(`arms: give at least one treatment besides the control "${prodName}" (for example prod-wtg-2=10), a shadow version or an exploration share (--explore 0.05)`);
      }
      const shadow = [...new Set(input.shadow)];
      for (const s of shadow) {
        if (arms.some((a) => a.version === s)) throw invalid(`shadow: "${s}" is an arm; a shadow version is scored but never served`);
      }
      input.guardrails.forEach(checkGuardrail);
      const numbers = await w.versionNumbers([...arms.map((a) => a.version), ...shadow]);
      await checkServable(w, arms.map((a) => a.version));
      const stored: RolloutArmRecord[] = arms.map((a) => ({ version: a.version, number: numbers.get(a.version)!, weight: a.weight }));
      const rolloutId = `ro-${crypto.randomBytes(5).toString('hex')}`;
      const salt = input.salt || crypto.randomBytes(8).toString('hex');
      const busy = (which: string) => `model "${input.model}" already has an active rollout${which}; ramp it or stop it first (\`modelops rollout stop ${input.model}\`)`;
      const active = await w.activeId();
      if (active) throw alreadyExists(busy(` (${active})`));
      const time = await w.insert({ id: rolloutId, model: input.model, control: prodName, controlNumber: prodNumber, arms: stored, salt,
        shadow: shadow.map((s) => ({ version: s, number: numbers.get(s)! })), guardrails: input.guardrails, createdBy: input.actor,
        progression: input.progression ?? null, exploreShare: explore }, busy(''));
      await w.addChange(rolloutId, time, 'start', stored, input.actor, input.reason);
      const treatments = stored.filter((a) => a.version !== prodName);
      await t.audit({ action: 'rollout-start', actor: input.actor, reason: input.reason, fromVersion: prodNumber,
        toVersion: treatments.length === 1 ? treatments[0].number : null,
        detail: { rollout: rolloutId, arms: stored, shadow, guardrails: input.guardrails, progression: input.progression ?? null, exploreShare: explore } });
      await t.notify('rollout');
      return rolloutId;
    });
    return this.rollouts.get(input.model, id);
  }

  /**
   * Ramps the active rollout (see rampArms); returns it and the arms whose users moved besides the ramped ones.
   * With `step`, the ramp is a progressive one: it happens only if the rollout `step.rolloutId` is active and
   * still on step `step.from` (else undefined is returned), and the progression moves on in the same transaction.
   * `detail` is added to the audit entry (the numbers behind the ramp, or that it was forced past a check).
   */
  async ramp(model: string, changes: Arm[], actor: string, reason: string,
    opts: { step?: { rolloutId: string; from: number }; detail?: Record<string, unknown> } = {}): Promise<{ rollout: Rollout; movedArms: string[] } | undefined> {
    if (changes.length === 0) throw invalid('arms: name at least one treatment to ramp, for example prod-wtg-2=50');
    const out = await this.lock.withModelLock(model, async (t) => {
      const w = new RolloutWrites(t);
      const r = await w.active();
      let nextProgression: Progression | undefined;
      if (opts.step) {
        const cur = await w.progressionOf(r.id);
        if (r.id !== opts.step.rolloutId || !cur || cur.step !== opts.step.from || cur.state !== 'ramping') return undefined;
        nextProgression = { ...cur, step: opts.step.from + 1, note: reason };
      }
      const spec = { salt: r.salt, control: r.control, arms: r.arms.map((a) => ({ version: a.version, weight: a.weight })) };
      const next = rampArms(spec, changes);
      const known = new Map(r.arms.map((a) => [a.version, a.number]));
      const fresh = next.filter((a) => !known.has(a.version)).map((a) => a.version);
      for (const s of fresh) if (r.shadow.some((x) => x.version === s)) throw invalid(`arms: "${s}" is a shadow version of this rollout; start a new rollout to serve it`);
      const numbers = await w.versionNumbers(fresh);
      await checkServable(w, fresh);
      const stored: RolloutArmRecord[] = next.map((a) => ({ version: a.version, number: known.get(a.version) ?? numbers.get(a.version)!, weight: a.weight }));
      const movedArms = rolloutRampMoves(spec, next);
      const time = await w.now();
      await w.setArms(r.id, stored);
      if (nextProgression) {
        nextProgression.stepStart = time.toISOString();
        if (nextProgression.step + 1 >= nextProgression.steps.length) nextProgression.state = 'holding';
        await w.setProgression(r.id, nextProgression);
      }
      await w.addChange(r.id, time, 'ramp', stored, actor, reason);
      await t.audit({ action: 'rollout-ramp', actor, reason, detail: { rollout: r.id, from: r.arms, to: stored, movedArms, ...opts.detail } });
      await t.notify('rollout');
      return { id: r.id, movedArms };
    });
    if (!out) return undefined;
    return { rollout: await this.rollouts.get(model, out.id), movedArms: out.movedArms };
  }

  /**
   * Stops the active rollout (production serves everyone again). With `onlyRollout`, stops only if that
   * rollout is still the active one (the guardrail's race with an operator); returns undefined then.
   */
  async stop(model: string, actor: string, reason: string,
    opts: { kind?: 'stop' | 'guardrail-stop'; onlyRollout?: string; detail?: Record<string, unknown> } = {}): Promise<Rollout | undefined> {
    const kind = opts.kind ?? 'stop';
    const id = await this.lock.withModelLock(model, async (t) => {
      const w = new RolloutWrites(t);
      const activeId = await w.activeId();
      if (activeId === undefined || (opts.onlyRollout && activeId !== opts.onlyRollout)) {
        if (opts.onlyRollout) return undefined;
        throw failedPrecondition(`model "${model}" has no active rollout; start one with \`modelops rollout start ${model} <version>=<weight>\``);
      }
      const r = await w.active();
      const time = await w.now();
      const finalArms: RolloutArmRecord[] = [{ version: r.control, number: r.controlNumber, weight: 100 }];
      // A progressive ramp ends with its rollout, whoever stopped it, and says why.
      await w.markStopped(r.id, time, reason, actor);
      await w.addChange(r.id, time, kind, finalArms, actor, reason);
      await t.audit({ action: kind === 'stop' ? 'rollout-stop' : 'rollout-guardrail-stop', actor, reason,
        outcome: 'done', toVersion: r.controlNumber, detail: { rollout: r.id, arms: r.arms, ...opts.detail } });
      await t.notify('rollout');
      return r.id;
    });
    return id ? this.rollouts.get(model, id) : undefined;
  }
}
