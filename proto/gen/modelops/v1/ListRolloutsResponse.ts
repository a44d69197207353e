// Original file: proto/modelops/v1/rollout_service.proto

import type { Rollout as _modelops_v1_Rollout, Rollout__Output as _modelops_v1_Rollout__Output } from '../../modelops/v1/Rollout';

export interface ListRolloutsResponse {
  'rollouts'?: (_modelops_v1_Rollout)[];
  'next_page_token'?: (string);
}

export interface ListRolloutsResponse__Output {
  'rollouts': (_modelops_v1_Rollout__Output)[];
  'next_page_token': (string);
}
