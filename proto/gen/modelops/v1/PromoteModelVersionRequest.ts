// Original file: proto/modelops/v1/registry_service.proto


export interface PromoteModelVersionRequest {
  'model'?: (string);
  'version'?: (string);
  'force'?: (boolean);
  'reason'?: (string);
  'validate_only'?: (boolean);
}

export interface PromoteModelVersionRequest__Output {
  'model': (string);
  'version': (string);
  'force': (boolean);
  'reason': (string);
  'validate_only': (boolean);
}
