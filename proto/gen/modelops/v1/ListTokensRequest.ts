// Original file: proto/modelops/v1/auth_service.proto


export interface ListTokensRequest {
  'page_size'?: (number);
  'page_token'?: (string);
  'show_revoked'?: (boolean);
}

export interface ListTokensRequest__Output {
  'page_size': (number);
  'page_token': (string);
  'show_revoked': (boolean);
}
