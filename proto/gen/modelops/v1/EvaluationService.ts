// Original file: proto/modelops/v1/evaluation_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelEvaluationRequest as _modelops_v1_CancelEvaluationRequest, CancelEvaluationRequest__Output as _modelops_v1_CancelEvaluationRequest__Output } from '../../modelops/v1/CancelEvaluationRequest';
import type { CancelEvaluationResponse as _modelops_v1_CancelEvaluationResponse, CancelEvaluationResponse__Output as _modelops_v1_CancelEvaluationResponse__Output } from '../../modelops/v1/CancelEvaluationResponse';
import type { CompareVersionsRequest as _modelops_v1_CompareVersionsRequest, CompareVersionsRequest__Output as _modelops_v1_CompareVersionsRequest__Output } from '../../modelops/v1/CompareVersionsRequest';
import type { CompareVersionsResponse as _modelops_v1_CompareVersionsResponse, CompareVersionsResponse__Output as _modelops_v1_CompareVersionsResponse__Output } from '../../modelops/v1/CompareVersionsResponse';
import type { CreateEvaluationRequest as _modelops_v1_CreateEvaluationRequest, CreateEvaluationRequest__Output as _modelops_v1_CreateEvaluationRequest__Output } from '../../modelops/v1/CreateEvaluationRequest';
import type { CreateEvaluationResponse as _modelops_v1_CreateEvaluationResponse, CreateEvaluationResponse__Output as _modelops_v1_CreateEvaluationResponse__Output } from '../../modelops/v1/CreateEvaluationResponse';
import type { DeleteEvaluationRequest as _modelops_v1_DeleteEvaluationRequest, DeleteEvaluationRequest__Output as _modelops_v1_DeleteEvaluationRequest__Output } from '../../modelops/v1/DeleteEvaluationRequest';
import type { DeleteEvaluationResponse as _modelops_v1_DeleteEvaluationResponse, DeleteEvaluationResponse__Output as _modelops_v1_DeleteEvaluationResponse__Output } from '../../modelops/v1/DeleteEvaluationResponse';
import type { ExportEvaluationScoresRequest as _modelops_v1_ExportEvaluationScoresRequest, ExportEvaluationScoresRequest__Output as _modelops_v1_ExportEvaluationScoresRequest__Output } from '../../modelops/v1/ExportEvaluationScoresRequest';
import type { ExportEvaluationScoresResponse as _modelops_v1_ExportEvaluationScoresResponse, ExportEvaluationScoresResponse__Output as _modelops_v1_ExportEvaluationScoresResponse__Output } from '../../modelops/v1/ExportEvaluationScoresResponse';
import type { GetEvaluationRequest as _modelops_v1_GetEvaluationRequest, GetEvaluationRequest__Output as _modelops_v1_GetEvaluationRequest__Output } from '../../modelops/v1/GetEvaluationRequest';
import type { GetEvaluationResponse as _modelops_v1_GetEvaluationResponse, GetEvaluationResponse__Output as _modelops_v1_GetEvaluationResponse__Output } from '../../modelops/v1/GetEvaluationResponse';
import type { ListEvaluationsRequest as _modelops_v1_ListEvaluationsRequest, ListEvaluationsRequest__Output as _modelops_v1_ListEvaluationsRequest__Output } from '../../modelops/v1/ListEvaluationsRequest';
import type { ListEvaluationsResponse as _modelops_v1_ListEvaluationsResponse, ListEvaluationsResponse__Output as _modelops_v1_ListEvaluationsResponse__Output } from '../../modelops/v1/ListEvaluationsResponse';

export interface EvaluationServiceClient extends grpc.Client {
  CancelEvaluation(argument: _modelops_v1_CancelEvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CancelEvaluationResponse__Output>): grpc.ClientUnaryCall;
  CancelEvaluation(argument: _modelops_v1_CancelEvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CancelEvaluationResponse__Output>): grpc.ClientUnaryCall;
  CancelEvaluation(argument: _modelops_v1_CancelEvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CancelEvaluationResponse__Output>): grpc.ClientUnaryCall;
  CancelEvaluation(argument: _modelops_v1_CancelEvaluationRequest, callback: grpc.requestCallback<_modelops_v1_CancelEvaluationResponse__Output>): grpc.ClientUnaryCall;
  cancelEvaluation(argument: _modelops_v1_CancelEvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CancelEvaluationResponse__Output>): grpc.ClientUnaryCall;
  cancelEvaluation(argument: _modelops_v1_CancelEvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CancelEvaluationResponse__Output>): grpc.ClientUnaryCall;
  cancelEvaluation(argument: _modelops_v1_CancelEvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CancelEvaluationResponse__Output>): grpc.ClientUnaryCall;
  cancelEvaluation(argument: _modelops_v1_CancelEvaluationRequest, callback: grpc.requestCallback<_modelops_v1_CancelEvaluationResponse__Output>): grpc.ClientUnaryCall;
  
