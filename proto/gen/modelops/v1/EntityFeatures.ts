// Original file: proto/modelops/v1/feature_service.proto

import type { FeatureStatus as _modelops_v1_FeatureStatus, FeatureStatus__Output as _modelops_v1_FeatureStatus__Output } from '../../modelops/v1/FeatureStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface EntityFeatures {
  'id'?: (string);
  'status'?: (_modelops_v1_FeatureStatus);
  'feature_time'?: (_google_protobuf_Timestamp | null);
  'categorical'?: (number)[];
  'dense'?: (number | string)[];
  'item_age'?: (number | string);
}

export interface EntityFeatures__Output {
  'id': (string);
  'status': (_modelops_v1_FeatureStatus__Output);
  'feature_time': (_google_protobuf_Timestamp__Output | null);
  'categorical': (number)[];
  'dense': (number)[];
  'item_age': (number);
}
