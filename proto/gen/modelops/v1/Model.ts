// Original file: proto/modelops/v1/registry_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { AliasBinding as _modelops_v1_AliasBinding, AliasBinding__Output as _modelops_v1_AliasBinding__Output } from '../../modelops/v1/AliasBinding';

export interface Model {
  'name'?: (string);
  'id'?: (string);
  'description'?: (string);
  'created_by'?: (string);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'aliases'?: (_modelops_v1_AliasBinding)[];
}

export interface Model__Output {
  'name': (string);
  'id': (string);
  'description': (string);
  'created_by': (string);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'aliases': (_modelops_v1_AliasBinding__Output)[];
}
