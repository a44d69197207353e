// Original file: proto/modelops/v1/experiment_service.proto

import type { Experiment as _modelops_v1_Experiment, Experiment__Output as _modelops_v1_Experiment__Output } from '../../modelops/v1/Experiment';

export interface CreateExperimentResponse {
  'experiment'?: (_modelops_v1_Experiment | null);
  'existing'?: (boolean);
}

export interface CreateExperimentResponse__Output {
  'experiment': (_modelops_v1_Experiment__Output | null);
  'existing': (boolean);
}
