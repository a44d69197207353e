// Original file: proto/modelops/v1/feature_service.proto

import type { Long } from '@grpc/proto-loader';

export interface GetItemFeaturesRequest {
  'item_ids'?: (string)[];
  'source'?: (string);
  'max_age_seconds'?: (number | string | Long);
  'now_ms'?: (number | string | Long);
}

export interface GetItemFeaturesRequest__Output {
  'item_ids': (string)[];
  'source': (string);
  'max_age_seconds': (string);
  'now_ms': (string);
}
