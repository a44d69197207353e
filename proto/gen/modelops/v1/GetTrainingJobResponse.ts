// Original file: proto/modelops/v1/training_service.proto

import type { TrainingJob as _modelops_v1_TrainingJob, TrainingJob__Output as _modelops_v1_TrainingJob__Output } from '../../modelops/v1/TrainingJob';

export interface GetTrainingJobResponse {
  'job'?: (_modelops_v1_TrainingJob | null);
}

export interface GetTrainingJobResponse__Output {
  'job': (_modelops_v1_TrainingJob__Output | null);
}
