// Original file: proto/modelops/v1/feature_service.proto

import type { Long } from '@grpc/proto-loader';

export interface GetUserFeaturesRequest {
  'user_ids'?: (string)[];
  'source'?: (string);
  'hod'?: (number);
  'dow'?: (number);
  'handset_maker'?: (string);
  'max_age_seconds'?: (number | string | Long);
  'now_ms'?: (number | string | Long);
  '_hod'?: "hod";
  '_dow'?: "dow";
}

export interface GetUserFeaturesRequest__Output {
  'user_ids': (string)[];
  'source': (string);
  'hod'?: (number);
  'dow'?: (number);
  'handset_maker': (string);
  'max_age_seconds': (string);
  'now_ms': (string);
  '_hod'?: "hod";
  '_dow'?: "dow";
}
