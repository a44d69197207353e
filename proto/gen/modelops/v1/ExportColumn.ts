// Original file: proto/modelops/v1/feature_service.proto


export interface ExportColumn {
  'name'?: (string);
  'type'?: (string);
}

export interface ExportColumn__Output {
  'name': (string);
  'type': (string);
}
