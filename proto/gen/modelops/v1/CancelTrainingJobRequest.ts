// Original file: proto/modelops/v1/training_service.proto


export interface CancelTrainingJobRequest {
  'name'?: (string);
}

export interface CancelTrainingJobRequest__Output {
  'name': (string);
}
