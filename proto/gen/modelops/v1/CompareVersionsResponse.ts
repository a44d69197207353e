// Original file: proto/modelops/v1/evaluation_service.proto

import type { ComparedVersion as _modelops_v1_ComparedVersion, ComparedVersion__Output as _modelops_v1_ComparedVersion__Output } from '../../modelops/v1/ComparedVersion';

export interface CompareVersionsResponse {
  'dataset_id'?: (string);
  'target'?: (string);
  'metrics'?: (string)[];
  'versions'?: (_modelops_v1_ComparedVersion)[];
}

export interface CompareVersionsResponse__Output {
  'dataset_id': (string);
  'target': (string);
  'metrics': (string)[];
  'versions': (_modelops_v1_ComparedVersion__Output)[];
}
