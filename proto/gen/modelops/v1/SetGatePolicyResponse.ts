// Original file: proto/modelops/v1/registry_service.proto

import type { GatePolicy as _modelops_v1_GatePolicy, GatePolicy__Output as _modelops_v1_GatePolicy__Output } from '../../modelops/v1/GatePolicy';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface SetGatePolicyResponse {
  'policy'?: (_modelops_v1_GatePolicy | null);
  'updated_by'?: (string);
  'update_time'?: (_google_protobuf_Timestamp | null);
}

export interface SetGatePolicyResponse__Output {
  'policy': (_modelops_v1_GatePolicy__Output | null);
  'updated_by': (string);
  'update_time': (_google_protobuf_Timestamp__Output | null);
}
