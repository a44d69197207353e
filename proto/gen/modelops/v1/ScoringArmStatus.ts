// Original file: proto/modelops/v1/scoring_service.proto


export interface ScoringArmStatus {
  'arm'?: (string);
  'model_version'?: (string);
  'weight'?: (number);
}

export interface ScoringArmStatus__Output {
  'arm': (string);
  'model_version': (string);
  'weight': (number);
}
