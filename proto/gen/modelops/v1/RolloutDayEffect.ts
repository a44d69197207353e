// Original file: proto/modelops/v1/rollout_service.proto

import type { RolloutEstimate as _modelops_v1_RolloutEstimate, RolloutEstimate__Output as _modelops_v1_RolloutEstimate__Output } from '../../modelops/v1/RolloutEstimate';
import type { Long } from '@grpc/proto-loader';

export interface RolloutDayEffect {
  'arm'?: (string);
  'day'?: (number);
  'treatment_users'?: (number | string | Long);
  'control_users'?: (number | string | Long);
  'absolute'?: (_modelops_v1_RolloutEstimate | null);
  'relative'?: (_modelops_v1_RolloutEstimate | null);
}

export interface RolloutDayEffect__Output {
  'arm': (string);
  'day': (number);
  'treatment_users': (string);
  'control_users': (string);
  'absolute': (_modelops_v1_RolloutEstimate__Output | null);
  'relative': (_modelops_v1_RolloutEstimate__Output | null);
}
