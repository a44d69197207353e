// Original file: proto/modelops/v1/feature_service.proto


export interface ImportEventsChunk {
  'file_name'?: (string);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ImportEventsChunk__Output {
  'file_name': (string);
  'data': (Buffer);
}
