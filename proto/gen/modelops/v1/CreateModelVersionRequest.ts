// Original file: proto/modelops/v1/registry_service.proto

import type { ModelVersionHeader as _modelops_v1_ModelVersionHeader, ModelVersionHeader__Output as _modelops_v1_ModelVersionHeader__Output } from '../../modelops/v1/ModelVersionHeader';
import type { RegistryFileChunk as _modelops_v1_RegistryFileChunk, RegistryFileChunk__Output as _modelops_v1_RegistryFileChunk__Output } from '../../modelops/v1/RegistryFileChunk';

export interface CreateModelVersionRequest {
  'header'?: (_modelops_v1_ModelVersionHeader | null);
  'chunk'?: (_modelops_v1_RegistryFileChunk | null);
  'part'?: "header"|"chunk";
}

export interface CreateModelVersionRequest__Output {
  'header'?: (_modelops_v1_ModelVersionHeader__Output | null);
  'chunk'?: (_modelops_v1_RegistryFileChunk__Output | null);
  'part'?: "header"|"chunk";
}
