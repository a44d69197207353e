// Original file: proto/modelops/v1/experiment_service.proto

import type { Experiment as _modelops_v1_Experiment, Experiment__Output as _modelops_v1_Experiment__Output } from '../../modelops/v1/Experiment';

export interface GetExperimentResponse {
  'experiment'?: (_modelops_v1_Experiment | null);
}

export interface GetExperimentResponse__Output {
  'experiment': (_modelops_v1_Experiment__Output | null);
}
