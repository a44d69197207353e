// The append-only audit log of a model (a trigger refuses UPDATE and DELETE).
import { EntitySchema } from 'typeorm';

/** One row of audit_events. */
export interface AuditEventRow {
  id: string;
  model: string;
  action: string;
  actor: string;
  alias: string | null;
  fromVersion: number | null;
  toVersion: number | null;
  reason: string;
  outcome: string;
  detail: Record<string, unknown> | null;
  time: Date;
}

/** The TypeORM schema of the `audit_events` table (explicit column types: tsx emits no decorator metadata). */
export const AuditEventEntity = new EntitySchema<AuditEventRow>({
  name: 'AuditEvent',
  tableName: 'audit_events',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    model: { type: 'text' },
    action: { type: 'text' },
    actor: { type: 'text' },
    alias: { type: 'text', nullable: true },
    fromVersion: { type: 'integer', name: 'from_version', nullable: true },
    toVersion: { type: 'integer', name: 'to_version', nullable: true },
    reason: { type: 'text', default: '' },
    outcome: { type: 'text', default: 'done' },
    detail: { type: 'jsonb', nullable: true },
    time: { type: 'timestamptz' },
  },
});
