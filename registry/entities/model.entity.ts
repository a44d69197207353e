// A model: one per market (e.g. feed-ranker-hi); the owner of versions, aliases, evaluations and audit events.
import { EntitySchema } from 'typeorm';

/** One row of models. */
export interface ModelRow {
  id: string;
  description: string;
  /** The number the next registered version gets; never reused, even when a registration fails. */
  nextVersion: number;
  createdBy: string;
  createTime: Date;
}

/** The TypeORM schema of the `models` table (explicit column types: tsx emits no decorator metadata). */
export const ModelEntity = new EntitySchema<ModelRow>({
  name: 'Model',
  tableName: 'models',
  columns: {
    id: { type: 'text', primary: true },
    description: { type: 'text', default: '' },
    nextVersion: { type: 'integer', name: 'next_version', default: 1 },
    createdBy: { type: 'text', name: 'created_by' },
    createTime: { type: 'timestamptz', name: 'create_time', createDate: true },
  },
});
