// Original file: proto/modelops/v1/experiment_service.proto

import type { ExperimentState as _modelops_v1_ExperimentState, ExperimentState__Output as _modelops_v1_ExperimentState__Output } from '../../modelops/v1/ExperimentState';
import type { ExperimentRow as _modelops_v1_ExperimentRow, ExperimentRow__Output as _modelops_v1_ExperimentRow__Output } from '../../modelops/v1/ExperimentRow';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Provenance as _modelops_v1_Provenance, Provenance__Output as _modelops_v1_Provenance__Output } from '../../modelops/v1/Provenance';

export interface Experiment {
  'name'?: (string);
  'id'?: (string);
  'title'?: (string);
  'spec_json'?: (string);
  'spec_sha256'?: (string);
  'state'?: (_modelops_v1_ExperimentState);
  'progress'?: (number | string);
  'phase'?: (string);
  'rows'?: (_modelops_v1_ExperimentRow)[];
  'report_json'?: (string);
  'report_markdown'?: (string);
  'plots'?: ({[key: string]: string});
  'error'?: (string);
  'code_version'?: (string);
  'created_by'?: (string);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'update_time'?: (_google_protobuf_Timestamp | null);
  'provenance'?: (_modelops_v1_Provenance | null);
}

export interface Experiment__Output {
  'name': (string);
  'id': (string);
  'title': (string);
  'spec_json': (string);
  'spec_sha256': (string);
  'state': (_modelops_v1_ExperimentState__Output);
  'progress': (number);
  'phase': (string);
  'rows': (_modelops_v1_ExperimentRow__Output)[];
  'report_json': (string);
  'report_markdown': (string);
  'plots': ({[key: string]: string});
  'error': (string);
  'code_version': (string);
  'created_by': (string);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'update_time': (_google_protobuf_Timestamp__Output | null);
  'provenance': (_modelops_v1_Provenance__Output | null);
}
