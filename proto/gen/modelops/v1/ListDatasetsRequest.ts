// Original file: proto/modelops/v1/feature_service.proto


export interface ListDatasetsRequest {
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListDatasetsRequest__Output {
  'page_size': (number);
  'page_token': (string);
}
