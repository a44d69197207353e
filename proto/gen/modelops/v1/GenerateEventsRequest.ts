// Original file: proto/modelops/v1/feature_service.proto

import type { Long } from '@grpc/proto-loader';

export interface GenerateEventsRequest {
  'users'?: (number);
  'items'?: (number);
  'days'?: (number);
  'seed'?: (number | string | Long);
  'dim'?: (number);
  'start_date'?: (string);
  'timezone'?: (string);
  'views_per_day'?: (number | string);
  'source'?: (string);
}

export interface GenerateEventsRequest__Output {
  'users': (number);
  'items': (number);
  'days': (number);
  'seed': (string);
  'dim': (number);
  'start_date': (string);
  'timezone': (string);
  'views_per_day': (number);
  'source': (string);
}
