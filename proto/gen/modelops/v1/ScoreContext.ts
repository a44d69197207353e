// Original file: proto/modelops/v1/scoring_service.proto


export interface ScoreContext {
  'hod'?: (number);
  'dow'?: (number);
  'handset_maker'?: (string);
  'language'?: (string);
  '_hod'?: "hod";
  '_dow'?: "dow";
}

export interface ScoreContext__Output {
  'hod'?: (number);
  'dow'?: (number);
  'handset_maker': (string);
  'language': (string);
  '_hod'?: "hod";
  '_dow'?: "dow";
}
