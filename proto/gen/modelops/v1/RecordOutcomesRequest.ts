// Original file: proto/modelops/v1/rollout_service.proto

import type { RolloutOutcome as _modelops_v1_RolloutOutcome, RolloutOutcome__Output as _modelops_v1_RolloutOutcome__Output } from '../../modelops/v1/RolloutOutcome';

export interface RecordOutcomesRequest {
  'model'?: (string);
  'outcomes'?: (_modelops_v1_RolloutOutcome)[];
}

export interface RecordOutcomesRequest__Output {
  'model': (string);
  'outcomes': (_modelops_v1_RolloutOutcome__Output)[];
}
