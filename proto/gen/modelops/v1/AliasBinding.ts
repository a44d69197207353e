// Original file: proto/modelops/v1/registry_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface AliasBinding {
  'alias'?: (string);
  'version_number'?: (number);
  'version_name'?: (string);
  'updated_by'?: (string);
  'update_time'?: (_google_protobuf_Timestamp | null);
}

export interface AliasBinding__Output {
  'alias': (string);
  'version_number': (number);
  'version_name': (string);
  'updated_by': (string);
  'update_time': (_google_protobuf_Timestamp__Output | null);
}
