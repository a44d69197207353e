// Original file: proto/modelops/v1/rollout_service.proto


export interface GetRolloutReportRequest {
  'model'?: (string);
  'rollout_id'?: (string);
}

export interface GetRolloutReportRequest__Output {
  'model': (string);
  'rollout_id': (string);
}
