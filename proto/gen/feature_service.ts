import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { BuildDatasetRequest as _modelops_v1_BuildDatasetRequest, BuildDatasetRequest__Output as _modelops_v1_BuildDatasetRequest__Output } from './modelops/v1/BuildDatasetRequest';
import type { BuildDatasetResponse as _modelops_v1_BuildDatasetResponse, BuildDatasetResponse__Output as _modelops_v1_BuildDatasetResponse__Output } from './modelops/v1/BuildDatasetResponse';
import type { Dataset as _modelops_v1_Dataset, Dataset__Output as _modelops_v1_Dataset__Output } from './modelops/v1/Dataset';
import type { DeleteDatasetRequest as _modelops_v1_DeleteDatasetRequest, DeleteDatasetRequest__Output as _modelops_v1_DeleteDatasetRequest__Output } from './modelops/v1/DeleteDatasetRequest';
import type { DeleteDatasetResponse as _modelops_v1_DeleteDatasetResponse, DeleteDatasetResponse__Output as _modelops_v1_DeleteDatasetResponse__Output } from './modelops/v1/DeleteDatasetResponse';
import type { EntityFeatures as _modelops_v1_EntityFeatures, EntityFeatures__Output as _modelops_v1_EntityFeatures__Output } from './modelops/v1/EntityFeatures';
import type { ExportColumn as _modelops_v1_ExportColumn, ExportColumn__Output as _modelops_v1_ExportColumn__Output } from './modelops/v1/ExportColumn';
import type { ExportDatasetChunk as _modelops_v1_ExportDatasetChunk, ExportDatasetChunk__Output as _modelops_v1_ExportDatasetChunk__Output } from './modelops/v1/ExportDatasetChunk';
import type { ExportDatasetHeader as _modelops_v1_ExportDatasetHeader, ExportDatasetHeader__Output as _modelops_v1_ExportDatasetHeader__Output } from './modelops/v1/ExportDatasetHeader';
import type { ExportDatasetRequest as _modelops_v1_ExportDatasetRequest, ExportDatasetRequest__Output as _modelops_v1_ExportDatasetRequest__Output } from './modelops/v1/ExportDatasetRequest';
import type { ExportDatasetResponse as _modelops_v1_ExportDatasetResponse, ExportDatasetResponse__Output as _modelops_v1_ExportDatasetResponse__Output } from './modelops/v1/ExportDatasetResponse';
import type { FeatureItem as _modelops_v1_FeatureItem, FeatureItem__Output as _modelops_v1_FeatureItem__Output } from './modelops/v1/FeatureItem';
import type { FeatureRejection as _modelops_v1_FeatureRejection, FeatureRejection__Output as _modelops_v1_FeatureRejection__Output } from './modelops/v1/FeatureRejection';
import type { FeatureServiceClient as _modelops_v1_FeatureServiceClient, FeatureServiceDefinition as _modelops_v1_FeatureServiceDefinition } from './modelops/v1/FeatureService';
import type { FeatureView as _modelops_v1_FeatureView, FeatureView__Output as _modelops_v1_FeatureView__Output } from './modelops/v1/FeatureView';
import type { GenerateEventsRequest as _modelops_v1_GenerateEventsRequest, GenerateEventsRequest__Output as _modelops_v1_GenerateEventsRequest__Output } from './modelops/v1/GenerateEventsRequest';
import type { GenerateEventsResponse as _modelops_v1_GenerateEventsResponse, GenerateEventsResponse__Output as _modelops_v1_GenerateEventsResponse__Output } from './modelops/v1/GenerateEventsResponse';
import type { GetDatasetRequest as _modelops_v1_GetDatasetRequest, GetDatasetRequest__Output as _modelops_v1_GetDatasetRequest__Output } from './modelops/v1/GetDatasetRequest';
import type { GetDatasetResponse as _modelops_v1_GetDatasetResponse, GetDatasetResponse__Output as _modelops_v1_GetDatasetResponse__Output } from './modelops/v1/GetDatasetResponse';
import type { GetItemFeaturesRequest as _modelops_v1_GetItemFeaturesRequest, GetItemFeaturesRequest__Output as _modelops_v1_GetItemFeaturesRequest__Output } from './modelops/v1/GetItemFeaturesRequest';
import type { GetItemFeaturesResponse as _modelops_v1_GetItemFeaturesResponse, GetItemFeaturesResponse__Output as _modelops_v1_GetItemFeaturesResponse__Output } from './modelops/v1/GetItemFeaturesResponse';
import type { GetUserFeaturesRequest as _modelops_v1_GetUserFeaturesRequest, GetUserFeaturesRequest__Output as _modelops_v1_GetUserFeaturesRequest__Output } from './modelops/v1/GetUserFeaturesRequest';
import type { GetUserFeaturesResponse as _modelops_v1_GetUserFeaturesResponse, GetUserFeaturesResponse__Output as _modelops_v1_GetUserFeaturesResponse__Output } from './modelops/v1/GetUserFeaturesResponse';
import type { ImportEventsChunk as _modelops_v1_ImportEventsChunk, ImportEventsChunk__Output as _modelops_v1_ImportEventsChunk__Output } from './modelops/v1/ImportEventsChunk';
import type { ImportEventsHeader as _modelops_v1_ImportEventsHeader, ImportEventsHeader__Output as _modelops_v1_ImportEventsHeader__Output } from './modelops/v1/ImportEventsHeader';
import type { ImportEventsRequest as _modelops_v1_ImportEventsRequest, ImportEventsRequest__Output as _modelops_v1_ImportEventsRequest__Output } from './modelops/v1/ImportEventsRequest';
import type { ImportEventsResponse as _modelops_v1_ImportEventsResponse, ImportEventsResponse__Output as _modelops_v1_ImportEventsResponse__Output } from './modelops/v1/ImportEventsResponse';
import type { IngestEventsRequest as _modelops_v1_IngestEventsRequest, IngestEventsRequest__Output as _modelops_v1_IngestEventsRequest__Output } from './modelops/v1/IngestEventsRequest';
import type { IngestEventsResponse as _modelops_v1_IngestEventsResponse, IngestEventsResponse__Output as _modelops_v1_IngestEventsResponse__Output } from './modelops/v1/IngestEventsResponse';
import type { ListDatasetsRequest as _modelops_v1_ListDatasetsRequest, ListDatasetsRequest__Output as _modelops_v1_ListDatasetsRequest__Output } from './modelops/v1/ListDatasetsRequest';
import type { ListDatasetsResponse as _modelops_v1_ListDatasetsResponse, ListDatasetsResponse__Output as _modelops_v1_ListDatasetsResponse__Output } from './modelops/v1/ListDatasetsResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  modelops: {
    v1: {
      BuildDatasetRequest: MessageTypeDefinition<_modelops_v1_BuildDatasetRequest, _modelops_v1_BuildDatasetRequest__Output>
      BuildDatasetResponse: MessageTypeDefinition<_modelops_v1_BuildDatasetResponse, _modelops_v1_BuildDatasetResponse__Output>
      Dataset: MessageTypeDefinition<_modelops_v1_Dataset, _modelops_v1_Dataset__Output>
      DatasetState: EnumTypeDefinition
      DeleteDatasetRequest: MessageTypeDefinition<_modelops_v1_DeleteDatasetRequest, _modelops_v1_DeleteDatasetRequest__Output>
      DeleteDatasetResponse: MessageTypeDefinition<_modelops_v1_DeleteDatasetResponse, _modelops_v1_DeleteDatasetResponse__Output>
      EntityFeatures: MessageTypeDefinition<_modelops_v1_EntityFeatures, _modelops_v1_EntityFeatures__Output>
      ExportColumn: MessageTypeDefinition<_modelops_v1_ExportColumn, _modelops_v1_ExportColumn__Output>
      ExportDatasetChunk: MessageTypeDefinition<_modelops_v1_ExportDatasetChunk, _modelops_v1_ExportDatasetChunk__Output>
      ExportDatasetHeader: MessageTypeDefinition<_modelops_v1_ExportDatasetHeader, _modelops_v1_ExportDatasetHeader__Output>
      ExportDatasetRequest: MessageTypeDefinition<_modelops_v1_ExportDatasetRequest, _modelops_v1_ExportDatasetRequest__Output>
      ExportDatasetResponse: MessageTypeDefinition<_modelops_v1_ExportDatasetResponse, _modelops_v1_ExportDatasetResponse__Output>
      FeatureItem: MessageTypeDefinition<_modelops_v1_FeatureItem, _modelops_v1_FeatureItem__Output>
      FeatureRejection: MessageTypeDefinition<_modelops_v1_FeatureRejection, _modelops_v1_FeatureRejection__Output>
      FeatureService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_FeatureServiceClient> & { service: _modelops_v1_FeatureServiceDefinition }
      FeatureStatus: EnumTypeDefinition
      FeatureView: MessageTypeDefinition<_modelops_v1_FeatureView, _modelops_v1_FeatureView__Output>
      GenerateEventsRequest: MessageTypeDefinition<_modelops_v1_GenerateEventsRequest, _modelops_v1_GenerateEventsRequest__Output>
      GenerateEventsResponse: MessageTypeDefinition<_modelops_v1_GenerateEventsResponse, _modelops_v1_GenerateEventsResponse__Output>
      GetDatasetRequest: MessageTypeDefinition<_modelops_v1_GetDatasetRequest, _modelops_v1_GetDatasetRequest__Output>
      GetDatasetResponse: MessageTypeDefinition<_modelops_v1_GetDatasetResponse, _modelops_v1_GetDatasetResponse__Output>
      GetItemFeaturesRequest: MessageTypeDefinition<_modelops_v1_GetItemFeaturesRequest, _modelops_v1_GetItemFeaturesRequest__Output>
      GetItemFeaturesResponse: MessageTypeDefinition<_modelops_v1_GetItemFeaturesResponse, _modelops_v1_GetItemFeaturesResponse__Output>
      GetUserFeaturesRequest: MessageTypeDefinition<_modelops_v1_GetUserFeaturesRequest, _modelops_v1_GetUserFeaturesRequest__Output>
      GetUserFeaturesResponse: MessageTypeDefinition<_modelops_v1_GetUserFeaturesResponse, _modelops_v1_GetUserFeaturesResponse__Output>
      ImportEventsChunk: MessageTypeDefinition<_modelops_v1_ImportEventsChunk, _modelops_v1_ImportEventsChunk__Output>
      ImportEventsHeader: MessageTypeDefinition<_modelops_v1_ImportEventsHeader, _modelops_v1_ImportEventsHeader__Output>
      ImportEventsRequest: MessageTypeDefinition<_modelops_v1_ImportEventsRequest, _modelops_v1_ImportEventsRequest__Output>
      ImportEventsResponse: MessageTypeDefinition<_modelops_v1_ImportEventsResponse, _modelops_v1_ImportEventsResponse__Output>
      IngestEventsRequest: MessageTypeDefinition<_modelops_v1_IngestEventsRequest, _modelops_v1_IngestEventsRequest__Output>
      IngestEventsResponse: MessageTypeDefinition<_modelops_v1_IngestEventsResponse, _modelops_v1_IngestEventsResponse__Output>
      ListDatasetsRequest: MessageTypeDefinition<_modelops_v1_ListDatasetsRequest, _modelops_v1_ListDatasetsRequest__Output>
      ListDatasetsResponse: MessageTypeDefinition<_modelops_v1_ListDatasetsResponse, _modelops_v1_ListDatasetsResponse__Output>
    }
  }
}

