// Original file: proto/modelops/v1/scoring_service.proto


export interface ScoreResponse {
  'item_ids'?: (string)[];
  'scores'?: (number | string)[];
  'model_version'?: (string);
  'version_name'?: (string);
  'arm'?: (string);
  'unknown_item_ids'?: (string)[];
  'cold_start_user'?: (boolean);
  'request_id'?: (string);
  'explored_item_ids'?: (string)[];
}

export interface ScoreResponse__Output {
  'item_ids': (string)[];
  'scores': (number)[];
  'model_version': (string);
  'version_name': (string);
  'arm': (string);
  'unknown_item_ids': (string)[];
  'cold_start_user': (boolean);
  'request_id': (string);
  'explored_item_ids': (string)[];
}
