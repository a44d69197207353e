// Original file: proto/modelops/v1/rollout_service.proto

import type { Rollout as _modelops_v1_Rollout, Rollout__Output as _modelops_v1_Rollout__Output } from '../../modelops/v1/Rollout';
import type { RolloutArmReadout as _modelops_v1_RolloutArmReadout, RolloutArmReadout__Output as _modelops_v1_RolloutArmReadout__Output } from '../../modelops/v1/RolloutArmReadout';
import type { RolloutDifference as _modelops_v1_RolloutDifference, RolloutDifference__Output as _modelops_v1_RolloutDifference__Output } from '../../modelops/v1/RolloutDifference';
import type { RolloutShadowStats as _modelops_v1_RolloutShadowStats, RolloutShadowStats__Output as _modelops_v1_RolloutShadowStats__Output } from '../../modelops/v1/RolloutShadowStats';

export interface GetRolloutReportResponse {
  'rollout'?: (_modelops_v1_Rollout | null);
  'arms'?: (_modelops_v1_RolloutArmReadout)[];
  'differences'?: (_modelops_v1_RolloutDifference)[];
  'shadow'?: (_modelops_v1_RolloutShadowStats)[];
  'definitions'?: ({[key: string]: string});
  'breaches'?: (string)[];
}

export interface GetRolloutReportResponse__Output {
  'rollout': (_modelops_v1_Rollout__Output | null);
  'arms': (_modelops_v1_RolloutArmReadout__Output)[];
  'differences': (_modelops_v1_RolloutDifference__Output)[];
  'shadow': (_modelops_v1_RolloutShadowStats__Output)[];
  'definitions': ({[key: string]: string});
  'breaches': (string)[];
}
