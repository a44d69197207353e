// Original file: proto/modelops/v1/rollout_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface RolloutOutcome {
  'request_id'?: (string);
  'user_id'?: (string);
  'item_id'?: (string);
  'timespent_s'?: (number | string);
  'video_length_s'?: (number | string);
  'liked'?: (boolean);
  'shared'?: (boolean);
  'time'?: (_google_protobuf_Timestamp | null);
  'handset_maker'?: (string);
}

export interface RolloutOutcome__Output {
  'request_id': (string);
  'user_id': (string);
  'item_id': (string);
  'timespent_s': (number);
  'video_length_s': (number);
  'liked': (boolean);
  'shared': (boolean);
  'time': (_google_protobuf_Timestamp__Output | null);
  'handset_maker': (string);
}
