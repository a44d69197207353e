// Original file: proto/modelops/v1/auth_service.proto


export interface RevokeTokenRequest {
  'name'?: (string);
}

export interface RevokeTokenRequest__Output {
  'name': (string);
}
