// Original file: proto/modelops/v1/rollout_service.proto

import type { RolloutSrmArm as _modelops_v1_RolloutSrmArm, RolloutSrmArm__Output as _modelops_v1_RolloutSrmArm__Output } from '../../modelops/v1/RolloutSrmArm';

export interface RolloutSrmCheck {
  'source'?: (string);
  'scope'?: (string);
  'key'?: (string);
  'period'?: (number);
  'arms'?: (_modelops_v1_RolloutSrmArm)[];
  'chi2'?: (number | string);
  'df'?: (number);
  'p_value'?: (number | string);
  'flagged'?: (boolean);
  'message'?: (string);
}

export interface RolloutSrmCheck__Output {
  'source': (string);
  'scope': (string);
  'key': (string);
  'period': (number);
  'arms': (_modelops_v1_RolloutSrmArm__Output)[];
  'chi2': (number);
  'df': (number);
  'p_value': (number);
  'flagged': (boolean);
  'message': (string);
}
