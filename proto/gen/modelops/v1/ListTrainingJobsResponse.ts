// Original file: proto/modelops/v1/training_service.proto

import type { TrainingJob as _modelops_v1_TrainingJob, TrainingJob__Output as _modelops_v1_TrainingJob__Output } from '../../modelops/v1/TrainingJob';

export interface ListTrainingJobsResponse {
  'jobs'?: (_modelops_v1_TrainingJob)[];
  'next_page_token'?: (string);
}

export interface ListTrainingJobsResponse__Output {
  'jobs': (_modelops_v1_TrainingJob__Output)[];
  'next_page_token': (string);
}
