// Original file: proto/modelops/v1/rollout_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { RolloutArm as _modelops_v1_RolloutArm, RolloutArm__Output as _modelops_v1_RolloutArm__Output } from '../../modelops/v1/RolloutArm';

export interface RolloutChange {
  'time'?: (_google_protobuf_Timestamp | null);
  'kind'?: (string);
  'arms'?: (_modelops_v1_RolloutArm)[];
  'actor'?: (string);
  'reason'?: (string);
}

export interface RolloutChange__Output {
  'time': (_google_protobuf_Timestamp__Output | null);
  'kind': (string);
  'arms': (_modelops_v1_RolloutArm__Output)[];
  'actor': (string);
  'reason': (string);
}
