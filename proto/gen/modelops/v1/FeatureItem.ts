// Original file: proto/modelops/v1/feature_service.proto

import type { Long } from '@grpc/proto-loader';

export interface FeatureItem {
  'item_id'?: (string);
  'creator_id'?: (string);
  'language'?: (string);
  'created_at'?: (number | string | Long);
  'video_length_s'?: (number | string);
  'embedding'?: (number | string)[];
}

export interface FeatureItem__Output {
  'item_id': (string);
  'creator_id': (string);
  'language': (string);
  'created_at': (string);
  'video_length_s': (number);
  'embedding': (number)[];
}
