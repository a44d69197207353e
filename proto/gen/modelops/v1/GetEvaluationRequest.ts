// Original file: proto/modelops/v1/evaluation_service.proto


export interface GetEvaluationRequest {
  'name'?: (string);
}

export interface GetEvaluationRequest__Output {
  'name': (string);
}
