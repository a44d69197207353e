// Original file: proto/modelops/v1/registry_service.proto


export interface ListAuditEventsRequest {
  'model'?: (string);
  'page_size'?: (number);
  'page_token'?: (string);
  'actions'?: (string)[];
}

export interface ListAuditEventsRequest__Output {
  'model': (string);
  'page_size': (number);
  'page_token': (string);
  'actions': (string)[];
}
