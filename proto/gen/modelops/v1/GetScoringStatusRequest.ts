// Original file: proto/modelops/v1/scoring_service.proto


export interface GetScoringStatusRequest {
  'model'?: (string);
}

export interface GetScoringStatusRequest__Output {
  'model': (string);
}
