// Original file: proto/modelops/v1/rollout_service.proto

import type { RolloutArm as _modelops_v1_RolloutArm, RolloutArm__Output as _modelops_v1_RolloutArm__Output } from '../../modelops/v1/RolloutArm';

export interface RampRolloutRequest {
  'model'?: (string);
  'arms'?: (_modelops_v1_RolloutArm)[];
  'reason'?: (string);
  'force'?: (boolean);
}

export interface RampRolloutRequest__Output {
  'model': (string);
  'arms': (_modelops_v1_RolloutArm__Output)[];
  'reason': (string);
  'force': (boolean);
}
