// Original file: proto/modelops/v1/registry_service.proto


export interface DeleteModelVersionRequest {
  'model'?: (string);
  'version'?: (string);
  'reason'?: (string);
  'dry_run'?: (boolean);
}

export interface DeleteModelVersionRequest__Output {
  'model': (string);
  'version': (string);
  'reason': (string);
  'dry_run': (boolean);
}
