// Original file: proto/modelops/v1/feature_service.proto

import type { ExportDatasetHeader as _modelops_v1_ExportDatasetHeader, ExportDatasetHeader__Output as _modelops_v1_ExportDatasetHeader__Output } from '../../modelops/v1/ExportDatasetHeader';
import type { ExportDatasetChunk as _modelops_v1_ExportDatasetChunk, ExportDatasetChunk__Output as _modelops_v1_ExportDatasetChunk__Output } from '../../modelops/v1/ExportDatasetChunk';

export interface ExportDatasetResponse {
  'header'?: (_modelops_v1_ExportDatasetHeader | null);
  'chunk'?: (_modelops_v1_ExportDatasetChunk | null);
}

export interface ExportDatasetResponse__Output {
  'header': (_modelops_v1_ExportDatasetHeader__Output | null);
  'chunk': (_modelops_v1_ExportDatasetChunk__Output | null);
}
