// Original file: proto/modelops/v1/evaluation_service.proto

import type { EvaluationProtocol as _modelops_v1_EvaluationProtocol, EvaluationProtocol__Output as _modelops_v1_EvaluationProtocol__Output } from '../../modelops/v1/EvaluationProtocol';

export interface ExportEvaluationScoresRequest {
  'name'?: (string);
  'protocol'?: (_modelops_v1_EvaluationProtocol);
}

export interface ExportEvaluationScoresRequest__Output {
  'name': (string);
  'protocol': (_modelops_v1_EvaluationProtocol__Output);
}
