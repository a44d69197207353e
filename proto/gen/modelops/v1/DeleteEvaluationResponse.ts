// Original file: proto/modelops/v1/evaluation_service.proto

import type { Evaluation as _modelops_v1_Evaluation, Evaluation__Output as _modelops_v1_Evaluation__Output } from '../../modelops/v1/Evaluation';
import type { Long } from '@grpc/proto-loader';

export interface DeleteEvaluationResponse {
  'evaluation'?: (_modelops_v1_Evaluation | null);
  'object_keys'?: (string)[];
  'object_bytes'?: (number | string | Long);
  'dry_run'?: (boolean);
  'objects_left'?: (string)[];
}

export interface DeleteEvaluationResponse__Output {
  'evaluation': (_modelops_v1_Evaluation__Output | null);
  'object_keys': (string)[];
  'object_bytes': (string);
  'dry_run': (boolean);
  'objects_left': (string)[];
}
