// Original file: proto/modelops/v1/auth_service.proto

import type { Token as _modelops_v1_Token, Token__Output as _modelops_v1_Token__Output } from '../../modelops/v1/Token';

export interface RevokeTokenResponse {
  'token'?: (_modelops_v1_Token | null);
}

export interface RevokeTokenResponse__Output {
  'token': (_modelops_v1_Token__Output | null);
}
