// Original file: proto/modelops/v1/experiment_service.proto


export interface CreateExperimentRequest {
  'title'?: (string);
  'spec_json'?: (string);
  'row_names'?: (string)[];
  'code_version'?: (string);
}

export interface CreateExperimentRequest__Output {
  'title': (string);
  'spec_json': (string);
  'row_names': (string)[];
  'code_version': (string);
}
