// Original file: proto/modelops/v1/evaluation_service.proto


export interface CancelEvaluationRequest {
  'name'?: (string);
}

export interface CancelEvaluationRequest__Output {
  'name': (string);
}
