// Original file: proto/modelops/v1/rollout_service.proto

import type { Rollout as _modelops_v1_Rollout, Rollout__Output as _modelops_v1_Rollout__Output } from '../../modelops/v1/Rollout';

export interface StopRolloutResponse {
  'rollout'?: (_modelops_v1_Rollout | null);
}

export interface StopRolloutResponse__Output {
  'rollout': (_modelops_v1_Rollout__Output | null);
}
