// A registered version of a model: its metadata and the keys + sha256 of its immutable artifacts.
import { EntitySchema } from 'typeorm';

/** One artifact of a version as stored in the row. */
export interface ArtifactRef {
  name: string;
  key: string;
  sha256: string;
  size: number;
}

/** One row of model_versions. */
export interface ModelVersionRow {
  model: string;
  number: number;
  name: string;
  arch: string;
  task: string;
  label: string;
  buckets: string;
  datasetId: string;
  hyperparameters: Record<string, unknown>;
  trainingMetrics: Record<string, number>;
  parity: Record<string, unknown> | null;
  backend: string;
  dataWindow: string;
  source: string;
  inputSignature: unknown[] | null;
  artifacts: ArtifactRef[];
  createdBy: string;
  createTime: Date;
  state: string;
  provenance: Record<string, unknown> | null;
}

/** The TypeORM schema of the `model_versions` table (explicit column types: tsx emits no decorator metadata). */
export const ModelVersionEntity = new EntitySchema<ModelVersionRow>({
  name: 'ModelVersion',
  tableName: 'model_versions',
  columns: {
    model: { type: 'text', primary: true },
    number: { type: 'integer', primary: true },
    name: { type: 'text' },
    arch: { type: 'text', default: '' },
    task: { type: 'text', default: '' },
    label: { type: 'text', default: '' },
    buckets: { type: 'text', default: '' },
    datasetId: { type: 'text', name: 'dataset_id', default: '' },
    hyperparameters: { type: 'jsonb' },
    trainingMetrics: { type: 'jsonb', name: 'training_metrics' },
    parity: { type: 'jsonb', nullable: true },
    backend: { type: 'text', default: '' },
    dataWindow: { type: 'text', name: 'data_window', default: '' },
    source: { type: 'text', default: 'trained' },
    inputSignature: { type: 'jsonb', name: 'input_signature', nullable: true },
    artifacts: { type: 'jsonb' },
    createdBy: { type: 'text', name: 'created_by' },
    createTime: { type: 'timestamptz', name: 'create_time', createDate: true },
    state: { type: 'text', default: 'ready' },
    provenance: { type: 'jsonb', nullable: true },
  },
});
