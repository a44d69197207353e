// Original file: proto/modelops/v1/experiment_service.proto

export const ExperimentState = {
  EXPERIMENT_STATE_UNSPECIFIED: 'EXPERIMENT_STATE_UNSPECIFIED',
  EXPERIMENT_STATE_RUNNING: 'EXPERIMENT_STATE_RUNNING',
  EXPERIMENT_STATE_SUCCEEDED: 'EXPERIMENT_STATE_SUCCEEDED',
  EXPERIMENT_STATE_FAILED: 'EXPERIMENT_STATE_FAILED',
} as const;

export type ExperimentState =
  | 'EXPERIMENT_STATE_UNSPECIFIED'
  | 0
  | 'EXPERIMENT_STATE_RUNNING'
  | 1
  | 'EXPERIMENT_STATE_SUCCEEDED'
  | 2
  | 'EXPERIMENT_STATE_FAILED'
  | 3

export type ExperimentState__Output = typeof ExperimentState[keyof typeof ExperimentState]
