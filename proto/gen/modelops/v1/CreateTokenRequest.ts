// Original file: proto/modelops/v1/auth_service.proto

import type { Role as _modelops_v1_Role, Role__Output as _modelops_v1_Role__Output } from '../../modelops/v1/Role';

export interface CreateTokenRequest {
  'role'?: (_modelops_v1_Role);
  'description'?: (string);
}

export interface CreateTokenRequest__Output {
  'role': (_modelops_v1_Role__Output);
  'description': (string);
}
