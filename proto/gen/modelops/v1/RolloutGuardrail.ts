// Original file: proto/modelops/v1/rollout_service.proto

import type { Long } from '@grpc/proto-loader';

export interface RolloutGuardrail {
  'metric'?: (string);
  'max_drop_percent'?: (number | string);
  'min_views'?: (number | string | Long);
}

export interface RolloutGuardrail__Output {
  'metric': (string);
  'max_drop_percent': (number);
  'min_views': (string);
}
