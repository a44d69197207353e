// Original file: proto/modelops/v1/registry_service.proto


export interface RollbackModelRequest {
  'model'?: (string);
  'to_version'?: (string);
  'reason'?: (string);
}

export interface RollbackModelRequest__Output {
  'model': (string);
  'to_version': (string);
  'reason': (string);
}
