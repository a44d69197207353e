// Original file: proto/modelops/v1/registry_service.proto

import type { GarbageObject as _modelops_v1_GarbageObject, GarbageObject__Output as _modelops_v1_GarbageObject__Output } from '../../modelops/v1/GarbageObject';
import type { Long } from '@grpc/proto-loader';

export interface CollectGarbageResponse {
  'objects'?: (_modelops_v1_GarbageObject)[];
  'count'?: (number | string | Long);
  'bytes'?: (number | string | Long);
  'scanned'?: (number | string | Long);
  'young'?: (number | string | Long);
  'grace_seconds'?: (number | string | Long);
  'dry_run'?: (boolean);
  'failed'?: (string)[];
  'reservations_removed'?: (number | string | Long);
}

export interface CollectGarbageResponse__Output {
  'objects': (_modelops_v1_GarbageObject__Output)[];
  'count': (string);
  'bytes': (string);
  'scanned': (string);
  'young': (string);
  'grace_seconds': (string);
  'dry_run': (boolean);
  'failed': (string)[];
  'reservations_removed': (string);
}
