// Original file: proto/modelops/v1/registry_service.proto


export interface GetGatePolicyRequest {
  'model'?: (string);
}

export interface GetGatePolicyRequest__Output {
  'model': (string);
}
