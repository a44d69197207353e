// Original file: proto/modelops/v1/scoring_service.proto

import type { ScoreContext as _modelops_v1_ScoreContext, ScoreContext__Output as _modelops_v1_ScoreContext__Output } from '../../modelops/v1/ScoreContext';

export interface RetrieveRequest {
  'model'?: (string);
  'user_id'?: (string);
  'context'?: (_modelops_v1_ScoreContext | null);
  'top_k'?: (number);
  'exclude_item_ids'?: (string)[];
  'request_id'?: (string);
}

export interface RetrieveRequest__Output {
  'model': (string);
  'user_id': (string);
  'context': (_modelops_v1_ScoreContext__Output | null);
  'top_k': (number);
  'exclude_item_ids': (string)[];
  'request_id': (string);
}
