// Original file: proto/modelops/v1/rollout_service.proto

import type { RolloutArm as _modelops_v1_RolloutArm, RolloutArm__Output as _modelops_v1_RolloutArm__Output } from '../../modelops/v1/RolloutArm';
import type { RolloutGuardrail as _modelops_v1_RolloutGuardrail, RolloutGuardrail__Output as _modelops_v1_RolloutGuardrail__Output } from '../../modelops/v1/RolloutGuardrail';
import type { Long } from '@grpc/proto-loader';

export interface StartRolloutRequest {
  'model'?: (string);
  'arms'?: (_modelops_v1_RolloutArm)[];
  'shadow_versions'?: (string)[];
  'guardrails'?: (_modelops_v1_RolloutGuardrail)[];
  'reason'?: (string);
  'salt'?: (string);
  'steps'?: (number)[];
  'step_interval_seconds'?: (number | string);
  'step_min_views'?: (number | string | Long);
  'explore_share'?: (number | string);
}

export interface StartRolloutRequest__Output {
  'model': (string);
  'arms': (_modelops_v1_RolloutArm__Output)[];
  'shadow_versions': (string)[];
  'guardrails': (_modelops_v1_RolloutGuardrail__Output)[];
  'reason': (string);
  'salt': (string);
  'steps': (number)[];
  'step_interval_seconds': (number);
  'step_min_views': (string);
  'explore_share': (number);
}
