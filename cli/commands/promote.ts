// `modelops promote`, `rollback` and `history`: move production (through the gate, or forced with a reason),
// move it back, and read the audit log.
import { bool, list, need, str, UsageError, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, isoTime, table } from '../output';
import type { PromoteModelVersionResponse__Output } from '../../proto/gen/modelops/v1/PromoteModelVersionResponse';
import type { RollbackModelResponse__Output } from '../../proto/gen/modelops/v1/RollbackModelResponse';
import type { ListAuditEventsResponse__Output } from '../../proto/gen/modelops/v1/ListAuditEventsResponse';
import type { GateResult__Output } from '../../proto/gen/modelops/v1/GateResult';
import { plainVersion } from './versions';
import { emitPage, pageFlags, pageOf } from '../paging';

/** A gate result as the CLI prints it. */
export function plainGate(g: GateResult__Output | null) {
  if (!g) return null;
  return { passed: g.passed, days: g.days,
    // Which 95% intervals decided: `pooled` (users and seeds of a seed-group evaluation) or `user` (one version's).
    intervals: g.intervals || 'user', seeds: g.seeds || 1, seed_group: g.seed_group || null,
    checks: g.checks.map((c) => ({ metric: c.metric, day: c.scope, condition: c.condition,
      candidate: c.candidate ?? null, baseline: c.baseline ?? null, op: c.op, threshold: c.threshold ?? null,
      ci95: c.ci95_low !== undefined && c.ci95_high !== undefined ? [c.ci95_low, c.ci95_high] : null, skipped: c.skipped,
      result: c.skipped ? 'skipped' : c.passed ? 'pass' : 'FAIL', note: c.note })) };
}

function gateRows(g: NonNullable<ReturnType<typeof plainGate>>) {
  const beats = (c: (typeof g.checks)[number]) => `beats ${c.condition.slice(6)}${c.ci95 ? ` (ci95 ${c.ci95[0].toFixed(4)}..${c.ci95[1].toFixed(4)})` : ''}`;
  return g.checks.map((c) => ({ metric: c.metric, day: c.day, candidate: c.candidate, baseline: c.baseline,
    threshold: c.condition.startsWith('beats:') ? beats(c) : c.threshold === null ? '-' : `${c.op} ${c.threshold.toFixed(4)}`,
    result: c.result, note: c.note }));
}

/** The CLI commands `promote`, `rollback` and `history` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'promote',
    summary: 'Move production to a version: the gate reads a named evaluation and must pass on every gated test day, or --force with --reason.',
    usage: '<model> <version-name-or-number>',
    flags: {
      force: { type: 'boolean', description: 'Skip the gate (needs --reason; audited as forced).' },
      reason: { type: 'string', description: 'Why, for the audit log.', placeholder: 'TEXT' },
      'dry-run': { type: 'boolean', description: 'Run the gate and show its table; change nothing.' },
      evaluation: { type: 'string', description: 'The evaluation the gate reads (default: the newest succeeded one of the gate\'s baseline, dataset, target and protocol).', placeholder: 'ID' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'promote <model> <version-name>');
      const version = need(args, 1, '<version-name>', 'promote <model> <version-name>');
      const force = bool(args, 'force');
      const reason = str(args, 'reason') ?? '';
      if (force && !reason.trim()) throw new UsageError('--force needs --reason "..." (it is written to the audit log)');
      const target = targetOf(args);
      const evaluation = str(args, 'evaluation');
      if (evaluation !== undefined && !evaluation) throw new UsageError('--evaluation: give an evaluation id (modelops evaluations list <model>)');
      const res = await call<object, PromoteModelVersionResponse__Output>(target, clientOf('RegistryService', target), 'PromoteModelVersion',
        { model, version, force, reason, validate_only: bool(args, 'dry-run'), ...(evaluation ? { evaluation_id: evaluation } : {}) });
      const gate = plainGate(res.gate);
      const out = { outcome: res.outcome, version: plainVersion(res.version), previous_version: res.previous_version || null,
        baseline_version: res.baseline_version || null, evaluation_id: res.evaluation_id || null, target: res.target || null,
        protocol: res.protocol || null, dataset_id: res.dataset_id || null, note: res.note, gate };
      emit(io, out, () => {
        if (res.evaluation_id) {
          io.out(`evaluation ${res.evaluation_id}: version ${res.version?.number ?? '?'} vs version ${res.baseline_version}, dataset ${res.dataset_id}, target ${res.target}, protocol ${res.protocol}`);
        }
        if (gate) io.out(`${table(gateRows(gate))}\n`);
        const v = out.version!;
        // A baseline without a gate table: the gate was due but found no evaluation to read, so it would refuse.
        if (res.outcome === 'checked') io.out(`dry run: the gate ${gate ? (gate.passed ? 'passes' : 'fails') : res.baseline_version ? 'refuses' : 'does not run'} (${res.note})`);
        else io.out(`${model}: production -> ${v.name} (version ${v.number}), ${res.outcome}; ${res.note}`);
      });
      if (res.outcome === 'checked' && (gate ? !gate.passed : res.baseline_version > 0)) return 1;
    },
  },
  {
    name: 'rollback',
    summary: 'Move production back to the version before it (from the audit history), or --to a named version.',
    usage: '<model>',
    flags: {
      to: { type: 'string', description: 'The version to roll back to (name or number).', placeholder: 'VERSION' },
      reason: { type: 'string', description: 'Why, for the audit log.', placeholder: 'TEXT' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'rollback <model> [--to VERSION]');
      const target = targetOf(args);
      const res = await call<object, RollbackModelResponse__Output>(target, clientOf('RegistryService', target), 'RollbackModel',
        { model, to_version: str(args, 'to') ?? '', reason: str(args, 'reason') ?? '' });
      const v = plainVersion(res.version);
      emit(io, { version: v, from_version: res.from_version }, () =>
        io.out(`${model}: production -> ${v!.name} (version ${v!.number}), rolled back from version ${res.from_version}`));
    },
  },
  {
    name: 'history',
    summary: 'Show a model\'s audit log (promotions, refusals, rollbacks, alias, gate and rollout changes), newest first.',
    usage: '<model>',
    flags: {
      action: { type: 'list', description: 'Only these actions: promote, rollback, alias-set, alias-delete, register, gate-set, model-create, rollout-start, rollout-ramp, rollout-stop, rollout-guardrail-stop.', placeholder: 'ACTION' },
      ...pageFlags('Events'),
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'history <model>');
      const target = targetOf(args);
      const res = await call<object, ListAuditEventsResponse__Output>(target, clientOf('RegistryService', target), 'ListAuditEvents',
        { model, actions: list(args, 'action'), ...pageOf(args) });
      const events = res.events.map((e) => ({
        id: e.id, time: isoTime(e.time),
        action: e.action, outcome: e.outcome, actor: e.actor, alias: e.alias || null, from: e.from_version || null, to: e.to_version || null,
        reason: e.reason, detail: e.detail_json ? JSON.parse(e.detail_json) as unknown : null,
      }));
      emitPage(io, 'events', events, res.next_page_token, () => {
        io.out(table(events.map(({ detail: _d, ...r }) => r)));
      });
    },
  },
];
