// Original file: proto/modelops/v1/evaluation_service.proto


export interface DeleteEvaluationRequest {
  'name'?: (string);
  'reason'?: (string);
  'dry_run'?: (boolean);
}

export interface DeleteEvaluationRequest__Output {
  'name': (string);
  'reason': (string);
  'dry_run': (boolean);
}
