// Original file: proto/modelops/v1/training_service.proto

import type { TrainingHyperparameters as _modelops_v1_TrainingHyperparameters, TrainingHyperparameters__Output as _modelops_v1_TrainingHyperparameters__Output } from '../../modelops/v1/TrainingHyperparameters';

export interface StartTrainingJobRequest {
  'model'?: (string);
  'version_name'?: (string);
  'dataset_id'?: (string);
  'arch'?: (string);
  'task'?: (string);
  'hyperparameters'?: (_modelops_v1_TrainingHyperparameters | null);
  'seed'?: (number);
  'seeds'?: (number);
  '_seed'?: "seed";
}

export interface StartTrainingJobRequest__Output {
  'model': (string);
  'version_name': (string);
  'dataset_id': (string);
  'arch': (string);
  'task': (string);
  'hyperparameters': (_modelops_v1_TrainingHyperparameters__Output | null);
  'seed'?: (number);
  'seeds': (number);
  '_seed'?: "seed";
}
