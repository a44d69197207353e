// Original file: proto/modelops/v1/rollout_service.proto


export interface StopRolloutRequest {
  'model'?: (string);
  'reason'?: (string);
}

export interface StopRolloutRequest__Output {
  'model': (string);
  'reason': (string);
}
