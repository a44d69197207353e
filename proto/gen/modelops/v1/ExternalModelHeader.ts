// Original file: proto/modelops/v1/registry_service.proto

import type { ModelInputSpec as _modelops_v1_ModelInputSpec, ModelInputSpec__Output as _modelops_v1_ModelInputSpec__Output } from '../../modelops/v1/ModelInputSpec';

export interface ExternalModelHeader {
  'model'?: (string);
  'version_name'?: (string);
  'task'?: (string);
  'label'?: (string);
  'input_signature'?: (_modelops_v1_ModelInputSpec)[];
  'tags'?: ({[key: string]: string});
  'origin'?: (string);
}

export interface ExternalModelHeader__Output {
  'model': (string);
  'version_name': (string);
  'task': (string);
  'label': (string);
  'input_signature': (_modelops_v1_ModelInputSpec__Output)[];
  'tags': ({[key: string]: string});
  'origin': (string);
}
