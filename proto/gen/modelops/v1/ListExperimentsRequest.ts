// Original file: proto/modelops/v1/experiment_service.proto


export interface ListExperimentsRequest {
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListExperimentsRequest__Output {
  'page_size': (number);
  'page_token': (string);
}
