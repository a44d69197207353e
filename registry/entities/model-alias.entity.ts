// An alias (production, baseline, previous or a free one) pointing at one version of a model.
import { EntitySchema } from 'typeorm';

/** One row of model_aliases; at most one `production` per model (a partial unique index). */
export interface ModelAliasRow {
  model: string;
  alias: string;
  number: number;
  updatedBy: string;
  updateTime: Date;
}

/** The TypeORM schema of the `model_aliases` table (explicit column types: tsx emits no decorator metadata). */
export const ModelAliasEntity = new EntitySchema<ModelAliasRow>({
  name: 'ModelAlias',
  tableName: 'model_aliases',
  columns: {
    model: { type: 'text', primary: true },
    alias: { type: 'text', primary: true },
    number: { type: 'integer' },
    updatedBy: { type: 'text', name: 'updated_by' },
    updateTime: { type: 'timestamptz', name: 'update_time', updateDate: true },
  },
});
