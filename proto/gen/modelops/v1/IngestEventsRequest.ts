// Original file: proto/modelops/v1/feature_service.proto

import type { FeatureView as _modelops_v1_FeatureView, FeatureView__Output as _modelops_v1_FeatureView__Output } from '../../modelops/v1/FeatureView';
import type { FeatureItem as _modelops_v1_FeatureItem, FeatureItem__Output as _modelops_v1_FeatureItem__Output } from '../../modelops/v1/FeatureItem';

export interface IngestEventsRequest {
  'source'?: (string);
  'views'?: (_modelops_v1_FeatureView)[];
  'items'?: (_modelops_v1_FeatureItem)[];
}

export interface IngestEventsRequest__Output {
  'source': (string);
  'views': (_modelops_v1_FeatureView__Output)[];
  'items': (_modelops_v1_FeatureItem__Output)[];
}
