// Original file: proto/modelops/v1/evaluation_service.proto


export interface ListEvaluationsRequest {
  'model'?: (string);
  'version'?: (string);
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListEvaluationsRequest__Output {
  'model': (string);
  'version': (string);
  'page_size': (number);
  'page_token': (string);
}
