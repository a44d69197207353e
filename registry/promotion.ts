// Promote, rollback and alias changes: the policy that moves `production`. Every change of one model runs
// inside the model's row lock (RegistryStore.withModelLock), so concurrent calls are applied one at a time,
// and every call — done, forced, refused or a no-op — leaves exactly one audit event.
import { DomainError, invalid, failedPrecondition } from '../core/errors';
import {
  checkAlias, type ModelTx, type ModelVersion, type RegistryStore, COMPLETED_EVALUATION_STATES,
} from './registry-store';
import {
  checkPolicy, DEFAULT_GATE_POLICY, evaluateGate, gateInputFromReport, type GatePolicy, type GateResult,
} from './promotion-gate';

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

/** A refused promotion: FAILED_PRECONDITION with the gate's table in the message (and in `gate`). */
export class GateRefused extends DomainError {
  constructor(message: string, readonly gate: GateResult | null) {
    super('FAILED_PRECONDITION', message);
  }
}

/** Formats a gate's checks as a text table for messages and the CLI. */
export function gateTable(g: GateResult): string {
  const fmt = (x: number | null) => (x === null ? '-' : x.toFixed(4));
  const rows = g.checks.map((c) => [c.metric, c.scope, fmt(c.candidate), fmt(c.baseline), `${c.op} ${fmt(c.threshold)}`,
    c.passed ? 'pass' : `FAIL${c.note ? ` (${c.note})` : ''}`]);
  const head = ['METRIC', 'DAY', 'CANDIDATE', 'BASELINE', 'THRESHOLD', 'RESULT'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((x, i) => x.padEnd(w[i])).join('  ').trimEnd()).join('\n');
}

/** The production history of a model replayed from its audit log: a stack whose top is production. */
async function productionStack(t: ModelTx): Promise<number[]> {
  const rows = await t.query<{ action: string; to_version: number | null; from_version: number | null; outcome: string }>(`
    SELECT action, to_version, from_version, outcome FROM audit_events
    WHERE model = $1 AND action IN ('promote', 'rollback') AND outcome IN ('done', 'forced') ORDER BY id`, [t.model]);
  const stack: number[] = [];
  for (const r of rows) {
    if (r.to_version === null) continue;
    // A rollback to a named version (--to) pushes it; a one-step rollback pops back to the one before.
    if (r.action === 'rollback' && stack.length >= 2 && stack[stack.length - 2] === r.to_version) stack.pop();
    else stack.push(r.to_version);
  }
  return stack;
}

/** Sets `previous` to the version a rollback would go back to (the one below production), or removes it. */
async function syncPrevious(t: ModelTx, stack: number[], actor: string): Promise<void> {
  const below = stack.length >= 2 ? stack[stack.length - 2] : undefined;
  if (below === undefined) await t.deleteAlias('previous');
  else await t.setAlias('previous', below, actor);
}

/** Promotions, rollbacks, aliases and gate policies of the registry. */
export class Promotions {
  constructor(private readonly store: RegistryStore) {}

  /** The policy in force for a model (its own, else the default). */
  async policyOf(model: string): Promise<EffectivePolicy> {
    const stored = await this.store.getGatePolicy(model);
    if (!stored) return { policy: DEFAULT_GATE_POLICY, isDefault: true, updatedBy: '', updateTime: null };
    return { policy: checkPolicy(stored.policy as unknown as GatePolicy), isDefault: false, updatedBy: stored.updatedBy, updateTime: stored.updateTime };
  }

  /** Stores a model's policy (validated) and audits it. */
  async setPolicy(model: string, policy: GatePolicy, actor: string): Promise<EffectivePolicy> {
    const p = checkPolicy(policy);
    const s = await this.store.setGatePolicy(model, p as unknown as Record<string, unknown>, actor);
    return { policy: p, isDefault: false, updatedBy: s.updatedBy, updateTime: s.updateTime };
  }

