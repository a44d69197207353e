// Original file: proto/modelops/v1/training_service.proto


export interface ListTrainingJobsRequest {
  'model'?: (string);
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListTrainingJobsRequest__Output {
  'model': (string);
  'page_size': (number);
  'page_token': (string);
}
