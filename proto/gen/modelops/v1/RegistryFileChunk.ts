// Original file: proto/modelops/v1/registry_service.proto


export interface RegistryFileChunk {
  'file_name'?: (string);
  'data'?: (Buffer | Uint8Array | string);
}

export interface RegistryFileChunk__Output {
  'file_name': (string);
  'data': (Buffer);
}
