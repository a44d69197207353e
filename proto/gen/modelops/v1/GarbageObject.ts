// Original file: proto/modelops/v1/registry_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface GarbageObject {
  'key'?: (string);
  'kind'?: (string);
  'size'?: (number | string | Long);
  'last_modified'?: (_google_protobuf_Timestamp | null);
}

export interface GarbageObject__Output {
  'key': (string);
  'kind': (string);
  'size': (string);
  'last_modified': (_google_protobuf_Timestamp__Output | null);
}
