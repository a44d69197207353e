// Original file: proto/modelops/v1/experiment_service.proto

import type { Provenance as _modelops_v1_Provenance, Provenance__Output as _modelops_v1_Provenance__Output } from '../../modelops/v1/Provenance';

export interface CreateExperimentRequest {
  'title'?: (string);
  'spec_json'?: (string);
  'row_names'?: (string)[];
  'code_version'?: (string);
  'provenance'?: (_modelops_v1_Provenance | null);
}

export interface CreateExperimentRequest__Output {
  'title': (string);
  'spec_json': (string);
  'row_names': (string)[];
  'code_version': (string);
  'provenance': (_modelops_v1_Provenance__Output | null);
}
