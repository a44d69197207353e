// Original file: proto/modelops/v1/rollout_service.proto


export interface ListRolloutsRequest {
  'model'?: (string);
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListRolloutsRequest__Output {
  'model': (string);
  'page_size': (number);
  'page_token': (string);
}
