// Original file: proto/modelops/v1/scoring_service.proto


export interface RetrieveResponse {
  'item_ids'?: (string)[];
  'scores'?: (number | string)[];
  'model_version'?: (string);
  'version_name'?: (string);
  'arm'?: (string);
  'cold_start_user'?: (boolean);
  'request_id'?: (string);
}

export interface RetrieveResponse__Output {
  'item_ids': (string)[];
  'scores': (number)[];
  'model_version': (string);
  'version_name': (string);
  'arm': (string);
  'cold_start_user': (boolean);
  'request_id': (string);
}
