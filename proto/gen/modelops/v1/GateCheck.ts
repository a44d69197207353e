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
  '_candidate'?: "candidate";
  '_baseline'?: "baseline";
  '_threshold'?: "threshold";
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
  '_candidate'?: "candidate";
  '_baseline'?: "baseline";
  '_threshold'?: "threshold";
}
