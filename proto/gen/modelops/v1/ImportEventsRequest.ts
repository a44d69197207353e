// Original file: proto/modelops/v1/feature_service.proto

import type { ImportEventsHeader as _modelops_v1_ImportEventsHeader, ImportEventsHeader__Output as _modelops_v1_ImportEventsHeader__Output } from '../../modelops/v1/ImportEventsHeader';
import type { ImportEventsChunk as _modelops_v1_ImportEventsChunk, ImportEventsChunk__Output as _modelops_v1_ImportEventsChunk__Output } from '../../modelops/v1/ImportEventsChunk';

export interface ImportEventsRequest {
  'header'?: (_modelops_v1_ImportEventsHeader | null);
  'chunk'?: (_modelops_v1_ImportEventsChunk | null);
}

export interface ImportEventsRequest__Output {
  'header': (_modelops_v1_ImportEventsHeader__Output | null);
  'chunk': (_modelops_v1_ImportEventsChunk__Output | null);
}
