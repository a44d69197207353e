// Original file: proto/modelops/v1/evaluation_service.proto

import type { Evaluation as _modelops_v1_Evaluation, Evaluation__Output as _modelops_v1_Evaluation__Output } from '../../modelops/v1/Evaluation';

export interface CancelEvaluationResponse {
  'evaluation'?: (_modelops_v1_Evaluation | null);
}

export interface CancelEvaluationResponse__Output {
  'evaluation': (_modelops_v1_Evaluation__Output | null);
}
