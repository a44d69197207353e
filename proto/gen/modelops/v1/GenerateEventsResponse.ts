// Original file: proto/modelops/v1/feature_service.proto

import type { Long } from '@grpc/proto-loader';

export interface GenerateEventsResponse {
  'source'?: (string);
  'counts'?: ({[key: string]: number | string | Long});
}

export interface GenerateEventsResponse__Output {
  'source': (string);
  'counts': ({[key: string]: string});
}
