// Original file: proto/modelops/v1/evaluation_service.proto

import type { EvaluationDayMetrics as _modelops_v1_EvaluationDayMetrics, EvaluationDayMetrics__Output as _modelops_v1_EvaluationDayMetrics__Output } from '../../modelops/v1/EvaluationDayMetrics';

export interface ComparedVersion {
  'version'?: (string);
  'number'?: (number);
  'evaluation_id'?: (string);
  'as_candidate'?: (boolean);
  'overall'?: ({[key: string]: number | string});
  'by_day'?: (_modelops_v1_EvaluationDayMetrics)[];
}

export interface ComparedVersion__Output {
  'version': (string);
  'number': (number);
  'evaluation_id': (string);
  'as_candidate': (boolean);
  'overall': ({[key: string]: number});
  'by_day': (_modelops_v1_EvaluationDayMetrics__Output)[];
}
