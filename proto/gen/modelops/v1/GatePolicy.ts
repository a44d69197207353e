// Original file: proto/modelops/v1/registry_service.proto

import type { GateMetricThreshold as _modelops_v1_GateMetricThreshold, GateMetricThreshold__Output as _modelops_v1_GateMetricThreshold__Output } from '../../modelops/v1/GateMetricThreshold';

export interface GatePolicy {
  'thresholds'?: (_modelops_v1_GateMetricThreshold)[];
  'include_overall'?: (boolean);
}

export interface GatePolicy__Output {
  'thresholds': (_modelops_v1_GateMetricThreshold__Output)[];
  'include_overall': (boolean);
}
