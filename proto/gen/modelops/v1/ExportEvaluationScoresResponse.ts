// Original file: proto/modelops/v1/evaluation_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ExportEvaluationScoresResponse {
  'rows'?: (number | string | Long);
  'size_bytes'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ExportEvaluationScoresResponse__Output {
  'rows': (string);
  'size_bytes': (string);
  'data': (Buffer);
}
