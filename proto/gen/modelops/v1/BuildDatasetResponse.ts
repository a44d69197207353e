// Original file: proto/modelops/v1/feature_service.proto

import type { Dataset as _modelops_v1_Dataset, Dataset__Output as _modelops_v1_Dataset__Output } from '../../modelops/v1/Dataset';

export interface BuildDatasetResponse {
  'dataset'?: (_modelops_v1_Dataset | null);
}

export interface BuildDatasetResponse__Output {
  'dataset': (_modelops_v1_Dataset__Output | null);
}
