// Original file: proto/modelops/v1/feature_service.proto

export const DatasetState = {
  DATASET_STATE_UNSPECIFIED: 'DATASET_STATE_UNSPECIFIED',
  DATASET_STATE_BUILDING: 'DATASET_STATE_BUILDING',
  DATASET_STATE_READY: 'DATASET_STATE_READY',
  DATASET_STATE_FAILED: 'DATASET_STATE_FAILED',
} as const;

export type DatasetState =
  | 'DATASET_STATE_UNSPECIFIED'
  | 0
  | 'DATASET_STATE_BUILDING'
  | 1
  | 'DATASET_STATE_READY'
  | 2
  | 'DATASET_STATE_FAILED'
  | 3

export type DatasetState__Output = typeof DatasetState[keyof typeof DatasetState]