  CompareVersions(argument: _modelops_v1_CompareVersionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CompareVersionsResponse__Output>): grpc.ClientUnaryCall;
  CompareVersions(argument: _modelops_v1_CompareVersionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CompareVersionsResponse__Output>): grpc.ClientUnaryCall;
  CompareVersions(argument: _modelops_v1_CompareVersionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CompareVersionsResponse__Output>): grpc.ClientUnaryCall;
  CompareVersions(argument: _modelops_v1_CompareVersionsRequest, callback: grpc.requestCallback<_modelops_v1_CompareVersionsResponse__Output>): grpc.ClientUnaryCall;
  compareVersions(argument: _modelops_v1_CompareVersionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CompareVersionsResponse__Output>): grpc.ClientUnaryCall;
  compareVersions(argument: _modelops_v1_CompareVersionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CompareVersionsResponse__Output>): grpc.ClientUnaryCall;
  compareVersions(argument: _modelops_v1_CompareVersionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CompareVersionsResponse__Output>): grpc.ClientUnaryCall;
  compareVersions(argument: _modelops_v1_CompareVersionsRequest, callback: grpc.requestCallback<_modelops_v1_CompareVersionsResponse__Output>): grpc.ClientUnaryCall;
  
  CreateEvaluation(argument: _modelops_v1_CreateEvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateEvaluationResponse__Output>): grpc.ClientUnaryCall;
  CreateEvaluation(argument: _modelops_v1_CreateEvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CreateEvaluationResponse__Output>): grpc.ClientUnaryCall;
  CreateEvaluation(argument: _modelops_v1_CreateEvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateEvaluationResponse__Output>): grpc.ClientUnaryCall;
  CreateEvaluation(argument: _modelops_v1_CreateEvaluationRequest, callback: grpc.requestCallback<_modelops_v1_CreateEvaluationResponse__Output>): grpc.ClientUnaryCall;
  createEvaluation(argument: _modelops_v1_CreateEvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateEvaluationResponse__Output>): grpc.ClientUnaryCall;
  createEvaluation(argument: _modelops_v1_CreateEvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CreateEvaluationResponse__Output>): grpc.ClientUnaryCall;
  createEvaluation(argument: _modelops_v1_CreateEvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateEvaluationResponse__Output>): grpc.ClientUnaryCall;
  createEvaluation(argument: _modelops_v1_CreateEvaluationRequest, callback: grpc.requestCallback<_modelops_v1_CreateEvaluationResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteEvaluation(argument: _modelops_v1_DeleteEvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteEvaluationResponse__Output>): grpc.ClientUnaryCall;
  DeleteEvaluation(argument: _modelops_v1_DeleteEvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_DeleteEvaluationResponse__Output>): grpc.ClientUnaryCall;
  DeleteEvaluation(argument: _modelops_v1_DeleteEvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteEvaluationResponse__Output>): grpc.ClientUnaryCall;
  DeleteEvaluation(argument: _modelops_v1_DeleteEvaluationRequest, callback: grpc.requestCallback<_modelops_v1_DeleteEvaluationResponse__Output>): grpc.ClientUnaryCall;
  deleteEvaluation(argument: _modelops_v1_DeleteEvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteEvaluationResponse__Output>): grpc.ClientUnaryCall;
  deleteEvaluation(argument: _modelops_v1_DeleteEvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_DeleteEvaluationResponse__Output>): grpc.ClientUnaryCall;
  deleteEvaluation(argument: _modelops_v1_DeleteEvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_DeleteEvaluationResponse__Output>): grpc.ClientUnaryCall;
  deleteEvaluation(argument: _modelops_v1_DeleteEvaluationRequest, callback: grpc.requestCallback<_modelops_v1_DeleteEvaluationResponse__Output>): grpc.ClientUnaryCall;
  
  ExportEvaluationScores(argument: _modelops_v1_ExportEvaluationScoresRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_ExportEvaluationScoresResponse__Output>;
  ExportEvaluationScores(argument: _modelops_v1_ExportEvaluationScoresRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_ExportEvaluationScoresResponse__Output>;
  exportEvaluationScores(argument: _modelops_v1_ExportEvaluationScoresRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_ExportEvaluationScoresResponse__Output>;
  exportEvaluationScores(argument: _modelops_v1_ExportEvaluationScoresRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_ExportEvaluationScoresResponse__Output>;
  
  GetEvaluation(argument: _modelops_v1_GetEvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetEvaluationResponse__Output>): grpc.ClientUnaryCall;
  GetEvaluation(argument: _modelops_v1_GetEvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetEvaluationResponse__Output>): grpc.ClientUnaryCall;
  GetEvaluation(argument: _modelops_v1_GetEvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetEvaluationResponse__Output>): grpc.ClientUnaryCall;
  GetEvaluation(argument: _modelops_v1_GetEvaluationRequest, callback: grpc.requestCallback<_modelops_v1_GetEvaluationResponse__Output>): grpc.ClientUnaryCall;
  getEvaluation(argument: _modelops_v1_GetEvaluationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetEvaluationResponse__Output>): grpc.ClientUnaryCall;
  getEvaluation(argument: _modelops_v1_GetEvaluationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetEvaluationResponse__Output>): grpc.ClientUnaryCall;
  getEvaluation(argument: _modelops_v1_GetEvaluationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetEvaluationResponse__Output>): grpc.ClientUnaryCall;
  getEvaluation(argument: _modelops_v1_GetEvaluationRequest, callback: grpc.requestCallback<_modelops_v1_GetEvaluationResponse__Output>): grpc.ClientUnaryCall;
  
  ListEvaluations(argument: _modelops_v1_ListEvaluationsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListEvaluationsResponse__Output>): grpc.ClientUnaryCall;
  ListEvaluations(argument: _modelops_v1_ListEvaluationsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListEvaluationsResponse__Output>): grpc.ClientUnaryCall;
  ListEvaluations(argument: _modelops_v1_ListEvaluationsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListEvaluationsResponse__Output>): grpc.ClientUnaryCall;
  ListEvaluations(argument: _modelops_v1_ListEvaluationsRequest, callback: grpc.requestCallback<_modelops_v1_ListEvaluationsResponse__Output>): grpc.ClientUnaryCall;
  listEvaluations(argument: _modelops_v1_ListEvaluationsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListEvaluationsResponse__Output>): grpc.ClientUnaryCall;
  listEvaluations(argument: _modelops_v1_ListEvaluationsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListEvaluationsResponse__Output>): grpc.ClientUnaryCall;
  listEvaluations(argument: _modelops_v1_ListEvaluationsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListEvaluationsResponse__Output>): grpc.ClientUnaryCall;
  listEvaluations(argument: _modelops_v1_ListEvaluationsRequest, callback: grpc.requestCallback<_modelops_v1_ListEvaluationsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface EvaluationServiceHandlers extends grpc.UntypedServiceImplementation {
  CancelEvaluation: grpc.handleUnaryCall<_modelops_v1_CancelEvaluationRequest__Output, _modelops_v1_CancelEvaluationResponse>;
  
  CompareVersions: grpc.handleUnaryCall<_modelops_v1_CompareVersionsRequest__Output, _modelops_v1_CompareVersionsResponse>;
  
  CreateEvaluation: grpc.handleUnaryCall<_modelops_v1_CreateEvaluationRequest__Output, _modelops_v1_CreateEvaluationResponse>;
  
  DeleteEvaluation: grpc.handleUnaryCall<_modelops_v1_DeleteEvaluationRequest__Output, _modelops_v1_DeleteEvaluationResponse>;
  
  ExportEvaluationScores: grpc.handleServerStreamingCall<_modelops_v1_ExportEvaluationScoresRequest__Output, _modelops_v1_ExportEvaluationScoresResponse>;
  
  GetEvaluation: grpc.handleUnaryCall<_modelops_v1_GetEvaluationRequest__Output, _modelops_v1_GetEvaluationResponse>;
  
  ListEvaluations: grpc.handleUnaryCall<_modelops_v1_ListEvaluationsRequest__Output, _modelops_v1_ListEvaluationsResponse>;
  
}

export interface EvaluationServiceDefinition extends grpc.ServiceDefinition {
  CancelEvaluation: MethodDefinition<_modelops_v1_CancelEvaluationRequest, _modelops_v1_CancelEvaluationResponse, _modelops_v1_CancelEvaluationRequest__Output, _modelops_v1_CancelEvaluationResponse__Output>
  CompareVersions: MethodDefinition<_modelops_v1_CompareVersionsRequest, _modelops_v1_CompareVersionsResponse, _modelops_v1_CompareVersionsRequest__Output, _modelops_v1_CompareVersionsResponse__Output>
  CreateEvaluation: MethodDefinition<_modelops_v1_CreateEvaluationRequest, _modelops_v1_CreateEvaluationResponse, _modelops_v1_CreateEvaluationRequest__Output, _modelops_v1_CreateEvaluationResponse__Output>
  DeleteEvaluation: MethodDefinition<_modelops_v1_DeleteEvaluationRequest, _modelops_v1_DeleteEvaluationResponse, _modelops_v1_DeleteEvaluationRequest__Output, _modelops_v1_DeleteEvaluationResponse__Output>
  ExportEvaluationScores: MethodDefinition<_modelops_v1_ExportEvaluationScoresRequest, _modelops_v1_ExportEvaluationScoresResponse, _modelops_v1_ExportEvaluationScoresRequest__Output, _modelops_v1_ExportEvaluationScoresResponse__Output>
  GetEvaluation: MethodDefinition<_modelops_v1_GetEvaluationRequest, _modelops_v1_GetEvaluationResponse, _modelops_v1_GetEvaluationRequest__Output, _modelops_v1_GetEvaluationResponse__Output>
  ListEvaluations: MethodDefinition<_modelops_v1_ListEvaluationsRequest, _modelops_v1_ListEvaluationsResponse, _modelops_v1_ListEvaluationsRequest__Output, _modelops_v1_ListEvaluationsResponse__Output>
}