  /**
   * Moves `production` to a version. The first promotion of a model needs no gate; later ones need the
   * candidate's newest completed evaluation against the baseline (the `baseline` alias, else production)
   * to pass the model's policy on every held-out day, unless `force` (which needs a reason). A refusal is
   * audited and then raised as GateRefused. `validateOnly` runs the gate and changes nothing.
   */
  async promote(input: { model: string; version: string; actor: string; force?: boolean; reason?: string; validateOnly?: boolean }): Promise<PromoteResult> {
    const reason = (input.reason ?? '').trim();
    if (input.force && !reason) throw invalid('reason: --force skips the promotion gate and needs a reason (--reason "...") for the audit log');
    if (reason.length > 1000) throw invalid(`reason: ${reason.length} characters given, at most 1000 allowed`);
    const cand = await this.store.getVersion(input.model, input.version);
    const { policy } = await this.policyOf(input.model);

    const result = await this.store.withModelLock(input.model, async (t): Promise<PromoteResult | GateRefused> => {
      const current = await t.aliasOf('production');
      const base = { version: cand, previous: current ?? null, gate: null, baseline: null, evaluationId: null };
      if (current === cand.number) {
        if (!input.validateOnly) {
          await t.audit({ action: 'promote', actor: input.actor, alias: 'production', fromVersion: current, toVersion: cand.number,
            reason, outcome: 'no-op', detail: { note: 'already production' } });
        }
        return { ...base, outcome: input.validateOnly ? 'checked' : 'no-op', note: `"${cand.name}" is production already` };
      }
      let gate: GateResult | null = null;
      let baseline: number | null = null;
      let evaluationId: string | null = null;
      let note = '';
      if (current === undefined) {
        note = 'first promotion of the model: no gate';
      } else {
        const baselineAlias = await t.aliasOf('baseline');
        baseline = baselineAlias !== undefined && baselineAlias !== cand.number ? baselineAlias : current;
        const ev = await t.query<{ id: string; report: Record<string, unknown> }>(`
          SELECT id, report FROM evaluations
          WHERE model = $1 AND candidate = $2 AND baseline = $3 AND lower(state) = ANY($4::text[]) AND report IS NOT NULL
          ORDER BY update_time DESC, create_time DESC LIMIT 1`, [input.model, cand.number, baseline, COMPLETED_EVALUATION_STATES]);
        if (ev.length === 0) {
          note = `no completed evaluation of "${cand.name}" (version ${cand.number}) against the baseline (version ${baseline})`;
        } else {
          evaluationId = ev[0].id;
          gate = evaluateGate(policy, gateInputFromReport(ev[0].report));
          const bad = gate.checks.filter((c) => !c.passed).length;
          note = gate.passed
            ? `gate passed: all ${gate.checks.length} checks on ${gate.days.length} held-out day(s) against version ${baseline}`
            : `gate failed: ${bad} of ${gate.checks.length} checks against version ${baseline}`;
        }
      }
      const passed = current === undefined || gate?.passed === true;
      if (input.validateOnly) {
        return { version: cand, previous: current ?? null, outcome: 'checked', gate, baseline, evaluationId, note };
      }
      if (!passed && !input.force) {
        const failed = gate ? gate.checks.filter((c) => !c.passed).length : 0;
        await t.audit({ action: 'promote', actor: input.actor, alias: 'production', fromVersion: current ?? null, toVersion: cand.number,
          reason, outcome: 'refused', detail: { note, baseline, evaluationId, gate } });
        const how = gate
          ? `the promotion gate refused "${cand.name}": ${failed} of ${gate.checks.length} checks failed against version ${baseline}\n${gateTable(gate)}`
          : `the promotion gate refused "${cand.name}": ${note}; evaluate it first (modelops evaluate) or use --force --reason "..."`;
        return new GateRefused(how, gate);
      }
      const outcome = passed ? 'done' : 'forced';
      await t.setAlias('production', cand.number, input.actor);
      await t.audit({ action: 'promote', actor: input.actor, alias: 'production', fromVersion: current ?? null, toVersion: cand.number,
        reason, outcome, detail: { note, baseline, evaluationId, gate } });
      await syncPrevious(t, await productionStack(t), input.actor);
      await t.notify('alias');
      return { version: cand, previous: current ?? null, outcome, gate, baseline, evaluationId, note: outcome === 'forced' ? `gate skipped (${note})` : note };
    });
    if (result instanceof GateRefused) throw result;
    return { ...result, version: await this.store.getVersion(input.model, cand.number) };
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
