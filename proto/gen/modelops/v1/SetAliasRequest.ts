// Original file: proto/modelops/v1/registry_service.proto


export interface SetAliasRequest {
  'model'?: (string);
  'alias'?: (string);
  'version'?: (string);
  'reason'?: (string);
}

export interface SetAliasRequest__Output {
  'model': (string);
  'alias': (string);
  'version': (string);
  'reason': (string);
}
