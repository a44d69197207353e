// Original file: proto/modelops/v1/registry_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ModelArtifact {
  'name'?: (string);
  'key'?: (string);
  'sha256'?: (string);
  'size'?: (number | string | Long);
}

export interface ModelArtifact__Output {
  'name': (string);
  'key': (string);
  'sha256': (string);
  'size': (string);
}
