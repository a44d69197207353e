// Original file: proto/modelops/v1/registry_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface AuditEvent {
  'id'?: (string);
  'model'?: (string);
  'action'?: (string);
  'actor'?: (string);
  'alias'?: (string);
  'from_version'?: (number);
  'to_version'?: (number);
  'reason'?: (string);
  'outcome'?: (string);
  'detail_json'?: (string);
  'time'?: (_google_protobuf_Timestamp | null);
}

export interface AuditEvent__Output {
  'id': (string);
  'model': (string);
  'action': (string);
  'actor': (string);
  'alias': (string);
  'from_version': (number);
  'to_version': (number);
  'reason': (string);
  'outcome': (string);
  'detail_json': (string);
  'time': (_google_protobuf_Timestamp__Output | null);
}
