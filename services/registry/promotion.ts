// Promote, rollback and alias changes: the policy that moves `production`. Every change of one model runs
// inside the model's row lock (ModelLock.withModelLock, alias-store.ts), so concurrent calls are applied one at a time,
// and every call — done, forced, refused or a no-op — leaves exactly one audit event.
import { DomainError, invalid, failedPrecondition } from '../../core/errors';
import { checkAlias } from '../../registry/model-names';
import type { EvaluationRecord, EvaluationStore } from '../../registry/evaluation-store';
import type { ModelLock, ModelTx } from '../../registry/alias-store';
import type { ModelVersion, VersionStore } from '../../registry/version-store';
import type { GatePolicyStore } from '../../registry/gate-policy-store';
import { liveVersions, productionChanges, versionName } from '../../registry/production-history';
import {
  bareDatasetId, checkPolicy, DEFAULT_GATE_POLICY, DEFAULT_PROTOCOL, evaluateGate, intervalsPhrase, type GateCheck, type GatePolicy, type GateResult,
} from './promotion-gate';
import { evaluateCommand, evaluationMismatch, evaluationProtocol, gateInputForProtocol, type GateScope } from './gate-report';
import { servingRefusal } from '../../ml/model/servable';

export { evaluateCommand, evaluationMismatch, type GateScope } from './gate-report';

/** Aliases the registry moves itself; `alias set|delete` refuses them. */
export const MANAGED_ALIASES = ['production', 'previous'];

/** What a promote did. */
export interface PromoteResult {
  /** The candidate as it is now (production unless refused or validate-only). */
  version: ModelVersion;
  /** The version that was production before, if any. */
  previous: number | null;
  /** `done` (gate passed or first promotion), `forced`, `no-op` (already production) or `checked` (validate only). */
  outcome: 'done' | 'forced' | 'no-op' | 'checked';
  /** The gate's table; null when no gate ran (first promotion, no-op). */
  gate: GateResult | null;
  /** The baseline version the gate compared against. */
  baseline: number | null;
  /** The evaluation the gate read. */
  evaluationId: string | null;
  /** The target, protocol and dataset the gate asked of the evaluation; null when no gate ran. */
  scope: GateScope | null;
  /** Why no gate ran, or a note on the gate. */
  note: string;
}


/** What a rollback did. */
export interface RollbackResult {
  /** The version that is production now. */
  version: ModelVersion;
  /** The version number that was production before the rollback. */
  from: number;
}

/** A policy as stored and as answered: the effective one, and whether it is the default. */
export interface EffectivePolicy {
  /** The thresholds in force. */
  policy: GatePolicy;
  /** True when the model has no policy of its own (DEFAULT_GATE_POLICY). */
  isDefault: boolean;
  /** Who set it; empty for the default. */
  updatedBy: string;
  /** When it was set; null for the default. */
  updateTime: Date | null;
}

/** The gate policy in force for a model: its own (checked), else the default. */
export async function effectivePolicy(store: Pick<GatePolicyStore, 'getGatePolicy'>, model: string): Promise<EffectivePolicy> {
  const stored = await store.getGatePolicy(model);
  if (!stored) return { policy: DEFAULT_GATE_POLICY, isDefault: true, updatedBy: '', updateTime: null };
  return { policy: checkPolicy(stored.policy as unknown as GatePolicy), isDefault: false, updatedBy: stored.updatedBy, updateTime: stored.updateTime };
}

/** A refused promotion: FAILED_PRECONDITION with the gate's table in the message (and in `gate`). */
export class GateRefused extends DomainError {
  constructor(message: string, readonly gate: GateResult | null) {
    super('FAILED_PRECONDITION', message);
  }
}

