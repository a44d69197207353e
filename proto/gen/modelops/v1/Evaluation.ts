// Original file: proto/modelops/v1/evaluation_service.proto

import type { EvaluationState as _modelops_v1_EvaluationState, EvaluationState__Output as _modelops_v1_EvaluationState__Output } from '../../modelops/v1/EvaluationState';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Provenance as _modelops_v1_Provenance, Provenance__Output as _modelops_v1_Provenance__Output } from '../../modelops/v1/Provenance';

export interface Evaluation {
  'name'?: (string);
  'id'?: (string);
  'model'?: (string);
  'candidate_version'?: (string);
  'candidate_number'?: (number);
  'baseline_version'?: (string);
  'baseline_number'?: (number);
  'dataset_id'?: (string);
  'target'?: (string);
  'state'?: (_modelops_v1_EvaluationState);
  'progress'?: (number | string);
  'phase'?: (string);
  'error'?: (string);
  'report_json'?: (string);
  'ks'?: (number)[];
  'bootstrap_resamples'?: (number);
  'created_by'?: (string);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'update_time'?: (_google_protobuf_Timestamp | null);
  'protocol'?: (string);
  'kept_scores'?: (string);
  'group'?: (string);
  'baseline_group'?: (string);
  'member_evaluations'?: (string)[];
  'provenance'?: (_modelops_v1_Provenance | null);
}

export interface Evaluation__Output {
  'name': (string);
  'id': (string);
  'model': (string);
  'candidate_version': (string);
  'candidate_number': (number);
  'baseline_version': (string);
  'baseline_number': (number);
  'dataset_id': (string);
  'target': (string);
  'state': (_modelops_v1_EvaluationState__Output);
  'progress': (number);
  'phase': (string);
  'error': (string);
  'report_json': (string);
  'ks': (number)[];
  'bootstrap_resamples': (number);
  'created_by': (string);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'update_time': (_google_protobuf_Timestamp__Output | null);
  'protocol': (string);
  'kept_scores': (string);
  'group': (string);
  'baseline_group': (string);
  'member_evaluations': (string)[];
  'provenance': (_modelops_v1_Provenance__Output | null);
}
