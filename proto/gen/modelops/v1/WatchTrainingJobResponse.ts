// Original file: proto/modelops/v1/training_service.proto

import type { TrainingJob as _modelops_v1_TrainingJob, TrainingJob__Output as _modelops_v1_TrainingJob__Output } from '../../modelops/v1/TrainingJob';

export interface WatchTrainingJobResponse {
  'job'?: (_modelops_v1_TrainingJob | null);
}

export interface WatchTrainingJobResponse__Output {
  'job': (_modelops_v1_TrainingJob__Output | null);
}
