// Experiments (ExperimentService): a specification, its progress row by row, and its report.
import { EntitySchema } from 'typeorm';

/** One row of an experiment as stored (jsonb). */
export interface ExperimentRowRecord {
  name: string;
  state: string;
  detail: string;
  datasetIds: string[];
  versions: string[];
  evaluationIds: string[];
  trainingSeconds: number[];
}

/** One row of the experiments table. */
export interface ExperimentDbRow {
  id: string;
  title: string;
  spec: Record<string, unknown>;
  specSha256: string;
  state: string;
  progress: number;
  phase: string;
  rows: ExperimentRowRecord[];
  reportJson: string;
  reportMarkdown: string;
  plots: Record<string, string>;
  error: string;
  codeVersion: string;
  /** Provenance (core/provenance.ts) of the runner's numbers; null before it was recorded. */
  provenance: Record<string, unknown> | null;
  createdBy: string;
  createTime: Date;
  updateTime: Date;
}

export const ExperimentEntity = new EntitySchema<ExperimentDbRow>({
  name: 'Experiment',
  tableName: 'experiments',
  columns: {
    id: { type: 'text', primary: true },
    title: { type: 'text' },
    spec: { type: 'jsonb' },
    specSha256: { type: 'text', name: 'spec_sha256', unique: true },
    state: { type: 'text' },
    progress: { type: 'double precision', default: 0 },
    phase: { type: 'text', default: '' },
    rows: { type: 'jsonb', default: () => "'[]'" },
    reportJson: { type: 'text', name: 'report_json', default: '' },
    reportMarkdown: { type: 'text', name: 'report_markdown', default: '' },
    plots: { type: 'jsonb', default: () => "'{}'" },
    error: { type: 'text', default: '' },
    codeVersion: { type: 'text', name: 'code_version', default: '' },
    provenance: { type: 'jsonb', nullable: true },
    createdBy: { type: 'text', name: 'created_by' },
    createTime: { type: 'timestamptz', name: 'create_time', createDate: true },
    updateTime: { type: 'timestamptz', name: 'update_time', updateDate: true },
  },
});
