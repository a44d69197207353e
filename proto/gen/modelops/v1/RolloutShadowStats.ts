// Original file: proto/modelops/v1/rollout_service.proto

import type { Long } from '@grpc/proto-loader';

export interface RolloutShadowStats {
  'version'?: (string);
  'offered'?: (number | string | Long);
  'scored'?: (number | string | Long);
  'shed'?: (number | string | Long);
  'failed'?: (number | string | Long);
  'scored_fraction'?: (number | string);
  'mean_spearman'?: (number | string);
  'mean_kendall'?: (number | string);
  'latency_mean_ms'?: (number | string);
  'latency_p50_ms'?: (number | string);
  'latency_p99_ms'?: (number | string);
  'top_k'?: (number);
}

export interface RolloutShadowStats__Output {
  'version': (string);
  'offered': (string);
  'scored': (string);
  'shed': (string);
  'failed': (string);
  'scored_fraction': (number);
  'mean_spearman': (number);
  'mean_kendall': (number);
  'latency_mean_ms': (number);
  'latency_p50_ms': (number);
  'latency_p99_ms': (number);
  'top_k': (number);
}
