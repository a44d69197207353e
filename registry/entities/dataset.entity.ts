// A dataset of the FeatureService (registry/dataset-store.ts reads and writes it with SQL).
import { EntitySchema } from 'typeorm';

/** One row of datasets. */
export interface DatasetRow {
  id: string;
  state: string;
  source: string;
  spec: Record<string, unknown>;
  counts: Record<string, number>;
  summary: Record<string, unknown>;
  progress: Record<string, unknown>;
  metaKey: string;
  metaSha256: string;
  shardCount: number;
  error: string;
  createdBy: string;
  createTime: Date;
  updateTime: Date;
}

export const DatasetEntity = new EntitySchema<DatasetRow>({
  name: 'Dataset',
  tableName: 'datasets',
  columns: {
    id: { type: 'text', primary: true },
    state: { type: 'text' },
    source: { type: 'text' },
    spec: { type: 'jsonb' },
    counts: { type: 'jsonb', default: {} },
    summary: { type: 'jsonb', default: {} },
    progress: { type: 'jsonb', default: {} },
    metaKey: { type: 'text', name: 'meta_key', default: '' },
    metaSha256: { type: 'text', name: 'meta_sha256', default: '' },
    shardCount: { type: 'integer', name: 'shard_count', default: 0 },
    error: { type: 'text', default: '' },
    createdBy: { type: 'text', name: 'created_by' },
    createTime: { type: 'timestamptz', name: 'create_time', createDate: true },
    updateTime: { type: 'timestamptz', name: 'update_time', updateDate: true },
  },
});
