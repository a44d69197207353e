// Original file: proto/modelops/v1/registry_service.proto

import type { Model as _modelops_v1_Model, Model__Output as _modelops_v1_Model__Output } from '../../modelops/v1/Model';

export interface DeleteAliasResponse {
  'model'?: (_modelops_v1_Model | null);
}

export interface DeleteAliasResponse__Output {
  'model': (_modelops_v1_Model__Output | null);
}
