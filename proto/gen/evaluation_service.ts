import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { CancelEvaluationRequest as _modelops_v1_CancelEvaluationRequest, CancelEvaluationRequest__Output as _modelops_v1_CancelEvaluationRequest__Output } from './modelops/v1/CancelEvaluationRequest';
import type { CancelEvaluationResponse as _modelops_v1_CancelEvaluationResponse, CancelEvaluationResponse__Output as _modelops_v1_CancelEvaluationResponse__Output } from './modelops/v1/CancelEvaluationResponse';
import type { CompareVersionsRequest as _modelops_v1_CompareVersionsRequest, CompareVersionsRequest__Output as _modelops_v1_CompareVersionsRequest__Output } from './modelops/v1/CompareVersionsRequest';
import type { CompareVersionsResponse as _modelops_v1_CompareVersionsResponse, CompareVersionsResponse__Output as _modelops_v1_CompareVersionsResponse__Output } from './modelops/v1/CompareVersionsResponse';
import type { ComparedVersion as _modelops_v1_ComparedVersion, ComparedVersion__Output as _modelops_v1_ComparedVersion__Output } from './modelops/v1/ComparedVersion';
import type { CreateEvaluationRequest as _modelops_v1_CreateEvaluationRequest, CreateEvaluationRequest__Output as _modelops_v1_CreateEvaluationRequest__Output } from './modelops/v1/CreateEvaluationRequest';
import type { CreateEvaluationResponse as _modelops_v1_CreateEvaluationResponse, CreateEvaluationResponse__Output as _modelops_v1_CreateEvaluationResponse__Output } from './modelops/v1/CreateEvaluationResponse';
import type { DeleteEvaluationRequest as _modelops_v1_DeleteEvaluationRequest, DeleteEvaluationRequest__Output as _modelops_v1_DeleteEvaluationRequest__Output } from './modelops/v1/DeleteEvaluationRequest';
import type { DeleteEvaluationResponse as _modelops_v1_DeleteEvaluationResponse, DeleteEvaluationResponse__Output as _modelops_v1_DeleteEvaluationResponse__Output } from './modelops/v1/DeleteEvaluationResponse';
import type { Evaluation as _modelops_v1_Evaluation, Evaluation__Output as _modelops_v1_Evaluation__Output } from './modelops/v1/Evaluation';
import type { EvaluationDayMetrics as _modelops_v1_EvaluationDayMetrics, EvaluationDayMetrics__Output as _modelops_v1_EvaluationDayMetrics__Output } from './modelops/v1/EvaluationDayMetrics';
import type { EvaluationServiceClient as _modelops_v1_EvaluationServiceClient, EvaluationServiceDefinition as _modelops_v1_EvaluationServiceDefinition } from './modelops/v1/EvaluationService';
import type { ExportEvaluationScoresRequest as _modelops_v1_ExportEvaluationScoresRequest, ExportEvaluationScoresRequest__Output as _modelops_v1_ExportEvaluationScoresRequest__Output } from './modelops/v1/ExportEvaluationScoresRequest';
import type { ExportEvaluationScoresResponse as _modelops_v1_ExportEvaluationScoresResponse, ExportEvaluationScoresResponse__Output as _modelops_v1_ExportEvaluationScoresResponse__Output } from './modelops/v1/ExportEvaluationScoresResponse';
import type { GetEvaluationRequest as _modelops_v1_GetEvaluationRequest, GetEvaluationRequest__Output as _modelops_v1_GetEvaluationRequest__Output } from './modelops/v1/GetEvaluationRequest';
import type { GetEvaluationResponse as _modelops_v1_GetEvaluationResponse, GetEvaluationResponse__Output as _modelops_v1_GetEvaluationResponse__Output } from './modelops/v1/GetEvaluationResponse';
import type { ListEvaluationsRequest as _modelops_v1_ListEvaluationsRequest, ListEvaluationsRequest__Output as _modelops_v1_ListEvaluationsRequest__Output } from './modelops/v1/ListEvaluationsRequest';
import type { ListEvaluationsResponse as _modelops_v1_ListEvaluationsResponse, ListEvaluationsResponse__Output as _modelops_v1_ListEvaluationsResponse__Output } from './modelops/v1/ListEvaluationsResponse';
import type { Provenance as _modelops_v1_Provenance, Provenance__Output as _modelops_v1_Provenance__Output } from './modelops/v1/Provenance';

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
      CancelEvaluationRequest: MessageTypeDefinition<_modelops_v1_CancelEvaluationRequest, _modelops_v1_CancelEvaluationRequest__Output>
      CancelEvaluationResponse: MessageTypeDefinition<_modelops_v1_CancelEvaluationResponse, _modelops_v1_CancelEvaluationResponse__Output>
      CompareVersionsRequest: MessageTypeDefinition<_modelops_v1_CompareVersionsRequest, _modelops_v1_CompareVersionsRequest__Output>
      CompareVersionsResponse: MessageTypeDefinition<_modelops_v1_CompareVersionsResponse, _modelops_v1_CompareVersionsResponse__Output>
      ComparedVersion: MessageTypeDefinition<_modelops_v1_ComparedVersion, _modelops_v1_ComparedVersion__Output>
      CreateEvaluationRequest: MessageTypeDefinition<_modelops_v1_CreateEvaluationRequest, _modelops_v1_CreateEvaluationRequest__Output>
      CreateEvaluationResponse: MessageTypeDefinition<_modelops_v1_CreateEvaluationResponse, _modelops_v1_CreateEvaluationResponse__Output>
      DeleteEvaluationRequest: MessageTypeDefinition<_modelops_v1_DeleteEvaluationRequest, _modelops_v1_DeleteEvaluationRequest__Output>
      DeleteEvaluationResponse: MessageTypeDefinition<_modelops_v1_DeleteEvaluationResponse, _modelops_v1_DeleteEvaluationResponse__Output>
      Evaluation: MessageTypeDefinition<_modelops_v1_Evaluation, _modelops_v1_Evaluation__Output>
      EvaluationDayMetrics: MessageTypeDefinition<_modelops_v1_EvaluationDayMetrics, _modelops_v1_EvaluationDayMetrics__Output>
      EvaluationProtocol: EnumTypeDefinition
      EvaluationService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_EvaluationServiceClient> & { service: _modelops_v1_EvaluationServiceDefinition }
      EvaluationState: EnumTypeDefinition
      ExportEvaluationScoresRequest: MessageTypeDefinition<_modelops_v1_ExportEvaluationScoresRequest, _modelops_v1_ExportEvaluationScoresRequest__Output>
      ExportEvaluationScoresResponse: MessageTypeDefinition<_modelops_v1_ExportEvaluationScoresResponse, _modelops_v1_ExportEvaluationScoresResponse__Output>
      GetEvaluationRequest: MessageTypeDefinition<_modelops_v1_GetEvaluationRequest, _modelops_v1_GetEvaluationRequest__Output>
      GetEvaluationResponse: MessageTypeDefinition<_modelops_v1_GetEvaluationResponse, _modelops_v1_GetEvaluationResponse__Output>
      ListEvaluationsRequest: MessageTypeDefinition<_modelops_v1_ListEvaluationsRequest, _modelops_v1_ListEvaluationsRequest__Output>
      ListEvaluationsResponse: MessageTypeDefinition<_modelops_v1_ListEvaluationsResponse, _modelops_v1_ListEvaluationsResponse__Output>
      Provenance: MessageTypeDefinition<_modelops_v1_Provenance, _modelops_v1_Provenance__Output>
    }
  }
}

