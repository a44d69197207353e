// Original file: proto/modelops/v1/feature_service.proto

import type { EntityFeatures as _modelops_v1_EntityFeatures, EntityFeatures__Output as _modelops_v1_EntityFeatures__Output } from '../../modelops/v1/EntityFeatures';

export interface GetUserFeaturesResponse {
  'users'?: (_modelops_v1_EntityFeatures)[];
  'dense_names'?: (string)[];
}

export interface GetUserFeaturesResponse__Output {
  'users': (_modelops_v1_EntityFeatures__Output)[];
  'dense_names': (string)[];
}
