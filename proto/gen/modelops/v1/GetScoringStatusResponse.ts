// Original file: proto/modelops/v1/scoring_service.proto

import type { ScoringModelStatus as _modelops_v1_ScoringModelStatus, ScoringModelStatus__Output as _modelops_v1_ScoringModelStatus__Output } from '../../modelops/v1/ScoringModelStatus';
import type { ScoringLoadFailure as _modelops_v1_ScoringLoadFailure, ScoringLoadFailure__Output as _modelops_v1_ScoringLoadFailure__Output } from '../../modelops/v1/ScoringLoadFailure';
import type { RetrievalIndexStatus as _modelops_v1_RetrievalIndexStatus, RetrievalIndexStatus__Output as _modelops_v1_RetrievalIndexStatus__Output } from '../../modelops/v1/RetrievalIndexStatus';

export interface GetScoringStatusResponse {
  'models'?: (_modelops_v1_ScoringModelStatus)[];
  'failures'?: (_modelops_v1_ScoringLoadFailure)[];
  'retrieval_indexes'?: (_modelops_v1_RetrievalIndexStatus)[];
}

export interface GetScoringStatusResponse__Output {
  'models': (_modelops_v1_ScoringModelStatus__Output)[];
  'failures': (_modelops_v1_ScoringLoadFailure__Output)[];
  'retrieval_indexes': (_modelops_v1_RetrievalIndexStatus__Output)[];
}
