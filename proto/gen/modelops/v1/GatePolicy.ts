// Original file: proto/modelops/v1/registry_service.proto

import type { GateMetricThreshold as _modelops_v1_GateMetricThreshold, GateMetricThreshold__Output as _modelops_v1_GateMetricThreshold__Output } from '../../modelops/v1/GateMetricThreshold';
import type { GateSanityBaselines as _modelops_v1_GateSanityBaselines, GateSanityBaselines__Output as _modelops_v1_GateSanityBaselines__Output } from '../../modelops/v1/GateSanityBaselines';

export interface GatePolicy {
  'thresholds'?: (_modelops_v1_GateMetricThreshold)[];
  'include_overall'?: (boolean);
  'target'?: (string);
  'protocol'?: (string);
  'dataset_id'?: (string);
  'must_beat'?: (_modelops_v1_GateSanityBaselines | null);
  'min_seeds'?: (number);
}

export interface GatePolicy__Output {
  'thresholds': (_modelops_v1_GateMetricThreshold__Output)[];
  'include_overall': (boolean);
  'target': (string);
  'protocol': (string);
  'dataset_id': (string);
  'must_beat': (_modelops_v1_GateSanityBaselines__Output | null);
  'min_seeds': (number);
}
