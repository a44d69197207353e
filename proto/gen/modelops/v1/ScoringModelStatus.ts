// Original file: proto/modelops/v1/scoring_service.proto

import type { ScoringArmStatus as _modelops_v1_ScoringArmStatus, ScoringArmStatus__Output as _modelops_v1_ScoringArmStatus__Output } from '../../modelops/v1/ScoringArmStatus';

export interface ScoringModelStatus {
  'model'?: (string);
  'production_version'?: (string);
  'production_version_name'?: (string);
  'arms'?: (_modelops_v1_ScoringArmStatus)[];
  'shadow'?: (_modelops_v1_ScoringArmStatus)[];
}

export interface ScoringModelStatus__Output {
  'model': (string);
  'production_version': (string);
  'production_version_name': (string);
  'arms': (_modelops_v1_ScoringArmStatus__Output)[];
  'shadow': (_modelops_v1_ScoringArmStatus__Output)[];
}
