// Original file: proto/modelops/v1/feature_service.proto


export interface GetDatasetRequest {
  'name'?: (string);
}

export interface GetDatasetRequest__Output {
  'name': (string);
}
