// Original file: proto/modelops/v1/feature_service.proto


export interface ImportEventsHeader {
  'format'?: (string);
  'source'?: (string);
  'timezone'?: (string);
  'language'?: (string);
  'dim'?: (number);
}

export interface ImportEventsHeader__Output {
  'format': (string);
  'source': (string);
  'timezone': (string);
  'language': (string);
  'dim': (number);
}
