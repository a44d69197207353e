// Original file: proto/modelops/v1/training_service.proto

import type { TrainingJob as _modelops_v1_TrainingJob, TrainingJob__Output as _modelops_v1_TrainingJob__Output } from '../../modelops/v1/TrainingJob';

export interface StartTrainingJobResponse {
  'job'?: (_modelops_v1_TrainingJob | null);
  'jobs'?: (_modelops_v1_TrainingJob)[];
}

export interface StartTrainingJobResponse__Output {
  'job': (_modelops_v1_TrainingJob__Output | null);
  'jobs': (_modelops_v1_TrainingJob__Output)[];
}
