// Original file: proto/modelops/v1/rollout_service.proto

import type { Rollout as _modelops_v1_Rollout, Rollout__Output as _modelops_v1_Rollout__Output } from '../../modelops/v1/Rollout';
import type { Long } from '@grpc/proto-loader';

export interface RecordOutcomesResponse {
  'accepted'?: (number | string | Long);
  'duplicates'?: (number | string | Long);
  'outside_rollout'?: (number | string | Long);
  'unmatched'?: (number | string | Long);
  'rollout'?: (_modelops_v1_Rollout | null);
  'breaches'?: (string)[];
}

export interface RecordOutcomesResponse__Output {
  'accepted': (string);
  'duplicates': (string);
  'outside_rollout': (string);
  'unmatched': (string);
  'rollout': (_modelops_v1_Rollout__Output | null);
  'breaches': (string)[];
}
