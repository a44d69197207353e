// Original file: proto/modelops/v1/scoring_service.proto

import type { Long } from '@grpc/proto-loader';

export interface RetrievalIndexStatus {
  'model_version'?: (string);
  'search'?: (string);
  'items'?: (number | string | Long);
  'recall'?: (number | string);
  'refused_recall'?: (number | string);
  'error'?: (string);
  'build_seconds'?: (number | string);
  'min_items'?: (number | string | Long);
  '_refused_recall'?: "refused_recall";
}

export interface RetrievalIndexStatus__Output {
  'model_version': (string);
  'search': (string);
  'items': (string);
  'recall': (number);
  'refused_recall'?: (number);
  'error': (string);
  'build_seconds': (number);
  'min_items': (string);
  '_refused_recall'?: "refused_recall";
}
