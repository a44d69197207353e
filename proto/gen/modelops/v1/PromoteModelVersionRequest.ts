// Original file: proto/modelops/v1/registry_service.proto


export interface PromoteModelVersionRequest {
  'model'?: (string);
  'version'?: (string);
  'force'?: (boolean);
  'reason'?: (string);
  'validate_only'?: (boolean);
  'evaluation_id'?: (string);
  '_evaluation_id'?: "evaluation_id";
}

export interface PromoteModelVersionRequest__Output {
  'model': (string);
  'version': (string);
  'force': (boolean);
  'reason': (string);
  'validate_only': (boolean);
  'evaluation_id'?: (string);
  '_evaluation_id'?: "evaluation_id";
}
