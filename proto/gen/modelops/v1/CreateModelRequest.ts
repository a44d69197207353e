// Original file: proto/modelops/v1/registry_service.proto


export interface CreateModelRequest {
  'model_id'?: (string);
  'description'?: (string);
}

export interface CreateModelRequest__Output {
  'model_id': (string);
  'description': (string);
}
