// Original file: proto/modelops/v1/rollout_service.proto

import type { Rollout as _modelops_v1_Rollout, Rollout__Output as _modelops_v1_Rollout__Output } from '../../modelops/v1/Rollout';
import type { RolloutArmReadout as _modelops_v1_RolloutArmReadout, RolloutArmReadout__Output as _modelops_v1_RolloutArmReadout__Output } from '../../modelops/v1/RolloutArmReadout';
import type { RolloutDifference as _modelops_v1_RolloutDifference, RolloutDifference__Output as _modelops_v1_RolloutDifference__Output } from '../../modelops/v1/RolloutDifference';
import type { RolloutShadowStats as _modelops_v1_RolloutShadowStats, RolloutShadowStats__Output as _modelops_v1_RolloutShadowStats__Output } from '../../modelops/v1/RolloutShadowStats';
import type { RolloutSrmCheck as _modelops_v1_RolloutSrmCheck, RolloutSrmCheck__Output as _modelops_v1_RolloutSrmCheck__Output } from '../../modelops/v1/RolloutSrmCheck';
import type { RolloutDayEffect as _modelops_v1_RolloutDayEffect, RolloutDayEffect__Output as _modelops_v1_RolloutDayEffect__Output } from '../../modelops/v1/RolloutDayEffect';

export interface GetRolloutReportResponse {
  'rollout'?: (_modelops_v1_Rollout | null);
  'arms'?: (_modelops_v1_RolloutArmReadout)[];
  'differences'?: (_modelops_v1_RolloutDifference)[];
  'shadow'?: (_modelops_v1_RolloutShadowStats)[];
  'definitions'?: ({[key: string]: string});
  'breaches'?: (string)[];
  'srm_flagged'?: (boolean);
  'srm'?: (_modelops_v1_RolloutSrmCheck)[];
  'effect_by_exposure_day'?: (_modelops_v1_RolloutDayEffect)[];
}

export interface GetRolloutReportResponse__Output {
  'rollout': (_modelops_v1_Rollout__Output | null);
  'arms': (_modelops_v1_RolloutArmReadout__Output)[];
  'differences': (_modelops_v1_RolloutDifference__Output)[];
  'shadow': (_modelops_v1_RolloutShadowStats__Output)[];
  'definitions': ({[key: string]: string});
  'breaches': (string)[];
  'srm_flagged': (boolean);
  'srm': (_modelops_v1_RolloutSrmCheck__Output)[];
  'effect_by_exposure_day': (_modelops_v1_RolloutDayEffect__Output)[];
}
