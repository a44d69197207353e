// Original file: proto/modelops/v1/feature_service.proto

import type { Long } from '@grpc/proto-loader';

export interface FeatureRejection {
  'file'?: (string);
  'line'?: (number | string | Long);
  'reason'?: (string);
}

export interface FeatureRejection__Output {
  'file': (string);
  'line': (string);
  'reason': (string);
}
