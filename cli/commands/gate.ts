// `modelops gate set|show`: a model's promotion gate policy — the evaluation it reads (target, protocol,
// dataset), the thresholds checked on every gated test day, and the sanity baselines the candidate must beat.
import { bool, list, need, num, str, UsageError, type Args, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, table } from '../output';
import type { GatePolicy__Output } from '../../proto/gen/modelops/v1/GatePolicy';
import type { GetGatePolicyResponse__Output } from '../../proto/gen/modelops/v1/GetGatePolicyResponse';
import type { SetGatePolicyResponse__Output } from '../../proto/gen/modelops/v1/SetGatePolicyResponse';
import {
  DEFAULT_GATE_POLICY, GATE_PROTOCOLS, MAX_GATE_SEEDS, SANITY_BASELINES, formatThreshold, parseThreshold, type MetricThreshold,
} from '../../services/registry/promotion-gate';
import { DomainError } from '../../core/errors';

function plainPolicy(p: GatePolicy__Output | null) {
  const thresholds = (p?.thresholds ?? []).map((t) => ({
    metric: t.metric, min_value: t.min_value ?? null, min_absolute_change: t.min_absolute_change ?? null,
    min_relative_change: t.min_relative_change ?? null, lower_is_better: t.lower_is_better,
    rule: formatThreshold({ metric: t.metric, minValue: t.min_value, minAbsoluteChange: t.min_absolute_change,
      minRelativeChange: t.min_relative_change, lowerIsBetter: t.lower_is_better }).join(' and '),
  }));
  return {
    // Null target and dataset follow the candidate: its training dataset, and that dataset's label.
    target: p?.target || null, protocol: p?.protocol || 'catalog', dataset_id: p?.dataset_id || null,
    must_beat: p?.must_beat ? p.must_beat.names : ['random', 'popular'],
    thresholds, include_overall: !!p?.include_overall,
    // 0: any evaluation; N: a seed-group evaluation of at least N seeds.
    min_seeds: p?.min_seeds ?? 0,
  };
}

/** Prints a policy: what the evaluation must be, what must beat what, and the thresholds. */
function printPolicy(out: (s: string) => void, head: string, policy: ReturnType<typeof plainPolicy>): void {
  out(head);
  out(`  evaluation: dataset ${policy.dataset_id ?? '(the candidate\'s training dataset)'}, target ${policy.target ?? '(the dataset\'s label)'}, protocol ${policy.protocol}`);
  out(`  must beat:  ${policy.must_beat.length ? policy.must_beat.join(', ') : 'no sanity baseline'} (on every counted metric)`);
  out(`  seeds:      ${policy.min_seeds ? `a seed-group evaluation of at least ${policy.min_seeds} seeds (evaluate --group)` : 'any evaluation'}; `
    + 'a group evaluation is decided on its means and pooled (users + seeds) intervals');
  out(`  every rule must hold on every gated test day${policy.include_overall ? ' and overall' : ''}; metrics the evaluation marks uninformative are skipped`);
  out(table(policy.thresholds.map((t) => ({ metric: t.metric, rule: t.rule }))));
}

/** The thresholds of --threshold rules, merged per metric (a metric may have several conditions). */
function thresholdsOf(rules: string[]): Record<string, unknown>[] {
  const byMetric = new Map<string, Record<string, unknown>>();
  for (const r of rules) {
    let t: MetricThreshold;
    try {
      t = parseThreshold(r);
    } catch (err) {
      if (err instanceof DomainError) throw new UsageError(`--threshold: ${err.message}`);
      throw err;
    }
    const cur = byMetric.get(t.metric) ?? { metric: t.metric, lower_is_better: !!t.lowerIsBetter };
    if (t.minValue !== undefined) cur.min_value = t.minValue;
    if (t.minAbsoluteChange !== undefined) cur.min_absolute_change = t.minAbsoluteChange;
    if (t.minRelativeChange !== undefined) cur.min_relative_change = t.minRelativeChange;
    byMetric.set(t.metric, cur);
  }
  return [...byMetric.values()];
}

/** --must-beat as the RPC takes it: unset (the default baselines), `none`, or names. */
function mustBeatOf(args: Args): { names: string[] } | undefined {
  if (args.flags['must-beat'] === undefined) return undefined;
  const names = list(args, 'must-beat').map((x) => x.trim()).filter((x) => x);
  if (names.length === 1 && names[0] === 'none') return { names: [] };
  const bad = names.filter((n) => !(SANITY_BASELINES as readonly string[]).includes(n));
  if (names.length === 0 || bad.length) {
    throw new UsageError(`--must-beat: ${bad.length ? `"${bad.join(', ')}" is not a sanity baseline` : 'give names'}; use ${SANITY_BASELINES.join(', ')} (comma-separated), or none`);
  }
  return { names };
}

