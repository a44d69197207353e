// Original file: proto/modelops/v1/evaluation_service.proto


export interface CompareVersionsRequest {
  'model'?: (string);
  'versions'?: (string)[];
  'dataset_id'?: (string);
  'target'?: (string);
}

export interface CompareVersionsRequest__Output {
  'model': (string);
  'versions': (string)[];
  'dataset_id': (string);
  'target': (string);
}
