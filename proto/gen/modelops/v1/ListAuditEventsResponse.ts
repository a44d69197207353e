// Original file: proto/modelops/v1/registry_service.proto

import type { AuditEvent as _modelops_v1_AuditEvent, AuditEvent__Output as _modelops_v1_AuditEvent__Output } from '../../modelops/v1/AuditEvent';

export interface ListAuditEventsResponse {
  'events'?: (_modelops_v1_AuditEvent)[];
  'next_page_token'?: (string);
}

export interface ListAuditEventsResponse__Output {
  'events': (_modelops_v1_AuditEvent__Output)[];
  'next_page_token': (string);
}
