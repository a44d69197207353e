// Original file: proto/modelops/v1/registry_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CollectGarbageRequest as _modelops_v1_CollectGarbageRequest, CollectGarbageRequest__Output as _modelops_v1_CollectGarbageRequest__Output } from '../../modelops/v1/CollectGarbageRequest';
import type { CollectGarbageResponse as _modelops_v1_CollectGarbageResponse, CollectGarbageResponse__Output as _modelops_v1_CollectGarbageResponse__Output } from '../../modelops/v1/CollectGarbageResponse';
import type { CreateModelRequest as _modelops_v1_CreateModelRequest, CreateModelRequest__Output as _modelops_v1_CreateModelRequest__Output } from '../../modelops/v1/CreateModelRequest';
import type { CreateModelResponse as _modelops_v1_CreateModelResponse, CreateModelResponse__Output as _modelops_v1_CreateModelResponse__Output } from '../../modelops/v1/CreateModelResponse';
import type { CreateModelVersionRequest as _modelops_v1_CreateModelVersionRequest, CreateModelVersionRequest__Output as _modelops_v1_CreateModelVersionRequest__Output } from '../../modelops/v1/CreateModelVersionRequest';
import type { CreateModelVersionResponse as _modelops_v1_CreateModelVersionResponse, CreateModelVersionResponse__Output as _modelops_v1_CreateModelVersionResponse__Output } from '../../modelops/v1/CreateModelVersionResponse';
import type { DeleteAliasRequest as _modelops_v1_DeleteAliasRequest, DeleteAliasRequest__Output as _modelops_v1_DeleteAliasRequest__Output } from '../../modelops/v1/DeleteAliasRequest';
import type { DeleteAliasResponse as _modelops_v1_DeleteAliasResponse, DeleteAliasResponse__Output as _modelops_v1_DeleteAliasResponse__Output } from '../../modelops/v1/DeleteAliasResponse';
import type { DeleteModelVersionRequest as _modelops_v1_DeleteModelVersionRequest, DeleteModelVersionRequest__Output as _modelops_v1_DeleteModelVersionRequest__Output } from '../../modelops/v1/DeleteModelVersionRequest';
import type { DeleteModelVersionResponse as _modelops_v1_DeleteModelVersionResponse, DeleteModelVersionResponse__Output as _modelops_v1_DeleteModelVersionResponse__Output } from '../../modelops/v1/DeleteModelVersionResponse';
import type { DownloadModelVersionRequest as _modelops_v1_DownloadModelVersionRequest, DownloadModelVersionRequest__Output as _modelops_v1_DownloadModelVersionRequest__Output } from '../../modelops/v1/DownloadModelVersionRequest';
import type { DownloadModelVersionResponse as _modelops_v1_DownloadModelVersionResponse, DownloadModelVersionResponse__Output as _modelops_v1_DownloadModelVersionResponse__Output } from '../../modelops/v1/DownloadModelVersionResponse';
import type { GetGatePolicyRequest as _modelops_v1_GetGatePolicyRequest, GetGatePolicyRequest__Output as _modelops_v1_GetGatePolicyRequest__Output } from '../../modelops/v1/GetGatePolicyRequest';
import type { GetGatePolicyResponse as _modelops_v1_GetGatePolicyResponse, GetGatePolicyResponse__Output as _modelops_v1_GetGatePolicyResponse__Output } from '../../modelops/v1/GetGatePolicyResponse';
import type { GetModelRequest as _modelops_v1_GetModelRequest, GetModelRequest__Output as _modelops_v1_GetModelRequest__Output } from '../../modelops/v1/GetModelRequest';
import type { GetModelResponse as _modelops_v1_GetModelResponse, GetModelResponse__Output as _modelops_v1_GetModelResponse__Output } from '../../modelops/v1/GetModelResponse';
import type { GetModelVersionRequest as _modelops_v1_GetModelVersionRequest, GetModelVersionRequest__Output as _modelops_v1_GetModelVersionRequest__Output } from '../../modelops/v1/GetModelVersionRequest';
import type { GetModelVersionResponse as _modelops_v1_GetModelVersionResponse, GetModelVersionResponse__Output as _modelops_v1_GetModelVersionResponse__Output } from '../../modelops/v1/GetModelVersionResponse';
import type { ListAuditEventsRequest as _modelops_v1_ListAuditEventsRequest, ListAuditEventsRequest__Output as _modelops_v1_ListAuditEventsRequest__Output } from '../../modelops/v1/ListAuditEventsRequest';
import type { ListAuditEventsResponse as _modelops_v1_ListAuditEventsResponse, ListAuditEventsResponse__Output as _modelops_v1_ListAuditEventsResponse__Output } from '../../modelops/v1/ListAuditEventsResponse';
import type { ListModelVersionsRequest as _modelops_v1_ListModelVersionsRequest, ListModelVersionsRequest__Output as _modelops_v1_ListModelVersionsRequest__Output } from '../../modelops/v1/ListModelVersionsRequest';
import type { ListModelVersionsResponse as _modelops_v1_ListModelVersionsResponse, ListModelVersionsResponse__Output as _modelops_v1_ListModelVersionsResponse__Output } from '../../modelops/v1/ListModelVersionsResponse';
import type { ListModelsRequest as _modelops_v1_ListModelsRequest, ListModelsRequest__Output as _modelops_v1_ListModelsRequest__Output } from '../../modelops/v1/ListModelsRequest';
import type { ListModelsResponse as _modelops_v1_ListModelsResponse, ListModelsResponse__Output as _modelops_v1_ListModelsResponse__Output } from '../../modelops/v1/ListModelsResponse';
import type { PromoteModelVersionRequest as _modelops_v1_PromoteModelVersionRequest, PromoteModelVersionRequest__Output as _modelops_v1_PromoteModelVersionRequest__Output } from '../../modelops/v1/PromoteModelVersionRequest';
import type { PromoteModelVersionResponse as _modelops_v1_PromoteModelVersionResponse, PromoteModelVersionResponse__Output as _modelops_v1_PromoteModelVersionResponse__Output } from '../../modelops/v1/PromoteModelVersionResponse';
import type { RegisterExternalModelRequest as _modelops_v1_RegisterExternalModelRequest, RegisterExternalModelRequest__Output as _modelops_v1_RegisterExternalModelRequest__Output } from '../../modelops/v1/RegisterExternalModelRequest';
import type { RegisterExternalModelResponse as _modelops_v1_RegisterExternalModelResponse, RegisterExternalModelResponse__Output as _modelops_v1_RegisterExternalModelResponse__Output } from '../../modelops/v1/RegisterExternalModelResponse';
import type { RollbackModelRequest as _modelops_v1_RollbackModelRequest, RollbackModelRequest__Output as _modelops_v1_RollbackModelRequest__Output } from '../../modelops/v1/RollbackModelRequest';
import type { RollbackModelResponse as _modelops_v1_RollbackModelResponse, RollbackModelResponse__Output as _modelops_v1_RollbackModelResponse__Output } from '../../modelops/v1/RollbackModelResponse';
import type { SetAliasRequest as _modelops_v1_SetAliasRequest, SetAliasRequest__Output as _modelops_v1_SetAliasRequest__Output } from '../../modelops/v1/SetAliasRequest';
import type { SetAliasResponse as _modelops_v1_SetAliasResponse, SetAliasResponse__Output as _modelops_v1_SetAliasResponse__Output } from '../../modelops/v1/SetAliasResponse';
import type { SetGatePolicyRequest as _modelops_v1_SetGatePolicyRequest, SetGatePolicyRequest__Output as _modelops_v1_SetGatePolicyRequest__Output } from '../../modelops/v1/SetGatePolicyRequest';
import type { SetGatePolicyResponse as _modelops_v1_SetGatePolicyResponse, SetGatePolicyResponse__Output as _modelops_v1_SetGatePolicyResponse__Output } from '../../modelops/v1/SetGatePolicyResponse';

