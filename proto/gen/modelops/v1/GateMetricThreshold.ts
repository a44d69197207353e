// Original file: proto/modelops/v1/registry_service.proto


export interface GateMetricThreshold {
  'metric'?: (string);
  'min_value'?: (number | string);
  'min_absolute_change'?: (number | string);
  'min_relative_change'?: (number | string);
  'lower_is_better'?: (boolean);
  '_min_value'?: "min_value";
  '_min_absolute_change'?: "min_absolute_change";
  '_min_relative_change'?: "min_relative_change";
}

export interface GateMetricThreshold__Output {
  'metric': (string);
  'min_value'?: (number);
  'min_absolute_change'?: (number);
  'min_relative_change'?: (number);
  'lower_is_better': (boolean);
  '_min_value'?: "min_value";
  '_min_absolute_change'?: "min_absolute_change";
  '_min_relative_change'?: "min_relative_change";
}
