// Original file: proto/modelops/v1/evaluation_service.proto


export interface CreateEvaluationRequest {
  'model'?: (string);
  'version'?: (string);
  'baseline'?: (string);
  'dataset_id'?: (string);
  'target'?: (string);
  'ks'?: (number)[];
  'bootstrap_resamples'?: (number);
}

export interface CreateEvaluationRequest__Output {
  'model': (string);
  'version': (string);
  'baseline': (string);
  'dataset_id': (string);
  'target': (string);
  'ks': (number)[];
  'bootstrap_resamples': (number);
}
