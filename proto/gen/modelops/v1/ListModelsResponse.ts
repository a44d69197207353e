// Original file: proto/modelops/v1/registry_service.proto

import type { Model as _modelops_v1_Model, Model__Output as _modelops_v1_Model__Output } from '../../modelops/v1/Model';

export interface ListModelsResponse {
  'models'?: (_modelops_v1_Model)[];
  'next_page_token'?: (string);
}

export interface ListModelsResponse__Output {
  'models': (_modelops_v1_Model__Output)[];
  'next_page_token': (string);
}
