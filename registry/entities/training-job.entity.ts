// A training job of the TrainingService (registry/job-store.ts reads and writes it with SQL).
import { EntitySchema } from 'typeorm';

/** One row of training_jobs. */
export interface TrainingJobRow {
  id: string;
  model: string;
  versionName: string;
  datasetId: string;
  arch: string;
  task: string;
  hyperparameters: Record<string, unknown>;
  seed: string;
  state: string;
  progress: Record<string, unknown>;
  metrics: Record<string, number>;
  backend: string;
  versionNumber: number | null;
  error: string;
  dataWindow: string;
  cancelRequested: boolean;
  owner: string | null;
  lockKey: string;
  createdBy: string;
  createTime: Date;
  startTime: Date | null;
  endTime: Date | null;
  updateTime: Date;
  seedGroup: string;
}

export const TrainingJobEntity = new EntitySchema<TrainingJobRow>({
  name: 'TrainingJob',
  tableName: 'training_jobs',
  columns: {
    id: { type: 'text', primary: true },
    model: { type: 'text' },
    versionName: { type: 'text', name: 'version_name' },
    datasetId: { type: 'text', name: 'dataset_id' },
    arch: { type: 'text' },
    task: { type: 'text' },
    hyperparameters: { type: 'jsonb' },
    seed: { type: 'bigint' },
    state: { type: 'text' },
    progress: { type: 'jsonb', default: {} },
    metrics: { type: 'jsonb', default: {} },
    backend: { type: 'text', default: '' },
    versionNumber: { type: 'integer', name: 'version_number', nullable: true },
    error: { type: 'text', default: '' },
    dataWindow: { type: 'text', name: 'data_window', default: '' },
    cancelRequested: { type: 'boolean', name: 'cancel_requested', default: false },
    owner: { type: 'text', nullable: true },
    lockKey: { type: 'bigint', name: 'lock_key', generated: 'increment' },
    createdBy: { type: 'text', name: 'created_by' },
    createTime: { type: 'timestamptz', name: 'create_time', createDate: true },
    startTime: { type: 'timestamptz', name: 'start_time', nullable: true },
    endTime: { type: 'timestamptz', name: 'end_time', nullable: true },
    updateTime: { type: 'timestamptz', name: 'update_time' },
    seedGroup: { type: 'text', name: 'seed_group', default: '' },
  },
});
