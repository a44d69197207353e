// Original file: proto/modelops/v1/feature_service.proto


export interface ExportDatasetChunk {
  'rows'?: (number);
  'user_ids'?: (string)[];
  'item_ids'?: (string)[];
  'values'?: (number | string)[];
}

export interface ExportDatasetChunk__Output {
  'rows': (number);
  'user_ids': (string)[];
  'item_ids': (string)[];
  'values': (number)[];
}
