// `modelops gate set|show`: a model's promotion gate policy (thresholds checked on every held-out day).
import { bool, list, need, UsageError, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, table } from '../output';
import type { GatePolicy__Output } from '../../proto/gen/modelops/v1/GatePolicy';
import type { GetGatePolicyResponse__Output } from '../../proto/gen/modelops/v1/GetGatePolicyResponse';
import type { SetGatePolicyResponse__Output } from '../../proto/gen/modelops/v1/SetGatePolicyResponse';
import { formatThreshold, parseThreshold } from '../../registry/promotion-gate';
import { DomainError } from '../../core/errors';

function plainPolicy(p: GatePolicy__Output | null) {
  const thresholds = (p?.thresholds ?? []).map((t) => ({
    metric: t.metric, min_value: t.min_value ?? null, min_absolute_change: t.min_absolute_change ?? null,
    min_relative_change: t.min_relative_change ?? null, lower_is_better: t.lower_is_better,
    rule: formatThreshold({ metric: t.metric, minValue: t.min_value, minAbsoluteChange: t.min_absolute_change,
      minRelativeChange: t.min_relative_change, lowerIsBetter: t.lower_is_better }).join(' and '),
  }));
  return { thresholds, include_overall: !!p?.include_overall };
}

/** The CLI commands `gate show|set` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'gate show',
    summary: 'Show the promotion gate policy of a model (its own, or the default).',
    usage: '<model>',
    async run(args, io) {
      const model = need(args, 0, '<model>', 'gate show <model>');
      const target = targetOf(args);
      const res = await call<object, GetGatePolicyResponse__Output>(target, clientOf('RegistryService', target), 'GetGatePolicy', { model });
      const policy = plainPolicy(res.policy);
      emit(io, { model, policy, is_default: res.is_default, updated_by: res.updated_by || null }, () => {
        io.out(`${model}: ${res.is_default ? 'default policy' : `policy set by ${res.updated_by}`}; every rule must hold on every held-out day${policy.include_overall ? ' and overall' : ''}`);
        io.out(table(policy.thresholds.map((t) => ({ metric: t.metric, rule: t.rule }))));
      });
    },
  },
  {
    name: 'gate set',
    summary: 'Set a model\'s gate (admin): --threshold "recall@10>=baseline-0.005" (or >=baseline*0.99, >=0.6), repeatable.',
    usage: '<model>',
    flags: {
      threshold: { type: 'list', description: 'A rule METRIC>=baseline-X | METRIC>=baseline*F | METRIC>=V (<= for lower-is-better); repeatable.', placeholder: 'RULE' },
      'include-overall': { type: 'boolean', description: 'Also check the overall values, besides every day.' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'gate set <model> --threshold RULE ...');
      // Rules are comma-free, so the list flag's comma splitting cannot cut one apart.
      const rules = list(args, 'threshold');
      if (rules.length === 0) throw new UsageError('--threshold: give at least one rule, e.g. --threshold "recall@10>=baseline-0.005"');
      const byMetric = new Map<string, Record<string, unknown>>();
      for (const r of rules) {
        let t;
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
      const target = targetOf(args);
      const res = await call<object, SetGatePolicyResponse__Output>(target, clientOf('RegistryService', target), 'SetGatePolicy',
        { model, policy: { thresholds: [...byMetric.values()], include_overall: bool(args, 'include-overall') } });
      const policy = plainPolicy(res.policy);
      emit(io, { model, policy, updated_by: res.updated_by }, () => {
        io.out(`${model}: gate policy set`);
        io.out(table(policy.thresholds.map((t) => ({ metric: t.metric, rule: t.rule }))));
      });
    },
  },
];
