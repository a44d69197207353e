// Original file: proto/modelops/v1/scoring_service.proto

import type { ScoringModelStatus as _modelops_v1_ScoringModelStatus, ScoringModelStatus__Output as _modelops_v1_ScoringModelStatus__Output } from '../../modelops/v1/ScoringModelStatus';
import type { ScoringLoadFailure as _modelops_v1_ScoringLoadFailure, ScoringLoadFailure__Output as _modelops_v1_ScoringLoadFailure__Output } from '../../modelops/v1/ScoringLoadFailure';

export interface GetScoringStatusResponse {
  'models'?: (_modelops_v1_ScoringModelStatus)[];
  'failures'?: (_modelops_v1_ScoringLoadFailure)[];
}

export interface GetScoringStatusResponse__Output {
  'models': (_modelops_v1_ScoringModelStatus__Output)[];
  'failures': (_modelops_v1_ScoringLoadFailure__Output)[];
}
