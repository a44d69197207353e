// Original file: proto/modelops/v1/rollout_service.proto

import type { RolloutEstimate as _modelops_v1_RolloutEstimate, RolloutEstimate__Output as _modelops_v1_RolloutEstimate__Output } from '../../modelops/v1/RolloutEstimate';
import type { Long } from '@grpc/proto-loader';

export interface RolloutArmReadout {
  'arm'?: (string);
  'views'?: (number | string | Long);
  'users'?: (number | string | Long);
  'requests'?: (number | string | Long);
  'watch_time'?: (_modelops_v1_RolloutEstimate | null);
  'wtg_rate'?: (_modelops_v1_RolloutEstimate | null);
  'completion_rate'?: (_modelops_v1_RolloutEstimate | null);
  'control'?: (boolean);
  'watch_time_cuped'?: (_modelops_v1_RolloutEstimate | null);
  'users_with_covariate'?: (number | string | Long);
}

export interface RolloutArmReadout__Output {
  'arm': (string);
  'views': (string);
  'users': (string);
  'requests': (string);
  'watch_time': (_modelops_v1_RolloutEstimate__Output | null);
  'wtg_rate': (_modelops_v1_RolloutEstimate__Output | null);
  'completion_rate': (_modelops_v1_RolloutEstimate__Output | null);
  'control': (boolean);
  'watch_time_cuped': (_modelops_v1_RolloutEstimate__Output | null);
  'users_with_covariate': (string);
}
