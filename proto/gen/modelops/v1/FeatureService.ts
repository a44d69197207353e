// Original file: proto/modelops/v1/feature_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BuildDatasetRequest as _modelops_v1_BuildDatasetRequest, BuildDatasetRequest__Output as _modelops_v1_BuildDatasetRequest__Output } from '../../modelops/v1/BuildDatasetRequest';
import type { BuildDatasetResponse as _modelops_v1_BuildDatasetResponse, BuildDatasetResponse__Output as _modelops_v1_BuildDatasetResponse__Output } from '../../modelops/v1/BuildDatasetResponse';
import type { DeleteDatasetRequest as _modelops_v1_DeleteDatasetRequest, DeleteDatasetRequest__Output as _modelops_v1_DeleteDatasetRequest__Output } from '../../modelops/v1/DeleteDatasetRequest';
import type { DeleteDatasetResponse as _modelops_v1_DeleteDatasetResponse, DeleteDatasetResponse__Output as _modelops_v1_DeleteDatasetResponse__Output } from '../../modelops/v1/DeleteDatasetResponse';
import type { ExportDatasetRequest as _modelops_v1_ExportDatasetRequest, ExportDatasetRequest__Output as _modelops_v1_ExportDatasetRequest__Output } from '../../modelops/v1/ExportDatasetRequest';
import type { ExportDatasetResponse as _modelops_v1_ExportDatasetResponse, ExportDatasetResponse__Output as _modelops_v1_ExportDatasetResponse__Output } from '../../modelops/v1/ExportDatasetResponse';
import type { GenerateEventsRequest as _modelops_v1_GenerateEventsRequest, GenerateEventsRequest__Output as _modelops_v1_GenerateEventsRequest__Output } from '../../modelops/v1/GenerateEventsRequest';
import type { GenerateEventsResponse as _modelops_v1_GenerateEventsResponse, GenerateEventsResponse__Output as _modelops_v1_GenerateEventsResponse__Output } from '../../modelops/v1/GenerateEventsResponse';
import type { GetDatasetRequest as _modelops_v1_GetDatasetRequest, GetDatasetRequest__Output as _modelops_v1_GetDatasetRequest__Output } from '../../modelops/v1/GetDatasetRequest';
import type { GetDatasetResponse as _modelops_v1_GetDatasetResponse, GetDatasetResponse__Output as _modelops_v1_GetDatasetResponse__Output } from '../../modelops/v1/GetDatasetResponse';
import type { GetItemFeaturesRequest as _modelops_v1_GetItemFeaturesRequest, GetItemFeaturesRequest__Output as _modelops_v1_GetItemFeaturesRequest__Output } from '../../modelops/v1/GetItemFeaturesRequest';
import type { GetItemFeaturesResponse as _modelops_v1_GetItemFeaturesResponse, GetItemFeaturesResponse__Output as _modelops_v1_GetItemFeaturesResponse__Output } from '../../modelops/v1/GetItemFeaturesResponse';
import type { GetUserFeaturesRequest as _modelops_v1_GetUserFeaturesRequest, GetUserFeaturesRequest__Output as _modelops_v1_GetUserFeaturesRequest__Output } from '../../modelops/v1/GetUserFeaturesRequest';
import type { GetUserFeaturesResponse as _modelops_v1_GetUserFeaturesResponse, GetUserFeaturesResponse__Output as _modelops_v1_GetUserFeaturesResponse__Output } from '../../modelops/v1/GetUserFeaturesResponse';
import type { ImportEventsRequest as _modelops_v1_ImportEventsRequest, ImportEventsRequest__Output as _modelops_v1_ImportEventsRequest__Output } from '../../modelops/v1/ImportEventsRequest';
import type { ImportEventsResponse as _modelops_v1_ImportEventsResponse, ImportEventsResponse__Output as _modelops_v1_ImportEventsResponse__Output } from '../../modelops/v1/ImportEventsResponse';
import type { IngestEventsRequest as _modelops_v1_IngestEventsRequest, IngestEventsRequest__Output as _modelops_v1_IngestEventsRequest__Output } from '../../modelops/v1/IngestEventsRequest';
import type { IngestEventsResponse as _modelops_v1_IngestEventsResponse, IngestEventsResponse__Output as _modelops_v1_IngestEventsResponse__Output } from '../../modelops/v1/IngestEventsResponse';
import type { ListDatasetsRequest as _modelops_v1_ListDatasetsRequest, ListDatasetsRequest__Output as _modelops_v1_ListDatasetsRequest__Output } from '../../modelops/v1/ListDatasetsRequest';
import type { ListDatasetsResponse as _modelops_v1_ListDatasetsResponse, ListDatasetsResponse__Output as _modelops_v1_ListDatasetsResponse__Output } from '../../modelops/v1/ListDatasetsResponse';

