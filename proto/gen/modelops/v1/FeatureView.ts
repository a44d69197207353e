// Original file: proto/modelops/v1/feature_service.proto

import type { Long } from '@grpc/proto-loader';

export interface FeatureView {
  'user_id'?: (string);
  'item_id'?: (string);
  'creator_id'?: (string);
  'ts'?: (number | string | Long);
  'language'?: (string);
  'video_length_s'?: (number | string);
  'timespent_s'?: (number | string);
  'liked'?: (boolean);
  'shared'?: (boolean);
  'downloaded'?: (boolean);
  'handset_maker'?: (string);
}

export interface FeatureView__Output {
  'user_id': (string);
  'item_id': (string);
  'creator_id': (string);
  'ts': (string);
  'language': (string);
  'video_length_s': (number);
  'timespent_s': (number);
  'liked': (boolean);
  'shared': (boolean);
  'downloaded': (boolean);
  'handset_maker': (string);
}
