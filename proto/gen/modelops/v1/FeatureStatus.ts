// Original file: proto/modelops/v1/feature_service.proto

export const FeatureStatus = {
  FEATURE_STATUS_UNSPECIFIED: 'FEATURE_STATUS_UNSPECIFIED',
  FEATURE_STATUS_PRESENT: 'FEATURE_STATUS_PRESENT',
  FEATURE_STATUS_NOT_FOUND: 'FEATURE_STATUS_NOT_FOUND',
  FEATURE_STATUS_STALE: 'FEATURE_STATUS_STALE',
} as const;

export type FeatureStatus =
  | 'FEATURE_STATUS_UNSPECIFIED'
  | 0
  | 'FEATURE_STATUS_PRESENT'
  | 1
  | 'FEATURE_STATUS_NOT_FOUND'
  | 2
  | 'FEATURE_STATUS_STALE'
  | 3

export type FeatureStatus__Output = typeof FeatureStatus[keyof typeof FeatureStatus]
