// Original file: proto/modelops/v1/feature_service.proto

import type { FeatureRejection as _modelops_v1_FeatureRejection, FeatureRejection__Output as _modelops_v1_FeatureRejection__Output } from '../../modelops/v1/FeatureRejection';
import type { Long } from '@grpc/proto-loader';

export interface ImportEventsResponse {
  'source'?: (string);
  'counts'?: ({[key: string]: number | string | Long});
  'rejections'?: (_modelops_v1_FeatureRejection)[];
  'notes'?: (string)[];
}

export interface ImportEventsResponse__Output {
  'source': (string);
  'counts': ({[key: string]: string});
  'rejections': (_modelops_v1_FeatureRejection__Output)[];
  'notes': (string)[];
}
