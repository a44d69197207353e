// Original file: proto/modelops/v1/feature_service.proto

import type { FeatureRejection as _modelops_v1_FeatureRejection, FeatureRejection__Output as _modelops_v1_FeatureRejection__Output } from '../../modelops/v1/FeatureRejection';
import type { Long } from '@grpc/proto-loader';

export interface IngestEventsResponse {
  'views_inserted'?: (number | string | Long);
  'views_already_stored'?: (number | string | Long);
  'items_upserted'?: (number | string | Long);
  'rejections'?: (_modelops_v1_FeatureRejection)[];
  'users_refreshed'?: (number | string | Long);
  'items_refreshed'?: (number | string | Long);
}

export interface IngestEventsResponse__Output {
  'views_inserted': (string);
  'views_already_stored': (string);
  'items_upserted': (string);
  'rejections': (_modelops_v1_FeatureRejection__Output)[];
  'users_refreshed': (string);
  'items_refreshed': (string);
}
