// Seed groups in evaluation: find a group's versions (the seed_group tag that `train --seeds N` sets), pair them
// with their baselines, and build the `group` part of a group evaluation's report from the per-seed evaluations
// (the estimator is ml/metrics/seed-pool.ts).
import type { ModelVersion, VersionStore } from '../../registry/version-store';
import { notFound } from '../../core/errors';
import { poolProtocol, type GroupProtocol, type SeedProtocolDeltas } from '../../ml/metrics/seed-pool';

/** The tag that names a version's seed group. */
export const SEED_GROUP_TAG = 'seed_group';

/** A version's training seed: its seed tag, else the seed its hyperparameters record. */
export function seedOf(v: ModelVersion): number | undefined {
  const s = v.tags.seed ?? v.hyperparameters.seed;
  const n = typeof s === 'number' ? s : typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** The versions of seed group `name`, by seed (then number); NOT_FOUND says how to train one. */
export async function seedGroupMembers(store: Pick<VersionStore, 'versionsTagged'>, model: string, name: string): Promise<ModelVersion[]> {
  const vs = await store.versionsTagged(model, SEED_GROUP_TAG, name);
  if (vs.length === 0) {
    throw notFound(`seed group "${name}" of model "${model}" has no versions; train one with \`modelops train ${model} ${name} --seeds N ...\``);
  }
  return vs.sort((a, b) => (seedOf(a) ?? 0) - (seedOf(b) ?? 0) || a.number - b.number);
}

/** One seed of a group evaluation. */
export interface GroupMember {
  candidate_version: string;
  candidate_number: number;
  seed: number | null;
  baseline_version: string;
  baseline_number: number;
  evaluation_id: string;
}

/** The `group` part of a group evaluation's report. */
export interface GroupReport {
  candidate_group: string;
  baseline_group: string | null;
  baseline_version: string | null;
  seeds: number;
  members: GroupMember[];
  estimator: string;
  protocols: Partial<Record<'viewed' | 'catalog', GroupProtocol>>;
}

/** The estimator in one sentence, stored with every group report so that its numbers name their meaning. */
export const GROUP_ESTIMATOR = 'delta = mean over seeds of each seed\'s delta; ci95_user = delta ± 1.96·se_user with se_user² = mean over seeds '
  + 'of (seed 95% user-bootstrap interval width / 3.92)²; ci95_pooled = delta ± t(0.975, df)·sqrt(se_user² + sd_seed²/S), sd_seed the '
  + 'standard deviation of the per-seed deltas, df by Welch–Satterthwaite with S − 1 degrees of freedom for the seed part';

/** Builds the group report from the members' stored reports (in seed order). */
export function groupReport(input: { group: string; baselineGroup: string | null; baselineVersion: string | null; members: GroupMember[];
  reports: { protocols?: Partial<Record<'viewed' | 'catalog', SeedProtocolDeltas>> }[] }): GroupReport {
  const protocols: GroupReport['protocols'] = {};
  for (const p of ['viewed', 'catalog'] as const) {
    const per = input.reports.map((r) => r.protocols?.[p]);
    if (per.length && per.every((x) => x)) protocols[p] = poolProtocol(per as SeedProtocolDeltas[]);
  }
  return {
    candidate_group: input.group, baseline_group: input.baselineGroup, baseline_version: input.baselineVersion, seeds: input.members.length,
    members: input.members, estimator: GROUP_ESTIMATOR, protocols,
  };
}
