// Original file: proto/modelops/v1/scoring_service.proto

import type { ScoreContext as _modelops_v1_ScoreContext, ScoreContext__Output as _modelops_v1_ScoreContext__Output } from '../../modelops/v1/ScoreContext';

export interface ScoreRequest {
  'model'?: (string);
  'user_id'?: (string);
  'item_ids'?: (string)[];
  'context'?: (_modelops_v1_ScoreContext | null);
  'top_k'?: (number);
  'request_id'?: (string);
}

export interface ScoreRequest__Output {
  'model': (string);
  'user_id': (string);
  'item_ids': (string)[];
  'context': (_modelops_v1_ScoreContext__Output | null);
  'top_k': (number);
  'request_id': (string);
}
