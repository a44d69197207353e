// The promotion gate policy of a model (absent: the default policy).
import { EntitySchema } from 'typeorm';

/** One row of gate_policies. */
export interface GatePolicyRow {
  model: string;
  policy: Record<string, unknown>;
  updatedBy: string;
  updateTime: Date;
}

/** The TypeORM schema of the `gate_policies` table (explicit column types: tsx emits no decorator metadata). */
export const GatePolicyEntity = new EntitySchema<GatePolicyRow>({
  name: 'GatePolicy',
  tableName: 'gate_policies',
  columns: {
    model: { type: 'text', primary: true },
    policy: { type: 'jsonb' },
    updatedBy: { type: 'text', name: 'updated_by' },
    updateTime: { type: 'timestamptz', name: 'update_time', updateDate: true },
  },
});