/** Formats a gate's checks as a text table for messages and the CLI (a must-beat row shows the interval it read). */
export function gateTable(g: GateResult): string {
  const fmt = (x: number | null) => (x === null ? '-' : x.toFixed(4));
  const beats = (c: GateCheck) => `beats ${c.condition.slice(6)}${c.ci95 ? ` (ci95 ${c.ci95[0].toFixed(4)}..${c.ci95[1].toFixed(4)})` : ''}`;
  const rows = g.checks.map((c) => [c.metric, c.scope, fmt(c.candidate), fmt(c.baseline),
    c.condition.startsWith('beats:') ? beats(c) : c.threshold === null ? '-' : `${c.op} ${fmt(c.threshold)}`,
    c.skipped ? `skipped (${c.note ?? ''})` : c.passed ? 'pass' : `FAIL${c.note ? ` (${c.note})` : ''}`]);
  const head = ['METRIC', 'DAY', 'CANDIDATE', 'BASELINE', 'THRESHOLD', 'RESULT'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((x, i) => x.padEnd(w[i])).join('  ').trimEnd()).join('\n');
}

/** The tag `train --seeds N` gives each version of a seed group (services/evaluation/seed-group.ts): the group's name. */
const SEED_GROUP_TAG = 'seed_group';

/**
 * What to run when a policy with min_seeds finds no seed-group evaluation of the candidate: evaluate its group
 * when the candidate is a group's first version (a group is promoted as its first version, whose name is the
 * group's), promote that first version when the candidate is a later seed, or train a group first.
 */
function groupHint(model: string, cand: ModelVersion, baseline: string, scope: GateScope, minSeeds: number): string {
  const group = cand.tags[SEED_GROUP_TAG];
  const evaluate = (g: string) => `\`${evaluateCommand(model, g, baseline, scope, g)}\``;
  if (group && group === cand.name) return `the gate policy asks for a seed-group evaluation of at least ${minSeeds} seeds: run ${evaluate(group)}`;
  if (group) {
    return `"${cand.name}" is a later seed of group "${group}", and a seed group is promoted as its first version: run ${evaluate(group)}, then promote "${group}"`;
  }
  return `the gate policy asks for a seed-group evaluation of at least ${minSeeds} seeds and "${cand.name}" belongs to no seed group: train one `
    + `(\`modelops train ${model} NAME --seeds ${Math.max(minSeeds, 2)} ...\`), run \`modelops evaluate ${model} --group NAME --baseline ${baseline} ...\`, and promote NAME`;
}

/** The production history of a model replayed from its audit log: a stack whose top is production. */
async function productionStack(t: ModelTx): Promise<number[]> {
  const stack: number[] = [];
  for (const r of await productionChanges(t)) {
    if (r.toVersion === null) continue;
    // A rollback to a named version (--to) pushes it; a one-step rollback pops back to the one before.
    if (r.action === 'rollback' && stack.length >= 2 && stack[stack.length - 2] === r.toVersion) stack.pop();
    else stack.push(r.toVersion);
  }
  // A deleted version (registry/retention.ts; never production or `previous`) is no step to go back to.
  const live = await liveVersions(t, stack);
  return stack.filter((n) => live.has(n));
}

/** Sets `previous` to the version a rollback would go back to (the one below production), or removes it. */
async function syncPrevious(t: ModelTx, stack: number[], actor: string): Promise<void> {
  const below = stack.length >= 2 ? stack[stack.length - 2] : undefined;
  if (below === undefined) await t.deleteAlias('previous');
  else await t.setAlias('previous', below, actor);
}

/** The registry stores promotion reads and changes. */
export type PromotionStores = Pick<VersionStore, 'getVersion'> & ModelLock & GatePolicyStore
  & Pick<EvaluationStore, 'getEvaluation' | 'latestCompletedEvaluation' | 'latestGateEvaluation' | 'datasetLabel'>;

/** Promotions, rollbacks, aliases and gate policies of the registry. */
export class Promotions {
  constructor(private readonly store: PromotionStores) {}

  /** The policy in force for a model (its own, else the default). */
  policyOf(model: string): Promise<EffectivePolicy> {
    return effectivePolicy(this.store, model);
  }

  /** Stores a model's policy (validated) and audits it. */
  async setPolicy(model: string, policy: GatePolicy, actor: string): Promise<EffectivePolicy> {
    const p = checkPolicy(policy);
    const s = await this.store.setGatePolicy(model, p as unknown as Record<string, unknown>, actor);
    return { policy: p, isDefault: false, updatedBy: s.updatedBy, updateTime: s.updateTime };
  }

