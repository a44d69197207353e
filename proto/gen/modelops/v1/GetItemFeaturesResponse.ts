// Original file: proto/modelops/v1/feature_service.proto

import type { EntityFeatures as _modelops_v1_EntityFeatures, EntityFeatures__Output as _modelops_v1_EntityFeatures__Output } from '../../modelops/v1/EntityFeatures';

export interface GetItemFeaturesResponse {
  'items'?: (_modelops_v1_EntityFeatures)[];
  'dense_names'?: (string)[];
}

export interface GetItemFeaturesResponse__Output {
  'items': (_modelops_v1_EntityFeatures__Output)[];
  'dense_names': (string)[];
}
