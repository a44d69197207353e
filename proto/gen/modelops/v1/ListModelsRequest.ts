// Original file: proto/modelops/v1/registry_service.proto


export interface ListModelsRequest {
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListModelsRequest__Output {
  'page_size': (number);
  'page_token': (string);
}