/** The CLI commands `gate show|set` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'gate show',
    summary: 'Show the promotion gate policy of a model (its own, or the default): evaluation, sanity baselines, thresholds.',
    usage: '<model>',
    async run(args, io) {
      const model = need(args, 0, '<model>', 'gate show <model>');
      const target = targetOf(args);
      const res = await call<object, GetGatePolicyResponse__Output>(target, clientOf('RegistryService', target), 'GetGatePolicy', { model });
      const policy = plainPolicy(res.policy);
      emit(io, { model, policy, is_default: res.is_default, updated_by: res.updated_by || null }, () =>
        printPolicy(io.out, `${model}: ${res.is_default ? 'default policy' : `policy set by ${res.updated_by}`}`, policy));
    },
  },
  {
    name: 'gate set',
    summary: 'Set a model\'s gate (admin): the evaluation it reads, --threshold rules (default gauc, map, recall@50 >= baseline-0.005) and --must-beat.',
    usage: '<model>',
    flags: {
      target: { type: 'string', description: 'The target the evaluation must be of: wtg, wtg:pcc, wtg-quantile, p90, pcc98 (default: the dataset\'s label).', placeholder: 'LABEL' },
      protocol: { type: 'string', description: `The evaluation protocol the gate reads: ${GATE_PROTOCOLS.join(' or ')} (default catalog).`, placeholder: 'PROTOCOL' },
      dataset: { type: 'string', description: 'The dataset the evaluation must be on (default: the candidate\'s training dataset).', placeholder: 'ID' },
      threshold: { type: 'list', description: 'A rule METRIC>=baseline-X | METRIC>=baseline*F | METRIC>=V (<= for lower-is-better); repeatable.', placeholder: 'RULE' },
      'must-beat': { type: 'list', description: `Sanity baselines to beat on every counted metric: ${SANITY_BASELINES.join(', ')}, or none (default random,popular).`, placeholder: 'NAME,...' },
      'include-overall': { type: 'boolean', description: 'Also check the overall values, besides every day.' },
      'min-seeds': { type: 'number', description: `Require a seed-group evaluation (evaluate --group) of at least N seeds, 0 to ${MAX_GATE_SEEDS} (default 0: any evaluation).`, placeholder: 'N' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'gate set <model> [--target T] [--protocol P] [--dataset D] [--threshold RULE ...] [--must-beat NAMES] [--min-seeds N]');
      const protocol = str(args, 'protocol');
      if (protocol !== undefined && !(GATE_PROTOCOLS as readonly string[]).includes(protocol)) {
        throw new UsageError(`--protocol: "${protocol}" is not one of ${GATE_PROTOCOLS.join(', ')}`);
      }
      // Rules are comma-free, so the list flag's comma splitting cannot cut one apart.
      const rules = list(args, 'threshold');
      const thresholds = rules.length ? thresholdsOf(rules)
        : DEFAULT_GATE_POLICY.thresholds.map((t) => ({ metric: t.metric, min_absolute_change: t.minAbsoluteChange, lower_is_better: false }));
      const must = mustBeatOf(args);
      const minSeeds = num(args, 'min-seeds') ?? 0;
      if (!Number.isInteger(minSeeds) || minSeeds < 0 || minSeeds > MAX_GATE_SEEDS) {
        throw new UsageError(`--min-seeds: "${String(args.flags['min-seeds'])}" is not a whole number from 0 (any evaluation) to ${MAX_GATE_SEEDS}`);
      }
      const target = targetOf(args);
      const res = await call<object, SetGatePolicyResponse__Output>(target, clientOf('RegistryService', target), 'SetGatePolicy', {
        model, policy: { thresholds, include_overall: bool(args, 'include-overall'), target: str(args, 'target') ?? '',
          protocol: protocol ?? '', dataset_id: str(args, 'dataset') ?? '', ...(must ? { must_beat: must } : {}), min_seeds: minSeeds },
      });
      const policy = plainPolicy(res.policy);
      emit(io, { model, policy, updated_by: res.updated_by }, () =>
        printPolicy(io.out, `${model}: gate policy set${rules.length ? '' : ' (the default thresholds, as no --threshold was given)'}`, policy));
    },
  },
];