export interface FeatureServiceClient extends grpc.Client {
  BuildDataset(argument: _modelops_v1_BuildDatasetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_BuildDatasetResponse__Output>): grpc.ClientUnaryCall;
  BuildDataset(argument: _modelops_v1_BuildDatasetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_BuildDatasetResponse__Output>): grpc.ClientUnaryCall;
  BuildDataset(argument: _modelops_v1_BuildDatasetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_BuildDatasetResponse__Output>): grpc.ClientUnaryCall;
  BuildDataset(argument: _modelops_v1_BuildDatasetRequest, callback: grpc.requestCallback<_modelops_v1_BuildDatasetResponse__Output>): grpc.ClientUnaryCall;
  buildDataset(argument: _modelops_v1_BuildDatasetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_BuildDatasetResponse__Output>): grpc.ClientUnaryCall;
  buildDataset(argument: _modelops_v1_BuildDatasetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_BuildDatasetResponse__Output>): grpc.ClientUnaryCall;
  buildDataset(argument: _modelops_v1_BuildDatasetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_BuildDatasetResponse__Output>): grpc.ClientUnaryCall;
  buildDataset(argument: _modelops_v1_BuildDatasetRequest, callback: grpc.requestCallback<_modelops_v1_BuildDatasetResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteDataset(argument: _modelops_v1_DeleteDatasetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  DeleteDataset(argument: _modelops_v1_DeleteDatasetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  DeleteDataset(argument: _modelops_v1_DeleteDatasetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  DeleteDataset(argument: _modelops_v1_DeleteDatasetRequest, callback: grpc.requestCallback<_modelops_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  deleteDataset(argument: _modelops_v1_DeleteDatasetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  deleteDataset(argument: _modelops_v1_DeleteDatasetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  deleteDataset(argument: _modelops_v1_DeleteDatasetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  deleteDataset(argument: _modelops_v1_DeleteDatasetRequest, callback: grpc.requestCallback<_modelops_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  
  ExportDataset(argument: _modelops_v1_ExportDatasetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_ExportDatasetResponse__Output>;
  ExportDataset(argument: _modelops_v1_ExportDatasetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_ExportDatasetResponse__Output>;
  exportDataset(argument: _modelops_v1_ExportDatasetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_ExportDatasetResponse__Output>;
  exportDataset(argument: _modelops_v1_ExportDatasetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_ExportDatasetResponse__Output>;
  
  GenerateEvents(argument: _modelops_v1_GenerateEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GenerateEventsResponse__Output>): grpc.ClientUnaryCall;
  GenerateEvents(argument: _modelops_v1_GenerateEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GenerateEventsResponse__Output>): grpc.ClientUnaryCall;
  GenerateEvents(argument: _modelops_v1_GenerateEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GenerateEventsResponse__Output>): grpc.ClientUnaryCall;
  GenerateEvents(argument: _modelops_v1_GenerateEventsRequest, callback: grpc.requestCallback<_modelops_v1_GenerateEventsResponse__Output>): grpc.ClientUnaryCall;
  generateEvents(argument: _modelops_v1_GenerateEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GenerateEventsResponse__Output>): grpc.ClientUnaryCall;
  generateEvents(argument: _modelops_v1_GenerateEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GenerateEventsResponse__Output>): grpc.ClientUnaryCall;
  generateEvents(argument: _modelops_v1_GenerateEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GenerateEventsResponse__Output>): grpc.ClientUnaryCall;
  generateEvents(argument: _modelops_v1_GenerateEventsRequest, callback: grpc.requestCallback<_modelops_v1_GenerateEventsResponse__Output>): grpc.ClientUnaryCall;
  
  GetDataset(argument: _modelops_v1_GetDatasetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetDatasetResponse__Output>): grpc.ClientUnaryCall;
  GetDataset(argument: _modelops_v1_GetDatasetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetDatasetResponse__Output>): grpc.ClientUnaryCall;
  GetDataset(argument: _modelops_v1_GetDatasetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetDatasetResponse__Output>): grpc.ClientUnaryCall;
  GetDataset(argument: _modelops_v1_GetDatasetRequest, callback: grpc.requestCallback<_modelops_v1_GetDatasetResponse__Output>): grpc.ClientUnaryCall;
  getDataset(argument: _modelops_v1_GetDatasetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetDatasetResponse__Output>): grpc.ClientUnaryCall;
  getDataset(argument: _modelops_v1_GetDatasetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetDatasetResponse__Output>): grpc.ClientUnaryCall;
  getDataset(argument: _modelops_v1_GetDatasetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetDatasetResponse__Output>): grpc.ClientUnaryCall;
  getDataset(argument: _modelops_v1_GetDatasetRequest, callback: grpc.requestCallback<_modelops_v1_GetDatasetResponse__Output>): grpc.ClientUnaryCall;
  
  GetItemFeatures(argument: _modelops_v1_GetItemFeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetItemFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetItemFeatures(argument: _modelops_v1_GetItemFeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetItemFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetItemFeatures(argument: _modelops_v1_GetItemFeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetItemFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetItemFeatures(argument: _modelops_v1_GetItemFeaturesRequest, callback: grpc.requestCallback<_modelops_v1_GetItemFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getItemFeatures(argument: _modelops_v1_GetItemFeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetItemFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getItemFeatures(argument: _modelops_v1_GetItemFeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetItemFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getItemFeatures(argument: _modelops_v1_GetItemFeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetItemFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getItemFeatures(argument: _modelops_v1_GetItemFeaturesRequest, callback: grpc.requestCallback<_modelops_v1_GetItemFeaturesResponse__Output>): grpc.ClientUnaryCall;
  
  GetUserFeatures(argument: _modelops_v1_GetUserFeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetUserFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetUserFeatures(argument: _modelops_v1_GetUserFeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetUserFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetUserFeatures(argument: _modelops_v1_GetUserFeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetUserFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetUserFeatures(argument: _modelops_v1_GetUserFeaturesRequest, callback: grpc.requestCallback<_modelops_v1_GetUserFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getUserFeatures(argument: _modelops_v1_GetUserFeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetUserFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getUserFeatures(argument: _modelops_v1_GetUserFeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetUserFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getUserFeatures(argument: _modelops_v1_GetUserFeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetUserFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getUserFeatures(argument: _modelops_v1_GetUserFeaturesRequest, callback: grpc.requestCallback<_modelops_v1_GetUserFeaturesResponse__Output>): grpc.ClientUnaryCall;
  
  ImportEvents(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ImportEventsResponse__Output>): grpc.ClientWritableStream<_modelops_v1_ImportEventsRequest>;
  ImportEvents(metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ImportEventsResponse__Output>): grpc.ClientWritableStream<_modelops_v1_ImportEventsRequest>;
  ImportEvents(options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ImportEventsResponse__Output>): grpc.ClientWritableStream<_modelops_v1_ImportEventsRequest>;
  ImportEvents(callback: grpc.requestCallback<_modelops_v1_ImportEventsResponse__Output>): grpc.ClientWritableStream<_modelops_v1_ImportEventsRequest>;
  importEvents(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ImportEventsResponse__Output>): grpc.ClientWritableStream<_modelops_v1_ImportEventsRequest>;
  importEvents(metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ImportEventsResponse__Output>): grpc.ClientWritableStream<_modelops_v1_ImportEventsRequest>;
  importEvents(options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ImportEventsResponse__Output>): grpc.ClientWritableStream<_modelops_v1_ImportEventsRequest>;
  importEvents(callback: grpc.requestCallback<_modelops_v1_ImportEventsResponse__Output>): grpc.ClientWritableStream<_modelops_v1_ImportEventsRequest>;
  
  IngestEvents(argument: _modelops_v1_IngestEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_IngestEventsResponse__Output>): grpc.ClientUnaryCall;
  IngestEvents(argument: _modelops_v1_IngestEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_IngestEventsResponse__Output>): grpc.ClientUnaryCall;
  IngestEvents(argument: _modelops_v1_IngestEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_IngestEventsResponse__Output>): grpc.ClientUnaryCall;
  IngestEvents(argument: _modelops_v1_IngestEventsRequest, callback: grpc.requestCallback<_modelops_v1_IngestEventsResponse__Output>): grpc.ClientUnaryCall;
  ingestEvents(argument: _modelops_v1_IngestEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_IngestEventsResponse__Output>): grpc.ClientUnaryCall;
  ingestEvents(argument: _modelops_v1_IngestEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_IngestEventsResponse__Output>): grpc.ClientUnaryCall;
  ingestEvents(argument: _modelops_v1_IngestEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_IngestEventsResponse__Output>): grpc.ClientUnaryCall;
  ingestEvents(argument: _modelops_v1_IngestEventsRequest, callback: grpc.requestCallback<_modelops_v1_IngestEventsResponse__Output>): grpc.ClientUnaryCall;
  
  ListDatasets(argument: _modelops_v1_ListDatasetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  ListDatasets(argument: _modelops_v1_ListDatasetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  ListDatasets(argument: _modelops_v1_ListDatasetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  ListDatasets(argument: _modelops_v1_ListDatasetsRequest, callback: grpc.requestCallback<_modelops_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  listDatasets(argument: _modelops_v1_ListDatasetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  listDatasets(argument: _modelops_v1_ListDatasetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  listDatasets(argument: _modelops_v1_ListDatasetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  listDatasets(argument: _modelops_v1_ListDatasetsRequest, callback: grpc.requestCallback<_modelops_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface FeatureServiceHandlers extends grpc.UntypedServiceImplementation {
  BuildDataset: grpc.handleUnaryCall<_modelops_v1_BuildDatasetRequest__Output, _modelops_v1_BuildDatasetResponse>;
  
  DeleteDataset: grpc.handleUnaryCall<_modelops_v1_DeleteDatasetRequest__Output, _modelops_v1_DeleteDatasetResponse>;
  
  ExportDataset: grpc.handleServerStreamingCall<_modelops_v1_ExportDatasetRequest__Output, _modelops_v1_ExportDatasetResponse>;
  
  GenerateEvents: grpc.handleUnaryCall<_modelops_v1_GenerateEventsRequest__Output, _modelops_v1_GenerateEventsResponse>;
  
  GetDataset: grpc.handleUnaryCall<_modelops_v1_GetDatasetRequest__Output, _modelops_v1_GetDatasetResponse>;
  
  GetItemFeatures: grpc.handleUnaryCall<_modelops_v1_GetItemFeaturesRequest__Output, _modelops_v1_GetItemFeaturesResponse>;
  
  GetUserFeatures: grpc.handleUnaryCall<_modelops_v1_GetUserFeaturesRequest__Output, _modelops_v1_GetUserFeaturesResponse>;
  
  ImportEvents: grpc.handleClientStreamingCall<_modelops_v1_ImportEventsRequest__Output, _modelops_v1_ImportEventsResponse>;
  
  IngestEvents: grpc.handleUnaryCall<_modelops_v1_IngestEventsRequest__Output, _modelops_v1_IngestEventsResponse>;
  
  ListDatasets: grpc.handleUnaryCall<_modelops_v1_ListDatasetsRequest__Output, _modelops_v1_ListDatasetsResponse>;
  
}

export interface FeatureServiceDefinition extends grpc.ServiceDefinition {
  BuildDataset: MethodDefinition<_modelops_v1_BuildDatasetRequest, _modelops_v1_BuildDatasetResponse, _modelops_v1_BuildDatasetRequest__Output, _modelops_v1_BuildDatasetResponse__Output>
  DeleteDataset: MethodDefinition<_modelops_v1_DeleteDatasetRequest, _modelops_v1_DeleteDatasetResponse, _modelops_v1_DeleteDatasetRequest__Output, _modelops_v1_DeleteDatasetResponse__Output>
  ExportDataset: MethodDefinition<_modelops_v1_ExportDatasetRequest, _modelops_v1_ExportDatasetResponse, _modelops_v1_ExportDatasetRequest__Output, _modelops_v1_ExportDatasetResponse__Output>
  GenerateEvents: MethodDefinition<_modelops_v1_GenerateEventsRequest, _modelops_v1_GenerateEventsResponse, _modelops_v1_GenerateEventsRequest__Output, _modelops_v1_GenerateEventsResponse__Output>
  GetDataset: MethodDefinition<_modelops_v1_GetDatasetRequest, _modelops_v1_GetDatasetResponse, _modelops_v1_GetDatasetRequest__Output, _modelops_v1_GetDatasetResponse__Output>
  GetItemFeatures: MethodDefinition<_modelops_v1_GetItemFeaturesRequest, _modelops_v1_GetItemFeaturesResponse, _modelops_v1_GetItemFeaturesRequest__Output, _modelops_v1_GetItemFeaturesResponse__Output>
  GetUserFeatures: MethodDefinition<_modelops_v1_GetUserFeaturesRequest, _modelops_v1_GetUserFeaturesResponse, _modelops_v1_GetUserFeaturesRequest__Output, _modelops_v1_GetUserFeaturesResponse__Output>
  ImportEvents: MethodDefinition<_modelops_v1_ImportEventsRequest, _modelops_v1_ImportEventsResponse, _modelops_v1_ImportEventsRequest__Output, _modelops_v1_ImportEventsResponse__Output>
  IngestEvents: MethodDefinition<_modelops_v1_IngestEventsRequest, _modelops_v1_IngestEventsResponse, _modelops_v1_IngestEventsRequest__Output, _modelops_v1_IngestEventsResponse__Output>
  ListDatasets: MethodDefinition<_modelops_v1_ListDatasetsRequest, _modelops_v1_ListDatasetsResponse, _modelops_v1_ListDatasetsRequest__Output, _modelops_v1_ListDatasetsResponse__Output>
}
