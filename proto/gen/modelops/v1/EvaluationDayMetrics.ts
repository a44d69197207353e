// Original file: proto/modelops/v1/evaluation_service.proto


export interface EvaluationDayMetrics {
  'day'?: (string);
  'metrics'?: ({[key: string]: number | string});
}

export interface EvaluationDayMetrics__Output {
  'day': (string);
  'metrics': ({[key: string]: number});
}