  /**
   * What the evaluation a gate reads must be of: the policy's dataset (else the candidate's training dataset),
   * the policy's target (else that dataset's label) and protocol; or why none can be named.
   */
  async scopeOf(model: string, policy: GatePolicy, cand: ModelVersion): Promise<GateScope | string> {
    const datasetId = bareDatasetId(policy.datasetId || cand.datasetId);
    if (!datasetId) {
      return `version "${cand.name}" names no training dataset and the gate policy names none; name one with \`modelops gate set ${model} --dataset <id>\``;
    }
    let target = policy.target || await this.store.datasetLabel(datasetId);
    // A version records the label of the dataset it was trained on: it stands in for a dataset this database does not hold.
    if (!target && datasetId === bareDatasetId(cand.datasetId) && cand.label) target = cand.label;
    if (!target) {
      return `dataset "${datasetId}" is not known here and the gate policy names no target; name one with \`modelops gate set ${model} --target <label>\``;
    }
    return { target, protocol: policy.protocol ?? DEFAULT_PROTOCOL, datasetId };
  }

  /**
   * Moves `production` to a version. The first promotion of a model needs no gate; later ones read the newest
   * succeeded evaluation of the candidate against the baseline (the `baseline` alias, else production) on the
   * gate's dataset, target and protocol — or the one named by `evaluationId`, which must match them — and the
   * model's policy must hold on every gated test day, unless `force` (which needs a reason). A refusal is
   * audited and then raised as GateRefused. `validateOnly` runs the gate and changes nothing.
   */
  async promote(input: { model: string; version: string; actor: string; force?: boolean; reason?: string; validateOnly?: boolean;
    evaluationId?: string }): Promise<PromoteResult> {
    const reason = (input.reason ?? '').trim();
    if (input.force && !reason) throw invalid('reason: --force skips the promotion gate and needs a reason (--reason "...") for the audit log');
    if (reason.length > 1000) throw invalid(`reason: ${reason.length} characters given, at most 1000 allowed`);
    const cand = await this.store.getVersion(input.model, input.version);
    const { policy } = await this.policyOf(input.model);
    const scope = await this.scopeOf(input.model, policy, cand);
    const named = input.evaluationId ? await this.store.getEvaluation(input.evaluationId) : undefined;

    const result = await this.store.withModelLock(input.model, async (t): Promise<PromoteResult | DomainError> => {
      const current = await t.aliasOf('production');
      const base = { version: cand, previous: current ?? null, gate: null, baseline: null, evaluationId: null, scope: null };
      if (current === cand.number) {
        if (!input.validateOnly) {
          await t.audit({ action: 'promote', actor: input.actor, alias: 'production', fromVersion: current, toVersion: cand.number,
            reason, outcome: 'no-op', detail: { note: 'already production' } });
        }
        return { ...base, outcome: input.validateOnly ? 'checked' : 'no-op', note: `"${cand.name}" is production already` };
      }
      // Forced or not, production must be a version Score can serve; refused before any write, audited like a gate refusal.
      const unservable = servingRefusal(cand);
      if (unservable) {
        if (!input.validateOnly) {
          await t.audit({ action: 'promote', actor: input.actor, alias: 'production', fromVersion: current ?? null, toVersion: cand.number,
            reason, outcome: 'refused', detail: { note: unservable } });
        }
        return failedPrecondition(`cannot promote "${cand.name}": ${unservable}`);
      }
      let gate: GateResult | null = null;
      let baseline: number | null = null;
      let evaluationId: string | null = null;
      let gateScope: GateScope | null = null;
      let note = '';
      if (current === undefined) {
        note = 'first promotion of the model: no gate';
      } else {
        const baselineAlias = await t.aliasOf('baseline');
        baseline = baselineAlias !== undefined && baselineAlias !== cand.number ? baselineAlias : current;
        if (typeof scope === 'string') {
          note = scope;
        } else {
          gateScope = scope;
          const read = await this.readGate(t, policy, cand, baseline, scope, named);
          ({ gate, note } = read);
          evaluationId = read.evaluationId;
        }
      }
      const passed = current === undefined || gate?.passed === true;
      const detail = { note, baseline, evaluationId, target: gateScope?.target ?? null, protocol: gateScope?.protocol ?? null,
        datasetId: gateScope?.datasetId ?? null, gate };
      if (input.validateOnly) {
        return { version: cand, previous: current ?? null, outcome: 'checked', gate, baseline, evaluationId, scope: gateScope, note };
      }
      if (!passed && !input.force) {
        await t.audit({ action: 'promote', actor: input.actor, alias: 'production', fromVersion: current ?? null, toVersion: cand.number,
          reason, outcome: 'refused', detail });
        const how = gate
          ? `the promotion gate refused "${cand.name}": ${note}\n${gateTable(gate)}`
          : `the promotion gate refused "${cand.name}": ${note}; or use --force --reason "..."`;
        return new GateRefused(how, gate);
      }
      const outcome = passed ? 'done' : 'forced';
      await t.setAlias('production', cand.number, input.actor);
      await t.audit({ action: 'promote', actor: input.actor, alias: 'production', fromVersion: current ?? null, toVersion: cand.number,
        reason, outcome, detail });
      await syncPrevious(t, await productionStack(t), input.actor);
      await t.notify('alias');
      return { version: cand, previous: current ?? null, outcome, gate, baseline, evaluationId, scope: gateScope,
        note: outcome === 'forced' ? `gate skipped (${note})` : note };
    });
    if (result instanceof DomainError) throw result;
    return { ...result, version: await this.store.getVersion(input.model, cand.number) };
  }

