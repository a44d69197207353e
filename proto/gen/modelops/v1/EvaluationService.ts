// Original file: proto/modelops/v1/evaluation_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CompareVersionsRequest as _modelops_v1_CompareVersionsRequest, CompareVersionsRequest__Output as _modelops_v1_CompareVersionsRequest__Output } from '../../modelops/v1/CompareVersionsRequest';
import type { CompareVersionsResponse as _modelops_v1_CompareVersionsResponse, CompareVersionsResponse__Output as _modelops_v1_CompareVersionsResponse__Output } from '../../modelops/v1/CompareVersionsResponse';
import type { CreateEvaluationRequest as _modelops_v1_CreateEvaluationRequest, CreateEvaluationRequest__Output as _modelops_v1_CreateEvaluationRequest__Output } from '../../modelops/v1/CreateEvaluationRequest';
import type { CreateEvaluationResponse as _modelops_v1_CreateEvaluationResponse, CreateEvaluationResponse__Output as _modelops_v1_CreateEvaluationResponse__Output } from '../../modelops/v1/CreateEvaluationResponse';
import type { GetEvaluationRequest as _modelops_v1_GetEvaluationRequest, GetEvaluationRequest__Output as _modelops_v1_GetEvaluationRequest__Output } from '../../modelops/v1/GetEvaluationRequest';
import type { GetEvaluationResponse as _modelops_v1_GetEvaluationResponse, GetEvaluationResponse__Output as _modelops_v1_GetEvaluationResponse__Output } from '../../modelops/v1/GetEvaluationResponse';
import type { ListEvaluationsRequest as _modelops_v1_ListEvaluationsRequest, ListEvaluationsRequest__Output as _modelops_v1_ListEvaluationsRequest__Output } from '../../modelops/v1/ListEvaluationsRequest';
import type { ListEvaluationsResponse as _modelops_v1_ListEvaluationsResponse, ListEvaluationsResponse__Output as _modelops_v1_ListEvaluationsResponse__Output } from '../../modelops/v1/ListEvaluationsResponse';

export interface EvaluationServiceClient extends grpc.Client {
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
  CompareVersions: grpc.handleUnaryCall<_modelops_v1_CompareVersionsRequest__Output, _modelops_v1_CompareVersionsResponse>;
  
  CreateEvaluation: grpc.handleUnaryCall<_modelops_v1_CreateEvaluationRequest__Output, _modelops_v1_CreateEvaluationResponse>;
  
  GetEvaluation: grpc.handleUnaryCall<_modelops_v1_GetEvaluationRequest__Output, _modelops_v1_GetEvaluationResponse>;
  
  ListEvaluations: grpc.handleUnaryCall<_modelops_v1_ListEvaluationsRequest__Output, _modelops_v1_ListEvaluationsResponse>;
  
}

export interface EvaluationServiceDefinition extends grpc.ServiceDefinition {
  CompareVersions: MethodDefinition<_modelops_v1_CompareVersionsRequest, _modelops_v1_CompareVersionsResponse, _modelops_v1_CompareVersionsRequest__Output, _modelops_v1_CompareVersionsResponse__Output>
  CreateEvaluation: MethodDefinition<_modelops_v1_CreateEvaluationRequest, _modelops_v1_CreateEvaluationResponse, _modelops_v1_CreateEvaluationRequest__Output, _modelops_v1_CreateEvaluationResponse__Output>
  GetEvaluation: MethodDefinition<_modelops_v1_GetEvaluationRequest, _modelops_v1_GetEvaluationResponse, _modelops_v1_GetEvaluationRequest__Output, _modelops_v1_GetEvaluationResponse__Output>
  ListEvaluations: MethodDefinition<_modelops_v1_ListEvaluationsRequest, _modelops_v1_ListEvaluationsResponse, _modelops_v1_ListEvaluationsRequest__Output, _modelops_v1_ListEvaluationsResponse__Output>
}
