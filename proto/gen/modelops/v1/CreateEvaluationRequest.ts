// Original file: proto/modelops/v1/evaluation_service.proto

import type { EvaluationProtocol as _modelops_v1_EvaluationProtocol, EvaluationProtocol__Output as _modelops_v1_EvaluationProtocol__Output } from '../../modelops/v1/EvaluationProtocol';

export interface CreateEvaluationRequest {
  'model'?: (string);
  'version'?: (string);
  'baseline'?: (string);
  'dataset_id'?: (string);
  'target'?: (string);
  'ks'?: (number)[];
  'bootstrap_resamples'?: (number);
  'protocol'?: (_modelops_v1_EvaluationProtocol);
  'keep_scores'?: (_modelops_v1_EvaluationProtocol);
  'group'?: (string);
  'baseline_group'?: (string);
}

export interface CreateEvaluationRequest__Output {
  'model': (string);
  'version': (string);
  'baseline': (string);
  'dataset_id': (string);
  'target': (string);
  'ks': (number)[];
  'bootstrap_resamples': (number);
  'protocol': (_modelops_v1_EvaluationProtocol__Output);
  'keep_scores': (_modelops_v1_EvaluationProtocol__Output);
  'group': (string);
  'baseline_group': (string);
}
