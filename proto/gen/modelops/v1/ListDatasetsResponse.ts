// Original file: proto/modelops/v1/feature_service.proto

import type { Dataset as _modelops_v1_Dataset, Dataset__Output as _modelops_v1_Dataset__Output } from '../../modelops/v1/Dataset';

export interface ListDatasetsResponse {
  'datasets'?: (_modelops_v1_Dataset)[];
  'next_page_token'?: (string);
}

export interface ListDatasetsResponse__Output {
  'datasets': (_modelops_v1_Dataset__Output)[];
  'next_page_token': (string);
}
