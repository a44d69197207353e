// Original file: proto/modelops/v1/registry_service.proto


export interface ListModelVersionsRequest {
  'model'?: (string);
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListModelVersionsRequest__Output {
  'model': (string);
  'page_size': (number);
  'page_token': (string);
}
