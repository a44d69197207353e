// Original file: proto/modelops/v1/rollout_service.proto

import type { RolloutState as _modelops_v1_RolloutState, RolloutState__Output as _modelops_v1_RolloutState__Output } from '../../modelops/v1/RolloutState';
import type { RolloutArm as _modelops_v1_RolloutArm, RolloutArm__Output as _modelops_v1_RolloutArm__Output } from '../../modelops/v1/RolloutArm';
import type { RolloutGuardrail as _modelops_v1_RolloutGuardrail, RolloutGuardrail__Output as _modelops_v1_RolloutGuardrail__Output } from '../../modelops/v1/RolloutGuardrail';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { RolloutChange as _modelops_v1_RolloutChange, RolloutChange__Output as _modelops_v1_RolloutChange__Output } from '../../modelops/v1/RolloutChange';
import type { RolloutProgression as _modelops_v1_RolloutProgression, RolloutProgression__Output as _modelops_v1_RolloutProgression__Output } from '../../modelops/v1/RolloutProgression';

export interface Rollout {
  'name'?: (string);
  'id'?: (string);
  'model'?: (string);
  'state'?: (_modelops_v1_RolloutState);
  'arms'?: (_modelops_v1_RolloutArm)[];
  'control'?: (string);
  'salt'?: (string);
  'shadow_versions'?: (string)[];
  'guardrails'?: (_modelops_v1_RolloutGuardrail)[];
  'created_by'?: (string);
  'start_time'?: (_google_protobuf_Timestamp | null);
  'stop_time'?: (_google_protobuf_Timestamp | null);
  'stop_reason'?: (string);
  'stopped_by'?: (string);
  'history'?: (_modelops_v1_RolloutChange)[];
  'progression'?: (_modelops_v1_RolloutProgression | null);
  'explore_share'?: (number | string);
}

export interface Rollout__Output {
  'name': (string);
  'id': (string);
  'model': (string);
  'state': (_modelops_v1_RolloutState__Output);
  'arms': (_modelops_v1_RolloutArm__Output)[];
  'control': (string);
  'salt': (string);
  'shadow_versions': (string)[];
  'guardrails': (_modelops_v1_RolloutGuardrail__Output)[];
  'created_by': (string);
  'start_time': (_google_protobuf_Timestamp__Output | null);
  'stop_time': (_google_protobuf_Timestamp__Output | null);
  'stop_reason': (string);
  'stopped_by': (string);
  'history': (_modelops_v1_RolloutChange__Output)[];
  'progression': (_modelops_v1_RolloutProgression__Output | null);
  'explore_share': (number);
}