  /**
   * Finds the evaluation the gate reads (the named one, checked against the scope, or the newest matching
   * one) and applies the policy to it; without a usable evaluation, the note names the `modelops evaluate`
   * command that makes one.
   */
  private async readGate(t: ModelTx, policy: GatePolicy, cand: ModelVersion, baseline: number, scope: GateScope,
    named: EvaluationRecord | undefined): Promise<{ gate: GateResult | null; evaluationId: string | null; note: string }> {
    // Every read goes through the lock's transaction: waiting for another pool client while holding the model's
    // lock would deadlock once concurrent promotes of the model hold every client of the pool.
    const model = t.model;
    const base = { number: baseline, name: await versionName(t, baseline) ?? String(baseline) };
    const minSeeds = policy.minSeeds ?? 0;
    const run = minSeeds > 0 ? groupHint(model, cand, base.name, scope, minSeeds) : `run \`${evaluateCommand(model, cand.name, base.name, scope)}\``;
    const what = `dataset ${scope.datasetId}, target ${scope.target}, protocol ${scope.protocol}`;
    let ev = named;
    if (ev) {
      const diff = evaluationMismatch(ev, { model, candidate: cand, baseline: base, scope });
      if (diff.length) {
        return { gate: null, evaluationId: ev.id,
          note: `evaluation "${ev.id}" does not match the gate: ${diff.join('; ')}; ${run}, or name a matching evaluation` };
      }
    } else {
      ev = await this.store.latestGateEvaluation(model, { candidate: cand.number, baseline, ...scope, group: minSeeds > 0 }, t);
      if (!ev) {
        const other = await this.store.latestCompletedEvaluation(model, cand.number, baseline, t);
        const hint = other ? ` (the newest evaluation of the two, "${other.id}", is of dataset ${bareDatasetId(other.datasetId)}, target ${other.target}, `
          + `protocol ${evaluationProtocol(other.params, other.report)})` : '';
        const kind = minSeeds > 0 ? 'seed-group evaluation' : 'evaluation';
        return { gate: null, evaluationId: null,
          note: `no succeeded ${kind} of "${cand.name}" (version ${cand.number}) against version ${baseline} on ${what}${hint}; ${run}` };
      }
    }
    const read = gateInputForProtocol(ev.report ?? {}, scope.protocol);
    if (read.missing !== undefined) {
      return { gate: null, evaluationId: ev.id, note: `evaluation "${ev.id}" cannot serve the ${scope.protocol} protocol: ${read.missing}; ${run}` };
    }
    const gate = evaluateGate(policy, read.input);
    const counted = gate.checks.filter((c) => !c.skipped);
    const skipped = gate.checks.length - counted.length;
    const bad = counted.filter((c) => !c.passed).length;
    const skippedNote = skipped ? `, ${skipped} skipped` : '';
    const legacy = read.legacy ? '; the evaluation was made before saturation checks: no metric or day could be marked uninformative, and the sanity baselines were not checked' : '';
    // Which intervals decided is part of the decision: a group evaluation's are pooled over users and seeds.
    const on = `(evaluation ${ev.id}: ${what}), on ${intervalsPhrase(gate)}`;
    const note = gate.passed
      ? `gate passed: all ${counted.length} counted checks on ${gate.days.length} gated test day(s)${skippedNote} against version ${baseline} ${on}${legacy}`
      : `${bad} of ${counted.length} counted checks failed${skippedNote} against version ${baseline} ${on}${legacy}`;
    return { gate, evaluationId: ev.id, note };
  }

