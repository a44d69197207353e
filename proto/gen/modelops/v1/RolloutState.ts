// Original file: proto/modelops/v1/rollout_service.proto

export const RolloutState = {
  ROLLOUT_STATE_UNSPECIFIED: 'ROLLOUT_STATE_UNSPECIFIED',
  ROLLOUT_STATE_ACTIVE: 'ROLLOUT_STATE_ACTIVE',
  ROLLOUT_STATE_STOPPED: 'ROLLOUT_STATE_STOPPED',
} as const;

export type RolloutState =
  | 'ROLLOUT_STATE_UNSPECIFIED'
  | 0
  | 'ROLLOUT_STATE_ACTIVE'
  | 1
  | 'ROLLOUT_STATE_STOPPED'
  | 2

export type RolloutState__Output = typeof RolloutState[keyof typeof RolloutState]
