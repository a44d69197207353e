// Original file: proto/modelops/v1/evaluation_service.proto

import type { Evaluation as _modelops_v1_Evaluation, Evaluation__Output as _modelops_v1_Evaluation__Output } from '../../modelops/v1/Evaluation';

export interface GetEvaluationResponse {
  'evaluation'?: (_modelops_v1_Evaluation | null);
}

export interface GetEvaluationResponse__Output {
  'evaluation': (_modelops_v1_Evaluation__Output | null);
}
