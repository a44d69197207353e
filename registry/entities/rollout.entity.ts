// Rollouts and their weight history (registry/migrations/17643050000000-rollouts.ts); read through
// registry/rollout-store.ts, which maps rows to plain domain objects.
import { EntitySchema } from 'typeorm';
import type { Progression } from '../../ml/rollout/progression';

/** One stored arm: version name and number, weight in percent. */
export interface StoredArm {
  version: string;
  number: number;
  weight: number;
}

/** One row of rollouts. */
export interface RolloutRow {
  id: string;
  model: string;
  state: string;
  control: string;
  controlNumber: number;
  arms: StoredArm[];
  salt: string;
  shadow: { version: string; number: number }[];
  guardrails: { metric: string; maxDropPct: number; minViews: number }[];
  createdBy: string;
  startTime: Date;
  stopTime: Date | null;
  stopReason: string;
  stoppedBy: string;
  progression: Progression | null;
  /** The exploration share, 0..1. */
  exploreShare: number;
}

/** The TypeORM schema of the `rollouts` table (explicit column types: tsx emits no decorator metadata). */
export const RolloutEntity = new EntitySchema<RolloutRow>({
  name: 'Rollout',
  tableName: 'rollouts',
  columns: {
    id: { type: 'text', primary: true },
    model: { type: 'text' },
    state: { type: 'text' },
    control: { type: 'text' },
    controlNumber: { type: 'integer', name: 'control_number' },
    arms: { type: 'jsonb' },
    salt: { type: 'text' },
    shadow: { type: 'jsonb' },
    guardrails: { type: 'jsonb' },
    createdBy: { type: 'text', name: 'created_by' },
    startTime: { type: 'timestamptz', name: 'start_time' },
    stopTime: { type: 'timestamptz', name: 'stop_time', nullable: true },
    stopReason: { type: 'text', name: 'stop_reason' },
    stoppedBy: { type: 'text', name: 'stopped_by' },
    progression: { type: 'jsonb', nullable: true },
    exploreShare: { type: 'double precision', name: 'explore_share', default: 0 },
  },
});

/** One row of rollout_changes: the weights in force from `time` on. */
export interface RolloutChangeRow {
  id: string;
  rolloutId: string;
  time: Date;
  kind: string;
  arms: StoredArm[];
  actor: string;
  reason: string;
}

/** The TypeORM schema of the `rollout_changes` table (explicit column types: tsx emits no decorator metadata). */
export const RolloutChangeEntity = new EntitySchema<RolloutChangeRow>({
  name: 'RolloutChange',
  tableName: 'rollout_changes',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    rolloutId: { type: 'text', name: 'rollout_id' },
    time: { type: 'timestamptz' },
    kind: { type: 'text' },
    arms: { type: 'jsonb' },
    actor: { type: 'text' },
    reason: { type: 'text' },
  },
});
