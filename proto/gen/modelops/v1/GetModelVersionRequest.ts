// Original file: proto/modelops/v1/registry_service.proto


export interface GetModelVersionRequest {
  'model'?: (string);
  'version'?: (string);
}

export interface GetModelVersionRequest__Output {
  'model': (string);
  'version': (string);
}
