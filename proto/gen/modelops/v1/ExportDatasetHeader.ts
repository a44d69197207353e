// Original file: proto/modelops/v1/feature_service.proto

import type { ExportColumn as _modelops_v1_ExportColumn, ExportColumn__Output as _modelops_v1_ExportColumn__Output } from '../../modelops/v1/ExportColumn';
import type { Long } from '@grpc/proto-loader';

export interface ExportDatasetHeader {
  'dataset_id'?: (string);
  'part'?: (string);
  'rows'?: (number | string | Long);
  'columns'?: (_modelops_v1_ExportColumn)[];
  'label'?: (string);
  'task'?: (string);
}

export interface ExportDatasetHeader__Output {
  'dataset_id': (string);
  'part': (string);
  'rows': (string);
  'columns': (_modelops_v1_ExportColumn__Output)[];
  'label': (string);
  'task': (string);
}
