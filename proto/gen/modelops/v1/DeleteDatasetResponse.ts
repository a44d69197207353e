// Original file: proto/modelops/v1/feature_service.proto

import type { Dataset as _modelops_v1_Dataset, Dataset__Output as _modelops_v1_Dataset__Output } from '../../modelops/v1/Dataset';
import type { Long } from '@grpc/proto-loader';

export interface DeleteDatasetResponse {
  'dataset'?: (_modelops_v1_Dataset | null);
  'object_keys'?: (string)[];
  'object_bytes'?: (number | string | Long);
  'dry_run'?: (boolean);
  'objects_left'?: (string)[];
}

export interface DeleteDatasetResponse__Output {
  'dataset': (_modelops_v1_Dataset__Output | null);
  'object_keys': (string)[];
  'object_bytes': (string);
  'dry_run': (boolean);
  'objects_left': (string)[];
}
