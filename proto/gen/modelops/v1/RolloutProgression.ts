// Original file: proto/modelops/v1/rollout_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface RolloutProgression {
  'treatment'?: (string);
  'steps'?: (number)[];
  'step_interval_seconds'?: (number | string);
  'step_min_views'?: (number | string | Long);
  'step'?: (number);
  'step_start_time'?: (_google_protobuf_Timestamp | null);
  'state'?: (string);
  'note'?: (string);
}

export interface RolloutProgression__Output {
  'treatment': (string);
  'steps': (number)[];
  'step_interval_seconds': (number);
  'step_min_views': (string);
  'step': (number);
  'step_start_time': (_google_protobuf_Timestamp__Output | null);
  'state': (string);
  'note': (string);
}
