// Original file: proto/modelops/v1/rollout_service.proto

import type { RolloutEstimate as _modelops_v1_RolloutEstimate, RolloutEstimate__Output as _modelops_v1_RolloutEstimate__Output } from '../../modelops/v1/RolloutEstimate';

export interface RolloutDifference {
  'arm'?: (string);
  'metric'?: (string);
  'absolute'?: (_modelops_v1_RolloutEstimate | null);
  'relative'?: (_modelops_v1_RolloutEstimate | null);
  'always_valid'?: (_modelops_v1_RolloutEstimate | null);
  'cuped_absolute'?: (_modelops_v1_RolloutEstimate | null);
  'variance_reduction'?: (number | string);
}

export interface RolloutDifference__Output {
  'arm': (string);
  'metric': (string);
  'absolute': (_modelops_v1_RolloutEstimate__Output | null);
  'relative': (_modelops_v1_RolloutEstimate__Output | null);
  'always_valid': (_modelops_v1_RolloutEstimate__Output | null);
  'cuped_absolute': (_modelops_v1_RolloutEstimate__Output | null);
  'variance_reduction': (number);
}
