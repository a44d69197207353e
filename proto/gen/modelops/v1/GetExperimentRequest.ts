// Original file: proto/modelops/v1/experiment_service.proto


export interface GetExperimentRequest {
  'name'?: (string);
}

export interface GetExperimentRequest__Output {
  'name': (string);
}