  /**
   * Moves `production` back: to the version that was production before it (from the audit history), or to
   * `to`. Rolling back twice goes two steps back. Never gated; audited.
   */
  async rollback(input: { model: string; to?: string; actor: string; reason?: string }): Promise<RollbackResult> {
    const reason = (input.reason ?? '').trim();
    const named = input.to ? await this.store.getVersion(input.model, input.to) : undefined;
    const out = await this.store.withModelLock(input.model, async (t) => {
      const current = await t.aliasOf('production');
      if (current === undefined) throw failedPrecondition(`model "${input.model}" has no production version to roll back`);
      const stack = await productionStack(t);
      let target: number;
      if (named) {
        if (named.number === current) throw failedPrecondition(`"${named.name}" is production already`);
        target = named.number;
      } else {
        if (stack.length < 2) throw failedPrecondition(`model "${input.model}" has no earlier production version to roll back to; use --to <version>`);
        target = stack[stack.length - 2];
      }
      await t.setAlias('production', target, input.actor);
      await t.audit({ action: 'rollback', actor: input.actor, alias: 'production', fromVersion: current, toVersion: target, reason,
        outcome: 'done', detail: named ? { to: named.name } : null });
      await syncPrevious(t, await productionStack(t), input.actor);
      await t.notify('alias');
      return { from: current, target };
    });
    return { version: await this.store.getVersion(input.model, out.target), from: out.from };
  }

  /** Points a free alias (not production or previous) at a version; audited. */
  async setAlias(input: { model: string; alias: string; version: string; actor: string; reason?: string }): Promise<ModelVersion> {
    checkAlias(input.alias);
    if (MANAGED_ALIASES.includes(input.alias)) {
      throw invalid(`alias: "${input.alias}" is moved by the registry; use \`modelops promote\` or \`modelops rollback\``);
    }
    const v = await this.store.getVersion(input.model, input.version);
    await this.store.withModelLock(input.model, async (t) => {
      const old = await t.aliasOf(input.alias);
      await t.setAlias(input.alias, v.number, input.actor);
      await t.audit({ action: 'alias-set', actor: input.actor, alias: input.alias, fromVersion: old ?? null, toVersion: v.number,
        reason: input.reason ?? '', outcome: old === v.number ? 'no-op' : 'done' });
      await t.notify('alias');
    });
    return this.store.getVersion(input.model, v.number);
  }

  /** Removes a free alias; NOT_FOUND when the model has no such alias; audited. */
  async deleteAlias(input: { model: string; alias: string; actor: string; reason?: string }): Promise<void> {
    checkAlias(input.alias);
    if (MANAGED_ALIASES.includes(input.alias)) {
      throw invalid(`alias: "${input.alias}" is moved by the registry; use \`modelops promote\` or \`modelops rollback\``);
    }
    await this.store.withModelLock(input.model, async (t) => {
      const old = await t.aliasOf(input.alias);
      if (old === undefined) throw new DomainError('NOT_FOUND', `model "${input.model}" has no alias "${input.alias}"; its aliases are listed by \`modelops models show ${input.model}\``);
      await t.deleteAlias(input.alias);
      await t.audit({ action: 'alias-delete', actor: input.actor, alias: input.alias, fromVersion: old, reason: input.reason ?? '' });
      await t.notify('alias');
    });
  }
}
