// Original file: proto/modelops/v1/auth_service.proto

import type { Token as _modelops_v1_Token, Token__Output as _modelops_v1_Token__Output } from '../../modelops/v1/Token';

export interface ListTokensResponse {
  'tokens'?: (_modelops_v1_Token)[];
  'next_page_token'?: (string);
}

export interface ListTokensResponse__Output {
  'tokens': (_modelops_v1_Token__Output)[];
  'next_page_token': (string);
}
