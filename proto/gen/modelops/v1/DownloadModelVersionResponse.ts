// Original file: proto/modelops/v1/registry_service.proto

import type { Long } from '@grpc/proto-loader';

export interface DownloadModelVersionResponse {
  'file_name'?: (string);
  'offset'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
  'size'?: (number | string | Long);
  'sha256'?: (string);
}

export interface DownloadModelVersionResponse__Output {
  'file_name': (string);
  'offset': (string);
  'data': (Buffer);
  'size': (string);
  'sha256': (string);
}
