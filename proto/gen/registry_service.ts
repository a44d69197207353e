import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { AliasBinding as _modelops_v1_AliasBinding, AliasBinding__Output as _modelops_v1_AliasBinding__Output } from './modelops/v1/AliasBinding';
import type { AuditEvent as _modelops_v1_AuditEvent, AuditEvent__Output as _modelops_v1_AuditEvent__Output } from './modelops/v1/AuditEvent';
import type { CollectGarbageRequest as _modelops_v1_CollectGarbageRequest, CollectGarbageRequest__Output as _modelops_v1_CollectGarbageRequest__Output } from './modelops/v1/CollectGarbageRequest';
import type { CollectGarbageResponse as _modelops_v1_CollectGarbageResponse, CollectGarbageResponse__Output as _modelops_v1_CollectGarbageResponse__Output } from './modelops/v1/CollectGarbageResponse';
import type { CreateModelRequest as _modelops_v1_CreateModelRequest, CreateModelRequest__Output as _modelops_v1_CreateModelRequest__Output } from './modelops/v1/CreateModelRequest';
import type { CreateModelResponse as _modelops_v1_CreateModelResponse, CreateModelResponse__Output as _modelops_v1_CreateModelResponse__Output } from './modelops/v1/CreateModelResponse';
import type { CreateModelVersionRequest as _modelops_v1_CreateModelVersionRequest, CreateModelVersionRequest__Output as _modelops_v1_CreateModelVersionRequest__Output } from './modelops/v1/CreateModelVersionRequest';
import type { CreateModelVersionResponse as _modelops_v1_CreateModelVersionResponse, CreateModelVersionResponse__Output as _modelops_v1_CreateModelVersionResponse__Output } from './modelops/v1/CreateModelVersionResponse';
import type { DeleteAliasRequest as _modelops_v1_DeleteAliasRequest, DeleteAliasRequest__Output as _modelops_v1_DeleteAliasRequest__Output } from './modelops/v1/DeleteAliasRequest';
import type { DeleteAliasResponse as _modelops_v1_DeleteAliasResponse, DeleteAliasResponse__Output as _modelops_v1_DeleteAliasResponse__Output } from './modelops/v1/DeleteAliasResponse';
import type { DeleteModelVersionRequest as _modelops_v1_DeleteModelVersionRequest, DeleteModelVersionRequest__Output as _modelops_v1_DeleteModelVersionRequest__Output } from './modelops/v1/DeleteModelVersionRequest';
import type { DeleteModelVersionResponse as _modelops_v1_DeleteModelVersionResponse, DeleteModelVersionResponse__Output as _modelops_v1_DeleteModelVersionResponse__Output } from './modelops/v1/DeleteModelVersionResponse';
import type { DownloadModelVersionRequest as _modelops_v1_DownloadModelVersionRequest, DownloadModelVersionRequest__Output as _modelops_v1_DownloadModelVersionRequest__Output } from './modelops/v1/DownloadModelVersionRequest';
import type { DownloadModelVersionResponse as _modelops_v1_DownloadModelVersionResponse, DownloadModelVersionResponse__Output as _modelops_v1_DownloadModelVersionResponse__Output } from './modelops/v1/DownloadModelVersionResponse';
import type { ExternalModelHeader as _modelops_v1_ExternalModelHeader, ExternalModelHeader__Output as _modelops_v1_ExternalModelHeader__Output } from './modelops/v1/ExternalModelHeader';
import type { GarbageObject as _modelops_v1_GarbageObject, GarbageObject__Output as _modelops_v1_GarbageObject__Output } from './modelops/v1/GarbageObject';
import type { GateCheck as _modelops_v1_GateCheck, GateCheck__Output as _modelops_v1_GateCheck__Output } from './modelops/v1/GateCheck';
import type { GateMetricThreshold as _modelops_v1_GateMetricThreshold, GateMetricThreshold__Output as _modelops_v1_GateMetricThreshold__Output } from './modelops/v1/GateMetricThreshold';
import type { GatePolicy as _modelops_v1_GatePolicy, GatePolicy__Output as _modelops_v1_GatePolicy__Output } from './modelops/v1/GatePolicy';
import type { GateResult as _modelops_v1_GateResult, GateResult__Output as _modelops_v1_GateResult__Output } from './modelops/v1/GateResult';
import type { GateSanityBaselines as _modelops_v1_GateSanityBaselines, GateSanityBaselines__Output as _modelops_v1_GateSanityBaselines__Output } from './modelops/v1/GateSanityBaselines';
import type { GetGatePolicyRequest as _modelops_v1_GetGatePolicyRequest, GetGatePolicyRequest__Output as _modelops_v1_GetGatePolicyRequest__Output } from './modelops/v1/GetGatePolicyRequest';
import type { GetGatePolicyResponse as _modelops_v1_GetGatePolicyResponse, GetGatePolicyResponse__Output as _modelops_v1_GetGatePolicyResponse__Output } from './modelops/v1/GetGatePolicyResponse';
import type { GetModelRequest as _modelops_v1_GetModelRequest, GetModelRequest__Output as _modelops_v1_GetModelRequest__Output } from './modelops/v1/GetModelRequest';
import type { GetModelResponse as _modelops_v1_GetModelResponse, GetModelResponse__Output as _modelops_v1_GetModelResponse__Output } from './modelops/v1/GetModelResponse';
import type { GetModelVersionRequest as _modelops_v1_GetModelVersionRequest, GetModelVersionRequest__Output as _modelops_v1_GetModelVersionRequest__Output } from './modelops/v1/GetModelVersionRequest';
import type { GetModelVersionResponse as _modelops_v1_GetModelVersionResponse, GetModelVersionResponse__Output as _modelops_v1_GetModelVersionResponse__Output } from './modelops/v1/GetModelVersionResponse';
import type { ListAuditEventsRequest as _modelops_v1_ListAuditEventsRequest, ListAuditEventsRequest__Output as _modelops_v1_ListAuditEventsRequest__Output } from './modelops/v1/ListAuditEventsRequest';
import type { ListAuditEventsResponse as _modelops_v1_ListAuditEventsResponse, ListAuditEventsResponse__Output as _modelops_v1_ListAuditEventsResponse__Output } from './modelops/v1/ListAuditEventsResponse';
import type { ListModelVersionsRequest as _modelops_v1_ListModelVersionsRequest, ListModelVersionsRequest__Output as _modelops_v1_ListModelVersionsRequest__Output } from './modelops/v1/ListModelVersionsRequest';
import type { ListModelVersionsResponse as _modelops_v1_ListModelVersionsResponse, ListModelVersionsResponse__Output as _modelops_v1_ListModelVersionsResponse__Output } from './modelops/v1/ListModelVersionsResponse';
import type { ListModelsRequest as _modelops_v1_ListModelsRequest, ListModelsRequest__Output as _modelops_v1_ListModelsRequest__Output } from './modelops/v1/ListModelsRequest';
import type { ListModelsResponse as _modelops_v1_ListModelsResponse, ListModelsResponse__Output as _modelops_v1_ListModelsResponse__Output } from './modelops/v1/ListModelsResponse';
import type { Model as _modelops_v1_Model, Model__Output as _modelops_v1_Model__Output } from './modelops/v1/Model';
import type { ModelArtifact as _modelops_v1_ModelArtifact, ModelArtifact__Output as _modelops_v1_ModelArtifact__Output } from './modelops/v1/ModelArtifact';
import type { ModelInputSpec as _modelops_v1_ModelInputSpec, ModelInputSpec__Output as _modelops_v1_ModelInputSpec__Output } from './modelops/v1/ModelInputSpec';
import type { ModelVersion as _modelops_v1_ModelVersion, ModelVersion__Output as _modelops_v1_ModelVersion__Output } from './modelops/v1/ModelVersion';
import type { ModelVersionHeader as _modelops_v1_ModelVersionHeader, ModelVersionHeader__Output as _modelops_v1_ModelVersionHeader__Output } from './modelops/v1/ModelVersionHeader';
import type { PromoteModelVersionRequest as _modelops_v1_PromoteModelVersionRequest, PromoteModelVersionRequest__Output as _modelops_v1_PromoteModelVersionRequest__Output } from './modelops/v1/PromoteModelVersionRequest';
import type { PromoteModelVersionResponse as _modelops_v1_PromoteModelVersionResponse, PromoteModelVersionResponse__Output as _modelops_v1_PromoteModelVersionResponse__Output } from './modelops/v1/PromoteModelVersionResponse';
import type { Provenance as _modelops_v1_Provenance, Provenance__Output as _modelops_v1_Provenance__Output } from './modelops/v1/Provenance';
import type { RegisterExternalModelRequest as _modelops_v1_RegisterExternalModelRequest, RegisterExternalModelRequest__Output as _modelops_v1_RegisterExternalModelRequest__Output } from './modelops/v1/RegisterExternalModelRequest';
import type { RegisterExternalModelResponse as _modelops_v1_RegisterExternalModelResponse, RegisterExternalModelResponse__Output as _modelops_v1_RegisterExternalModelResponse__Output } from './modelops/v1/RegisterExternalModelResponse';
import type { RegistryFileChunk as _modelops_v1_RegistryFileChunk, RegistryFileChunk__Output as _modelops_v1_RegistryFileChunk__Output } from './modelops/v1/RegistryFileChunk';
import type { RegistryServiceClient as _modelops_v1_RegistryServiceClient, RegistryServiceDefinition as _modelops_v1_RegistryServiceDefinition } from './modelops/v1/RegistryService';
import type { RollbackModelRequest as _modelops_v1_RollbackModelRequest, RollbackModelRequest__Output as _modelops_v1_RollbackModelRequest__Output } from './modelops/v1/RollbackModelRequest';
import type { RollbackModelResponse as _modelops_v1_RollbackModelResponse, RollbackModelResponse__Output as _modelops_v1_RollbackModelResponse__Output } from './modelops/v1/RollbackModelResponse';
import type { SetAliasRequest as _modelops_v1_SetAliasRequest, SetAliasRequest__Output as _modelops_v1_SetAliasRequest__Output } from './modelops/v1/SetAliasRequest';
import type { SetAliasResponse as _modelops_v1_SetAliasResponse, SetAliasResponse__Output as _modelops_v1_SetAliasResponse__Output } from './modelops/v1/SetAliasResponse';
import type { SetGatePolicyRequest as _modelops_v1_SetGatePolicyRequest, SetGatePolicyRequest__Output as _modelops_v1_SetGatePolicyRequest__Output } from './modelops/v1/SetGatePolicyRequest';
import type { SetGatePolicyResponse as _modelops_v1_SetGatePolicyResponse, SetGatePolicyResponse__Output as _modelops_v1_SetGatePolicyResponse__Output } from './modelops/v1/SetGatePolicyResponse';

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
      AliasBinding: MessageTypeDefinition<_modelops_v1_AliasBinding, _modelops_v1_AliasBinding__Output>
      AuditEvent: MessageTypeDefinition<_modelops_v1_AuditEvent, _modelops_v1_AuditEvent__Output>
      CollectGarbageRequest: MessageTypeDefinition<_modelops_v1_CollectGarbageRequest, _modelops_v1_CollectGarbageRequest__Output>
      CollectGarbageResponse: MessageTypeDefinition<_modelops_v1_CollectGarbageResponse, _modelops_v1_CollectGarbageResponse__Output>
      CreateModelRequest: MessageTypeDefinition<_modelops_v1_CreateModelRequest, _modelops_v1_CreateModelRequest__Output>
      CreateModelResponse: MessageTypeDefinition<_modelops_v1_CreateModelResponse, _modelops_v1_CreateModelResponse__Output>
      CreateModelVersionRequest: MessageTypeDefinition<_modelops_v1_CreateModelVersionRequest, _modelops_v1_CreateModelVersionRequest__Output>
      CreateModelVersionResponse: MessageTypeDefinition<_modelops_v1_CreateModelVersionResponse, _modelops_v1_CreateModelVersionResponse__Output>
      DeleteAliasRequest: MessageTypeDefinition<_modelops_v1_DeleteAliasRequest, _modelops_v1_DeleteAliasRequest__Output>
      DeleteAliasResponse: MessageTypeDefinition<_modelops_v1_DeleteAliasResponse, _modelops_v1_DeleteAliasResponse__Output>
      DeleteModelVersionRequest: MessageTypeDefinition<_modelops_v1_DeleteModelVersionRequest, _modelops_v1_DeleteModelVersionRequest__Output>
      DeleteModelVersionResponse: MessageTypeDefinition<_modelops_v1_DeleteModelVersionResponse, _modelops_v1_DeleteModelVersionResponse__Output>
      DownloadModelVersionRequest: MessageTypeDefinition<_modelops_v1_DownloadModelVersionRequest, _modelops_v1_DownloadModelVersionRequest__Output>
      DownloadModelVersionResponse: MessageTypeDefinition<_modelops_v1_DownloadModelVersionResponse, _modelops_v1_DownloadModelVersionResponse__Output>
      ExternalModelHeader: MessageTypeDefinition<_modelops_v1_ExternalModelHeader, _modelops_v1_ExternalModelHeader__Output>
      GarbageObject: MessageTypeDefinition<_modelops_v1_GarbageObject, _modelops_v1_GarbageObject__Output>
      GateCheck: MessageTypeDefinition<_modelops_v1_GateCheck, _modelops_v1_GateCheck__Output>
      GateMetricThreshold: MessageTypeDefinition<_modelops_v1_GateMetricThreshold, _modelops_v1_GateMetricThreshold__Output>
      GatePolicy: MessageTypeDefinition<_modelops_v1_GatePolicy, _modelops_v1_GatePolicy__Output>
      GateResult: MessageTypeDefinition<_modelops_v1_GateResult, _modelops_v1_GateResult__Output>
      GateSanityBaselines: MessageTypeDefinition<_modelops_v1_GateSanityBaselines, _modelops_v1_GateSanityBaselines__Output>
      GetGatePolicyRequest: MessageTypeDefinition<_modelops_v1_GetGatePolicyRequest, _modelops_v1_GetGatePolicyRequest__Output>
      GetGatePolicyResponse: MessageTypeDefinition<_modelops_v1_GetGatePolicyResponse, _modelops_v1_GetGatePolicyResponse__Output>
      GetModelRequest: MessageTypeDefinition<_modelops_v1_GetModelRequest, _modelops_v1_GetModelRequest__Output>
      GetModelResponse: MessageTypeDefinition<_modelops_v1_GetModelResponse, _modelops_v1_GetModelResponse__Output>
      GetModelVersionRequest: MessageTypeDefinition<_modelops_v1_GetModelVersionRequest, _modelops_v1_GetModelVersionRequest__Output>
      GetModelVersionResponse: MessageTypeDefinition<_modelops_v1_GetModelVersionResponse, _modelops_v1_GetModelVersionResponse__Output>
      ListAuditEventsRequest: MessageTypeDefinition<_modelops_v1_ListAuditEventsRequest, _modelops_v1_ListAuditEventsRequest__Output>
      ListAuditEventsResponse: MessageTypeDefinition<_modelops_v1_ListAuditEventsResponse, _modelops_v1_ListAuditEventsResponse__Output>
      ListModelVersionsRequest: MessageTypeDefinition<_modelops_v1_ListModelVersionsRequest, _modelops_v1_ListModelVersionsRequest__Output>
      ListModelVersionsResponse: MessageTypeDefinition<_modelops_v1_ListModelVersionsResponse, _modelops_v1_ListModelVersionsResponse__Output>
      ListModelsRequest: MessageTypeDefinition<_modelops_v1_ListModelsRequest, _modelops_v1_ListModelsRequest__Output>
      ListModelsResponse: MessageTypeDefinition<_modelops_v1_ListModelsResponse, _modelops_v1_ListModelsResponse__Output>
      Model: MessageTypeDefinition<_modelops_v1_Model, _modelops_v1_Model__Output>
      ModelArtifact: MessageTypeDefinition<_modelops_v1_ModelArtifact, _modelops_v1_ModelArtifact__Output>
      ModelInputSpec: MessageTypeDefinition<_modelops_v1_ModelInputSpec, _modelops_v1_ModelInputSpec__Output>
      ModelVersion: MessageTypeDefinition<_modelops_v1_ModelVersion, _modelops_v1_ModelVersion__Output>
      ModelVersionHeader: MessageTypeDefinition<_modelops_v1_ModelVersionHeader, _modelops_v1_ModelVersionHeader__Output>
      PromoteModelVersionRequest: MessageTypeDefinition<_modelops_v1_PromoteModelVersionRequest, _modelops_v1_PromoteModelVersionRequest__Output>
      PromoteModelVersionResponse: MessageTypeDefinition<_modelops_v1_PromoteModelVersionResponse, _modelops_v1_PromoteModelVersionResponse__Output>
      Provenance: MessageTypeDefinition<_modelops_v1_Provenance, _modelops_v1_Provenance__Output>
      RegisterExternalModelRequest: MessageTypeDefinition<_modelops_v1_RegisterExternalModelRequest, _modelops_v1_RegisterExternalModelRequest__Output>
      RegisterExternalModelResponse: MessageTypeDefinition<_modelops_v1_RegisterExternalModelResponse, _modelops_v1_RegisterExternalModelResponse__Output>
      RegistryFileChunk: MessageTypeDefinition<_modelops_v1_RegistryFileChunk, _modelops_v1_RegistryFileChunk__Output>
      RegistryService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_RegistryServiceClient> & { service: _modelops_v1_RegistryServiceDefinition }
      RollbackModelRequest: MessageTypeDefinition<_modelops_v1_RollbackModelRequest, _modelops_v1_RollbackModelRequest__Output>
      RollbackModelResponse: MessageTypeDefinition<_modelops_v1_RollbackModelResponse, _modelops_v1_RollbackModelResponse__Output>
      SetAliasRequest: MessageTypeDefinition<_modelops_v1_SetAliasRequest, _modelops_v1_SetAliasRequest__Output>
      SetAliasResponse: MessageTypeDefinition<_modelops_v1_SetAliasResponse, _modelops_v1_SetAliasResponse__Output>
      SetGatePolicyRequest: MessageTypeDefinition<_modelops_v1_SetGatePolicyRequest, _modelops_v1_SetGatePolicyRequest__Output>
      SetGatePolicyResponse: MessageTypeDefinition<_modelops_v1_SetGatePolicyResponse, _modelops_v1_SetGatePolicyResponse__Output>
    }
  }
}

