// Original file: proto/modelops/v1/registry_service.proto

import type { Long } from '@grpc/proto-loader';

export interface CollectGarbageRequest {
  'grace_seconds'?: (number | string | Long);
  'dry_run'?: (boolean);
}

export interface CollectGarbageRequest__Output {
  'grace_seconds': (string);
  'dry_run': (boolean);
}
