// Original file: proto/modelops/v1/auth_service.proto

import type { Role as _modelops_v1_Role, Role__Output as _modelops_v1_Role__Output } from '../../modelops/v1/Role';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface Token {
  'name'?: (string);
  'id'?: (string);
  'role'?: (_modelops_v1_Role);
  'description'?: (string);
  'created_by'?: (string);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'revoke_time'?: (_google_protobuf_Timestamp | null);
}

export interface Token__Output {
  'name': (string);
  'id': (string);
  'role': (_modelops_v1_Role__Output);
  'description': (string);
  'created_by': (string);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'revoke_time': (_google_protobuf_Timestamp__Output | null);
}
