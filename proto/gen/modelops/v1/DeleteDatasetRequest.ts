// Original file: proto/modelops/v1/feature_service.proto


export interface DeleteDatasetRequest {
  'name'?: (string);
  'reason'?: (string);
  'dry_run'?: (boolean);
}

export interface DeleteDatasetRequest__Output {
  'name': (string);
  'reason': (string);
  'dry_run': (boolean);
}
