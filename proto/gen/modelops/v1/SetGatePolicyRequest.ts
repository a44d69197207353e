// Original file: proto/modelops/v1/registry_service.proto

import type { GatePolicy as _modelops_v1_GatePolicy, GatePolicy__Output as _modelops_v1_GatePolicy__Output } from '../../modelops/v1/GatePolicy';

export interface SetGatePolicyRequest {
  'model'?: (string);
  'policy'?: (_modelops_v1_GatePolicy | null);
}

export interface SetGatePolicyRequest__Output {
  'model': (string);
  'policy': (_modelops_v1_GatePolicy__Output | null);
}