export interface RegistryServiceClient extends grpc.Client {
  CollectGarbage(argument: _modelops_v1_CollectGarbageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CollectGarbageResponse__Output>): grpc.ClientUnaryCall;
  CollectGarbage(argument: _modelops_v1_CollectGarbageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CollectGarbageResponse__Output>): grpc.ClientUnaryCall;
  CollectGarbage(argument: _modelops_v1_CollectGarbageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CollectGarbageResponse__Output>): grpc.ClientUnaryCall;
  CollectGarbage(argument: _modelops_v1_CollectGarbageRequest, callback: grpc.requestCallback<_modelops_v1_CollectGarbageResponse__Output>): grpc.ClientUnaryCall;
  collectGarbage(argument: _modelops_v1_CollectGarbageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CollectGarbageResponse__Output>): grpc.ClientUnaryCall;
  collectGarbage(argument: _modelops_v1_CollectGarbageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CollectGarbageResponse__Output>): grpc.ClientUnaryCall;
  collectGarbage(argument: _modelops_v1_CollectGarbageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CollectGarbageResponse__Output>): grpc.ClientUnaryCall;
  collectGarbage(argument: _modelops_v1_CollectGarbageRequest, callback: grpc.requestCallback<_modelops_v1_CollectGarbageResponse__Output>): grpc.ClientUnaryCall;
  
