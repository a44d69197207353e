// Original file: proto/modelops/v1/evaluation_service.proto

import type { Evaluation as _modelops_v1_Evaluation, Evaluation__Output as _modelops_v1_Evaluation__Output } from '../../modelops/v1/Evaluation';

export interface ListEvaluationsResponse {
  'evaluations'?: (_modelops_v1_Evaluation)[];
  'next_page_token'?: (string);
}

export interface ListEvaluationsResponse__Output {
  'evaluations': (_modelops_v1_Evaluation__Output)[];
  'next_page_token': (string);
}
