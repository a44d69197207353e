// Original file: proto/modelops/v1/training_service.proto


export interface GetTrainingJobRequest {
  'name'?: (string);
}

export interface GetTrainingJobRequest__Output {
  'name': (string);
}
