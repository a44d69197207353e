// Original file: proto/modelops/v1/auth_service.proto

import type { Token as _modelops_v1_Token, Token__Output as _modelops_v1_Token__Output } from '../../modelops/v1/Token';

export interface CreateTokenResponse {
  'token'?: (_modelops_v1_Token | null);
  'secret'?: (string);
}

export interface CreateTokenResponse__Output {
  'token': (_modelops_v1_Token__Output | null);
  'secret': (string);
}
