// Original file: proto/modelops/v1/experiment_service.proto

import type { Experiment as _modelops_v1_Experiment, Experiment__Output as _modelops_v1_Experiment__Output } from '../../modelops/v1/Experiment';

export interface ListExperimentsResponse {
  'experiments'?: (_modelops_v1_Experiment)[];
  'next_page_token'?: (string);
}

export interface ListExperimentsResponse__Output {
  'experiments': (_modelops_v1_Experiment__Output)[];
  'next_page_token': (string);
}
