// Original file: proto/modelops/v1/registry_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ModelInputSpec {
  'name'?: (string);
  'dtype'?: (string);
  'shape'?: (number | string | Long)[];
}

export interface ModelInputSpec__Output {
  'name': (string);
  'dtype': (string);
  'shape': (string)[];
}
