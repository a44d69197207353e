// Original file: proto/modelops/v1/scoring_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface ScoringLoadFailure {
  'model_version'?: (string);
  'version_name'?: (string);
  'error'?: (string);
  'time'?: (_google_protobuf_Timestamp | null);
}

export interface ScoringLoadFailure__Output {
  'model_version': (string);
  'version_name': (string);
  'error': (string);
  'time': (_google_protobuf_Timestamp__Output | null);
}
