// Original file: proto/modelops/v1/rollout_service.proto


export interface GetRolloutRequest {
  'model'?: (string);
  'rollout_id'?: (string);
}

export interface GetRolloutRequest__Output {
  'model': (string);
  'rollout_id': (string);
}
