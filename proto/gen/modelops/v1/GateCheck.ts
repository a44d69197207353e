// Original file: proto/modelops/v1/registry_service.proto


export interface GateCheck {
  'metric'?: (string);
  'scope'?: (string);
  'condition'?: (string);
  'candidate'?: (number | string);
  'baseline'?: (number | string);
  'threshold'?: (number | string);
  'op'?: (string);
  'passed'?: (boolean);
  'note'?: (string);
  'skipped'?: (boolean);
  'ci95_low'?: (number | string);
  'ci95_high'?: (number | string);
  '_candidate'?: "candidate";
  '_baseline'?: "baseline";
  '_threshold'?: "threshold";
  '_ci95_low'?: "ci95_low";
  '_ci95_high'?: "ci95_high";
}

export interface GateCheck__Output {
  'metric': (string);
  'scope': (string);
  'condition': (string);
  'candidate'?: (number);
  'baseline'?: (number);
  'threshold'?: (number);
  'op': (string);
  'passed': (boolean);
  'note': (string);
  'skipped': (boolean);
  'ci95_low'?: (number);
  'ci95_high'?: (number);
  '_candidate'?: "candidate";
  '_baseline'?: "baseline";
  '_threshold'?: "threshold";
  '_ci95_low'?: "ci95_low";
  '_ci95_high'?: "ci95_high";
}
