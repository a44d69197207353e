// Original file: proto/modelops/v1/registry_service.proto

import type { ModelVersion as _modelops_v1_ModelVersion, ModelVersion__Output as _modelops_v1_ModelVersion__Output } from '../../modelops/v1/ModelVersion';
import type { Long } from '@grpc/proto-loader';

export interface DeleteModelVersionResponse {
  'version'?: (_modelops_v1_ModelVersion | null);
  'evaluation_ids'?: (string)[];
  'object_keys'?: (string)[];
  'object_bytes'?: (number | string | Long);
  'dry_run'?: (boolean);
  'objects_left'?: (string)[];
}

export interface DeleteModelVersionResponse__Output {
  'version': (_modelops_v1_ModelVersion__Output | null);
  'evaluation_ids': (string)[];
  'object_keys': (string)[];
  'object_bytes': (string);
  'dry_run': (boolean);
  'objects_left': (string)[];
}
