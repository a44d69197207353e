// Original file: proto/modelops/v1/training_service.proto


export interface WatchTrainingJobRequest {
  'name'?: (string);
}

export interface WatchTrainingJobRequest__Output {
  'name': (string);
}
