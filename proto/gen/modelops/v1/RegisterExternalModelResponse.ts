// Original file: proto/modelops/v1/registry_service.proto

import type { ModelVersion as _modelops_v1_ModelVersion, ModelVersion__Output as _modelops_v1_ModelVersion__Output } from '../../modelops/v1/ModelVersion';

export interface RegisterExternalModelResponse {
  'version'?: (_modelops_v1_ModelVersion | null);
}

export interface RegisterExternalModelResponse__Output {
  'version': (_modelops_v1_ModelVersion__Output | null);
}
