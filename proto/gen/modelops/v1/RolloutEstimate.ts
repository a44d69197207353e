// Original file: proto/modelops/v1/rollout_service.proto


export interface RolloutEstimate {
  'value'?: (number | string);
  'se'?: (number | string);
  'ci_low'?: (number | string);
  'ci_high'?: (number | string);
}

export interface RolloutEstimate__Output {
  'value': (number);
  'se': (number);
  'ci_low': (number);
  'ci_high': (number);
}
