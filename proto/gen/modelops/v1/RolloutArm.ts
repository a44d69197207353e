// Original file: proto/modelops/v1/rollout_service.proto


export interface RolloutArm {
  'version'?: (string);
  'weight'?: (number);
  'version_number'?: (number);
  'control'?: (boolean);
}

export interface RolloutArm__Output {
  'version': (string);
  'weight': (number);
  'version_number': (number);
  'control': (boolean);
}
