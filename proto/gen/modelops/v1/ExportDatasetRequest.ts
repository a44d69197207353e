// Original file: proto/modelops/v1/feature_service.proto


export interface ExportDatasetRequest {
  'name'?: (string);
  'part'?: (string);
}

export interface ExportDatasetRequest__Output {
  'name': (string);
  'part': (string);
}
