// Original file: proto/modelops/v1/experiment_service.proto

import type { ExperimentState as _modelops_v1_ExperimentState, ExperimentState__Output as _modelops_v1_ExperimentState__Output } from '../../modelops/v1/ExperimentState';
import type { ExperimentRow as _modelops_v1_ExperimentRow, ExperimentRow__Output as _modelops_v1_ExperimentRow__Output } from '../../modelops/v1/ExperimentRow';
import type { Provenance as _modelops_v1_Provenance, Provenance__Output as _modelops_v1_Provenance__Output } from '../../modelops/v1/Provenance';

export interface UpdateExperimentRequest {
  'name'?: (string);
  'state'?: (_modelops_v1_ExperimentState);
  'progress'?: (number | string);
  'phase'?: (string);
  'rows'?: (_modelops_v1_ExperimentRow)[];
  'report_json'?: (string);
  'report_markdown'?: (string);
  'plots'?: ({[key: string]: string});
  'error'?: (string);
  'code_version'?: (string);
  'provenance'?: (_modelops_v1_Provenance | null);
  '_progress'?: "progress";
  '_phase'?: "phase";
  '_report_json'?: "report_json";
  '_report_markdown'?: "report_markdown";
  '_error'?: "error";
  '_code_version'?: "code_version";
}

export interface UpdateExperimentRequest__Output {
  'name': (string);
  'state': (_modelops_v1_ExperimentState__Output);
  'progress'?: (number);
  'phase'?: (string);
  'rows': (_modelops_v1_ExperimentRow__Output)[];
  'report_json'?: (string);
  'report_markdown'?: (string);
  'plots': ({[key: string]: string});
  'error'?: (string);
  'code_version'?: (string);
  'provenance': (_modelops_v1_Provenance__Output | null);
  '_progress'?: "progress";
  '_phase'?: "phase";
  '_report_json'?: "report_json";
  '_report_markdown'?: "report_markdown";
  '_error'?: "error";
  '_code_version'?: "code_version";
}
