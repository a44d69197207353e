// Original file: proto/modelops/v1/registry_service.proto

import type { ModelVersion as _modelops_v1_ModelVersion, ModelVersion__Output as _modelops_v1_ModelVersion__Output } from '../../modelops/v1/ModelVersion';

export interface ListModelVersionsResponse {
  'versions'?: (_modelops_v1_ModelVersion)[];
  'next_page_token'?: (string);
}

export interface ListModelVersionsResponse__Output {
  'versions': (_modelops_v1_ModelVersion__Output)[];
  'next_page_token': (string);
}
