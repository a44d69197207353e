// An evaluation of a candidate version against a baseline (written by the evaluation service through the
// registry store; read by the promotion gate).
import { EntitySchema } from 'typeorm';

/** One row of evaluations. */
export interface EvaluationRow {
  id: string;
  model: string;
  candidate: number;
  baseline: number | null;
  datasetId: string;
  target: string;
  state: string;
  report: Record<string, unknown> | null;
  error: string | null;
  params: Record<string, unknown> | null;
  progress: number;
  createdBy: string;
  createTime: Date;
  updateTime: Date;
}

/** The TypeORM schema of the `evaluations` table (explicit column types: tsx emits no decorator metadata). */
export const EvaluationEntity = new EntitySchema<EvaluationRow>({
  name: 'Evaluation',
  tableName: 'evaluations',
  columns: {
    id: { type: 'text', primary: true },
    model: { type: 'text' },
    candidate: { type: 'integer' },
    baseline: { type: 'integer', nullable: true },
    datasetId: { type: 'text', name: 'dataset_id', default: '' },
    target: { type: 'text', default: '' },
    state: { type: 'text' },
    report: { type: 'jsonb', nullable: true },
    error: { type: 'text', nullable: true },
    params: { type: 'jsonb', nullable: true },
    progress: { type: 'double precision', default: 0 },
    createdBy: { type: 'text', name: 'created_by' },
    createTime: { type: 'timestamptz', name: 'create_time', createDate: true },
    updateTime: { type: 'timestamptz', name: 'update_time', updateDate: true },
  },
});