  CreateModel(argument: _modelops_v1_CreateModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  CreateModel(argument: _modelops_v1_CreateModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  CreateModel(argument: _modelops_v1_CreateModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  CreateModel(argument: _modelops_v1_CreateModelRequest, callback: grpc.requestCallback<_modelops_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  createModel(argument: _modelops_v1_CreateModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  createModel(argument: _modelops_v1_CreateModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  createModel(argument: _modelops_v1_CreateModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  createModel(argument: _modelops_v1_CreateModelRequest, callback: grpc.requestCallback<_modelops_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  
  CreateModelVersion(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateModelVersionResponse__Output>): grpc.ClientWritableStream<_modelops_v1_CreateModelVersionRequest>;
  CreateModelVersion(metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CreateModelVersionResponse__Output>): grpc.ClientWritableStream<_modelops_v1_CreateModelVersionRequest>;
  CreateModelVersion(options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateModelVersionResponse__Output>): grpc.ClientWritableStream<_modelops_v1_CreateModelVersionRequest>;
  CreateModelVersion(callback: grpc.requestCallback<_modelops_v1_CreateModelVersionResponse__Output>): grpc.ClientWritableStream<_modelops_v1_CreateModelVersionRequest>;
  createModelVersion(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateModelVersionResponse__Output>): grpc.ClientWritableStream<_modelops_v1_CreateModelVersionRequest>;
  createModelVersion(metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CreateModelVersionResponse__Output>): grpc.ClientWritableStream<_modelops_v1_CreateModelVersionRequest>;
  createModelVersion(options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateModelVersionResponse__Output>): grpc.ClientWritableStream<_modelops_v1_CreateModelVersionRequest>;
  createModelVersion(callback: grpc.requestCallback<_modelops_v1_CreateModelVersionResponse__Output>): grpc.ClientWritableStream<_modelops_v1_CreateModelVersionRequest>;
  
  DeleteAlias(argument: _modelops_v1_DeleteAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  DeleteAlias(argument: _modelops_v1_DeleteAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  DeleteAlias(argument: _modelops_v1_DeleteAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  DeleteAlias(argument: _modelops_v1_DeleteAliasRequest, callback: grpc.requestCallback<_modelops_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _modelops_v1_DeleteAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _modelops_v1_DeleteAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _modelops_v1_DeleteAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _modelops_v1_DeleteAliasRequest, callback: grpc.requestCallback<_modelops_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteModelVersion(argument: _modelops_v1_DeleteModelVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  DeleteModelVersion(argument: _modelops_v1_DeleteModelVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  DeleteModelVersion(argument: _modelops_v1_DeleteModelVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  DeleteModelVersion(argument: _modelops_v1_DeleteModelVersionRequest, callback: grpc.requestCallback<_modelops_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteModelVersion(argument: _modelops_v1_DeleteModelVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteModelVersion(argument: _modelops_v1_DeleteModelVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteModelVersion(argument: _modelops_v1_DeleteModelVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteModelVersion(argument: _modelops_v1_DeleteModelVersionRequest, callback: grpc.requestCallback<_modelops_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  
  DownloadModelVersion(argument: _modelops_v1_DownloadModelVersionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_DownloadModelVersionResponse__Output>;
  DownloadModelVersion(argument: _modelops_v1_DownloadModelVersionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_DownloadModelVersionResponse__Output>;
  downloadModelVersion(argument: _modelops_v1_DownloadModelVersionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_DownloadModelVersionResponse__Output>;
  downloadModelVersion(argument: _modelops_v1_DownloadModelVersionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_DownloadModelVersionResponse__Output>;
  
  GetGatePolicy(argument: _modelops_v1_GetGatePolicyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  GetGatePolicy(argument: _modelops_v1_GetGatePolicyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  GetGatePolicy(argument: _modelops_v1_GetGatePolicyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  GetGatePolicy(argument: _modelops_v1_GetGatePolicyRequest, callback: grpc.requestCallback<_modelops_v1_GetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  getGatePolicy(argument: _modelops_v1_GetGatePolicyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  getGatePolicy(argument: _modelops_v1_GetGatePolicyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  getGatePolicy(argument: _modelops_v1_GetGatePolicyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  getGatePolicy(argument: _modelops_v1_GetGatePolicyRequest, callback: grpc.requestCallback<_modelops_v1_GetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  
  GetModel(argument: _modelops_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _modelops_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _modelops_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _modelops_v1_GetModelRequest, callback: grpc.requestCallback<_modelops_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _modelops_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _modelops_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _modelops_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _modelops_v1_GetModelRequest, callback: grpc.requestCallback<_modelops_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  
  GetModelVersion(argument: _modelops_v1_GetModelVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetModelVersionResponse__Output>): grpc.ClientUnaryCall;
  GetModelVersion(argument: _modelops_v1_GetModelVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetModelVersionResponse__Output>): grpc.ClientUnaryCall;
  GetModelVersion(argument: _modelops_v1_GetModelVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetModelVersionResponse__Output>): grpc.ClientUnaryCall;
  GetModelVersion(argument: _modelops_v1_GetModelVersionRequest, callback: grpc.requestCallback<_modelops_v1_GetModelVersionResponse__Output>): grpc.ClientUnaryCall;
  getModelVersion(argument: _modelops_v1_GetModelVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetModelVersionResponse__Output>): grpc.ClientUnaryCall;
  getModelVersion(argument: _modelops_v1_GetModelVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetModelVersionResponse__Output>): grpc.ClientUnaryCall;
  getModelVersion(argument: _modelops_v1_GetModelVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetModelVersionResponse__Output>): grpc.ClientUnaryCall;
  getModelVersion(argument: _modelops_v1_GetModelVersionRequest, callback: grpc.requestCallback<_modelops_v1_GetModelVersionResponse__Output>): grpc.ClientUnaryCall;
  
  ListAuditEvents(argument: _modelops_v1_ListAuditEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  ListAuditEvents(argument: _modelops_v1_ListAuditEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  ListAuditEvents(argument: _modelops_v1_ListAuditEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  ListAuditEvents(argument: _modelops_v1_ListAuditEventsRequest, callback: grpc.requestCallback<_modelops_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  listAuditEvents(argument: _modelops_v1_ListAuditEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  listAuditEvents(argument: _modelops_v1_ListAuditEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  listAuditEvents(argument: _modelops_v1_ListAuditEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  listAuditEvents(argument: _modelops_v1_ListAuditEventsRequest, callback: grpc.requestCallback<_modelops_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  
  ListModelVersions(argument: _modelops_v1_ListModelVersionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListModelVersionsResponse__Output>): grpc.ClientUnaryCall;
  ListModelVersions(argument: _modelops_v1_ListModelVersionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListModelVersionsResponse__Output>): grpc.ClientUnaryCall;
  ListModelVersions(argument: _modelops_v1_ListModelVersionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListModelVersionsResponse__Output>): grpc.ClientUnaryCall;
  ListModelVersions(argument: _modelops_v1_ListModelVersionsRequest, callback: grpc.requestCallback<_modelops_v1_ListModelVersionsResponse__Output>): grpc.ClientUnaryCall;
  listModelVersions(argument: _modelops_v1_ListModelVersionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListModelVersionsResponse__Output>): grpc.ClientUnaryCall;
  listModelVersions(argument: _modelops_v1_ListModelVersionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListModelVersionsResponse__Output>): grpc.ClientUnaryCall;
  listModelVersions(argument: _modelops_v1_ListModelVersionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListModelVersionsResponse__Output>): grpc.ClientUnaryCall;
  listModelVersions(argument: _modelops_v1_ListModelVersionsRequest, callback: grpc.requestCallback<_modelops_v1_ListModelVersionsResponse__Output>): grpc.ClientUnaryCall;
  
  ListModels(argument: _modelops_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _modelops_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _modelops_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _modelops_v1_ListModelsRequest, callback: grpc.requestCallback<_modelops_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _modelops_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _modelops_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _modelops_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _modelops_v1_ListModelsRequest, callback: grpc.requestCallback<_modelops_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  
  PromoteModelVersion(argument: _modelops_v1_PromoteModelVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_PromoteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  PromoteModelVersion(argument: _modelops_v1_PromoteModelVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_PromoteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  PromoteModelVersion(argument: _modelops_v1_PromoteModelVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_PromoteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  PromoteModelVersion(argument: _modelops_v1_PromoteModelVersionRequest, callback: grpc.requestCallback<_modelops_v1_PromoteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  promoteModelVersion(argument: _modelops_v1_PromoteModelVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_PromoteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  promoteModelVersion(argument: _modelops_v1_PromoteModelVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_PromoteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  promoteModelVersion(argument: _modelops_v1_PromoteModelVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_PromoteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  promoteModelVersion(argument: _modelops_v1_PromoteModelVersionRequest, callback: grpc.requestCallback<_modelops_v1_PromoteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  
  RegisterExternalModel(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RegisterExternalModelResponse__Output>): grpc.ClientWritableStream<_modelops_v1_RegisterExternalModelRequest>;
  RegisterExternalModel(metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RegisterExternalModelResponse__Output>): grpc.ClientWritableStream<_modelops_v1_RegisterExternalModelRequest>;
  RegisterExternalModel(options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RegisterExternalModelResponse__Output>): grpc.ClientWritableStream<_modelops_v1_RegisterExternalModelRequest>;
  RegisterExternalModel(callback: grpc.requestCallback<_modelops_v1_RegisterExternalModelResponse__Output>): grpc.ClientWritableStream<_modelops_v1_RegisterExternalModelRequest>;
  registerExternalModel(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RegisterExternalModelResponse__Output>): grpc.ClientWritableStream<_modelops_v1_RegisterExternalModelRequest>;
  registerExternalModel(metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RegisterExternalModelResponse__Output>): grpc.ClientWritableStream<_modelops_v1_RegisterExternalModelRequest>;
  registerExternalModel(options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RegisterExternalModelResponse__Output>): grpc.ClientWritableStream<_modelops_v1_RegisterExternalModelRequest>;
  registerExternalModel(callback: grpc.requestCallback<_modelops_v1_RegisterExternalModelResponse__Output>): grpc.ClientWritableStream<_modelops_v1_RegisterExternalModelRequest>;
  
  RollbackModel(argument: _modelops_v1_RollbackModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RollbackModelResponse__Output>): grpc.ClientUnaryCall;
  RollbackModel(argument: _modelops_v1_RollbackModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RollbackModelResponse__Output>): grpc.ClientUnaryCall;
  RollbackModel(argument: _modelops_v1_RollbackModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RollbackModelResponse__Output>): grpc.ClientUnaryCall;
  RollbackModel(argument: _modelops_v1_RollbackModelRequest, callback: grpc.requestCallback<_modelops_v1_RollbackModelResponse__Output>): grpc.ClientUnaryCall;
  rollbackModel(argument: _modelops_v1_RollbackModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RollbackModelResponse__Output>): grpc.ClientUnaryCall;
  rollbackModel(argument: _modelops_v1_RollbackModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RollbackModelResponse__Output>): grpc.ClientUnaryCall;
  rollbackModel(argument: _modelops_v1_RollbackModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RollbackModelResponse__Output>): grpc.ClientUnaryCall;
  rollbackModel(argument: _modelops_v1_RollbackModelRequest, callback: grpc.requestCallback<_modelops_v1_RollbackModelResponse__Output>): grpc.ClientUnaryCall;
  
  SetAlias(argument: _modelops_v1_SetAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  SetAlias(argument: _modelops_v1_SetAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  SetAlias(argument: _modelops_v1_SetAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  SetAlias(argument: _modelops_v1_SetAliasRequest, callback: grpc.requestCallback<_modelops_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  setAlias(argument: _modelops_v1_SetAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  setAlias(argument: _modelops_v1_SetAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  setAlias(argument: _modelops_v1_SetAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  setAlias(argument: _modelops_v1_SetAliasRequest, callback: grpc.requestCallback<_modelops_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  
  SetGatePolicy(argument: _modelops_v1_SetGatePolicyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_SetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  SetGatePolicy(argument: _modelops_v1_SetGatePolicyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_SetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  SetGatePolicy(argument: _modelops_v1_SetGatePolicyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_SetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  SetGatePolicy(argument: _modelops_v1_SetGatePolicyRequest, callback: grpc.requestCallback<_modelops_v1_SetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  setGatePolicy(argument: _modelops_v1_SetGatePolicyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_SetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  setGatePolicy(argument: _modelops_v1_SetGatePolicyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_SetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  setGatePolicy(argument: _modelops_v1_SetGatePolicyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_SetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  setGatePolicy(argument: _modelops_v1_SetGatePolicyRequest, callback: grpc.requestCallback<_modelops_v1_SetGatePolicyResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface RegistryServiceHandlers extends grpc.UntypedServiceImplementation {
  CollectGarbage: grpc.handleUnaryCall<_modelops_v1_CollectGarbageRequest__Output, _modelops_v1_CollectGarbageResponse>;
  
  CreateModel: grpc.handleUnaryCall<_modelops_v1_CreateModelRequest__Output, _modelops_v1_CreateModelResponse>;
  
  CreateModelVersion: grpc.handleClientStreamingCall<_modelops_v1_CreateModelVersionRequest__Output, _modelops_v1_CreateModelVersionResponse>;
  
  DeleteAlias: grpc.handleUnaryCall<_modelops_v1_DeleteAliasRequest__Output, _modelops_v1_DeleteAliasResponse>;
  
  DeleteModelVersion: grpc.handleUnaryCall<_modelops_v1_DeleteModelVersionRequest__Output, _modelops_v1_DeleteModelVersionResponse>;
  
  DownloadModelVersion: grpc.handleServerStreamingCall<_modelops_v1_DownloadModelVersionRequest__Output, _modelops_v1_DownloadModelVersionResponse>;
  
  GetGatePolicy: grpc.handleUnaryCall<_modelops_v1_GetGatePolicyRequest__Output, _modelops_v1_GetGatePolicyResponse>;
  
  GetModel: grpc.handleUnaryCall<_modelops_v1_GetModelRequest__Output, _modelops_v1_GetModelResponse>;
  
  GetModelVersion: grpc.handleUnaryCall<_modelops_v1_GetModelVersionRequest__Output, _modelops_v1_GetModelVersionResponse>;
  
  ListAuditEvents: grpc.handleUnaryCall<_modelops_v1_ListAuditEventsRequest__Output, _modelops_v1_ListAuditEventsResponse>;
  
  ListModelVersions: grpc.handleUnaryCall<_modelops_v1_ListModelVersionsRequest__Output, _modelops_v1_ListModelVersionsResponse>;
  
  ListModels: grpc.handleUnaryCall<_modelops_v1_ListModelsRequest__Output, _modelops_v1_ListModelsResponse>;
  
  PromoteModelVersion: grpc.handleUnaryCall<_modelops_v1_PromoteModelVersionRequest__Output, _modelops_v1_PromoteModelVersionResponse>;
  
  RegisterExternalModel: grpc.handleClientStreamingCall<_modelops_v1_RegisterExternalModelRequest__Output, _modelops_v1_RegisterExternalModelResponse>;
  
  RollbackModel: grpc.handleUnaryCall<_modelops_v1_RollbackModelRequest__Output, _modelops_v1_RollbackModelResponse>;
  
  SetAlias: grpc.handleUnaryCall<_modelops_v1_SetAliasRequest__Output, _modelops_v1_SetAliasResponse>;
  
  SetGatePolicy: grpc.handleUnaryCall<_modelops_v1_SetGatePolicyRequest__Output, _modelops_v1_SetGatePolicyResponse>;
  
}

export interface RegistryServiceDefinition extends grpc.ServiceDefinition {
  CollectGarbage: MethodDefinition<_modelops_v1_CollectGarbageRequest, _modelops_v1_CollectGarbageResponse, _modelops_v1_CollectGarbageRequest__Output, _modelops_v1_CollectGarbageResponse__Output>
  CreateModel: MethodDefinition<_modelops_v1_CreateModelRequest, _modelops_v1_CreateModelResponse, _modelops_v1_CreateModelRequest__Output, _modelops_v1_CreateModelResponse__Output>
  CreateModelVersion: MethodDefinition<_modelops_v1_CreateModelVersionRequest, _modelops_v1_CreateModelVersionResponse, _modelops_v1_CreateModelVersionRequest__Output, _modelops_v1_CreateModelVersionResponse__Output>
  DeleteAlias: MethodDefinition<_modelops_v1_DeleteAliasRequest, _modelops_v1_DeleteAliasResponse, _modelops_v1_DeleteAliasRequest__Output, _modelops_v1_DeleteAliasResponse__Output>
  DeleteModelVersion: MethodDefinition<_modelops_v1_DeleteModelVersionRequest, _modelops_v1_DeleteModelVersionResponse, _modelops_v1_DeleteModelVersionRequest__Output, _modelops_v1_DeleteModelVersionResponse__Output>
  DownloadModelVersion: MethodDefinition<_modelops_v1_DownloadModelVersionRequest, _modelops_v1_DownloadModelVersionResponse, _modelops_v1_DownloadModelVersionRequest__Output, _modelops_v1_DownloadModelVersionResponse__Output>
  GetGatePolicy: MethodDefinition<_modelops_v1_GetGatePolicyRequest, _modelops_v1_GetGatePolicyResponse, _modelops_v1_GetGatePolicyRequest__Output, _modelops_v1_GetGatePolicyResponse__Output>
  GetModel: MethodDefinition<_modelops_v1_GetModelRequest, _modelops_v1_GetModelResponse, _modelops_v1_GetModelRequest__Output, _modelops_v1_GetModelResponse__Output>
  GetModelVersion: MethodDefinition<_modelops_v1_GetModelVersionRequest, _modelops_v1_GetModelVersionResponse, _modelops_v1_GetModelVersionRequest__Output, _modelops_v1_GetModelVersionResponse__Output>
  ListAuditEvents: MethodDefinition<_modelops_v1_ListAuditEventsRequest, _modelops_v1_ListAuditEventsResponse, _modelops_v1_ListAuditEventsRequest__Output, _modelops_v1_ListAuditEventsResponse__Output>
  ListModelVersions: MethodDefinition<_modelops_v1_ListModelVersionsRequest, _modelops_v1_ListModelVersionsResponse, _modelops_v1_ListModelVersionsRequest__Output, _modelops_v1_ListModelVersionsResponse__Output>
  ListModels: MethodDefinition<_modelops_v1_ListModelsRequest, _modelops_v1_ListModelsResponse, _modelops_v1_ListModelsRequest__Output, _modelops_v1_ListModelsResponse__Output>
  PromoteModelVersion: MethodDefinition<_modelops_v1_PromoteModelVersionRequest, _modelops_v1_PromoteModelVersionResponse, _modelops_v1_PromoteModelVersionRequest__Output, _modelops_v1_PromoteModelVersionResponse__Output>
  RegisterExternalModel: MethodDefinition<_modelops_v1_RegisterExternalModelRequest, _modelops_v1_RegisterExternalModelResponse, _modelops_v1_RegisterExternalModelRequest__Output, _modelops_v1_RegisterExternalModelResponse__Output>
  RollbackModel: MethodDefinition<_modelops_v1_RollbackModelRequest, _modelops_v1_RollbackModelResponse, _modelops_v1_RollbackModelRequest__Output, _modelops_v1_RollbackModelResponse__Output>
  SetAlias: MethodDefinition<_modelops_v1_SetAliasRequest, _modelops_v1_SetAliasResponse, _modelops_v1_SetAliasRequest__Output, _modelops_v1_SetAliasResponse__Output>
  SetGatePolicy: MethodDefinition<_modelops_v1_SetGatePolicyRequest, _modelops_v1_SetGatePolicyResponse, _modelops_v1_SetGatePolicyRequest__Output, _modelops_v1_SetGatePolicyResponse__Output>
}
