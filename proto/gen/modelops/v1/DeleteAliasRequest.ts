// Original file: proto/modelops/v1/registry_service.proto


export interface DeleteAliasRequest {
  'model'?: (string);
  'alias'?: (string);
  'reason'?: (string);
}

export interface DeleteAliasRequest__Output {
  'model': (string);
  'alias': (string);
  'reason': (string);
}
