// Original file: proto/modelops/v1/experiment_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateExperimentRequest as _modelops_v1_CreateExperimentRequest, CreateExperimentRequest__Output as _modelops_v1_CreateExperimentRequest__Output } from '../../modelops/v1/CreateExperimentRequest';
import type { CreateExperimentResponse as _modelops_v1_CreateExperimentResponse, CreateExperimentResponse__Output as _modelops_v1_CreateExperimentResponse__Output } from '../../modelops/v1/CreateExperimentResponse';
import type { GetExperimentRequest as _modelops_v1_GetExperimentRequest, GetExperimentRequest__Output as _modelops_v1_GetExperimentRequest__Output } from '../../modelops/v1/GetExperimentRequest';
import type { GetExperimentResponse as _modelops_v1_GetExperimentResponse, GetExperimentResponse__Output as _modelops_v1_GetExperimentResponse__Output } from '../../modelops/v1/GetExperimentResponse';
import type { ListExperimentsRequest as _modelops_v1_ListExperimentsRequest, ListExperimentsRequest__Output as _modelops_v1_ListExperimentsRequest__Output } from '../../modelops/v1/ListExperimentsRequest';
import type { ListExperimentsResponse as _modelops_v1_ListExperimentsResponse, ListExperimentsResponse__Output as _modelops_v1_ListExperimentsResponse__Output } from '../../modelops/v1/ListExperimentsResponse';
import type { UpdateExperimentRequest as _modelops_v1_UpdateExperimentRequest, UpdateExperimentRequest__Output as _modelops_v1_UpdateExperimentRequest__Output } from '../../modelops/v1/UpdateExperimentRequest';
import type { UpdateExperimentResponse as _modelops_v1_UpdateExperimentResponse, UpdateExperimentResponse__Output as _modelops_v1_UpdateExperimentResponse__Output } from '../../modelops/v1/UpdateExperimentResponse';

export interface ExperimentServiceClient extends grpc.Client {
  CreateExperiment(argument: _modelops_v1_CreateExperimentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateExperimentResponse__Output>): grpc.ClientUnaryCall;
  CreateExperiment(argument: _modelops_v1_CreateExperimentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CreateExperimentResponse__Output>): grpc.ClientUnaryCall;
  CreateExperiment(argument: _modelops_v1_CreateExperimentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateExperimentResponse__Output>): grpc.ClientUnaryCall;
  CreateExperiment(argument: _modelops_v1_CreateExperimentRequest, callback: grpc.requestCallback<_modelops_v1_CreateExperimentResponse__Output>): grpc.ClientUnaryCall;
  createExperiment(argument: _modelops_v1_CreateExperimentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateExperimentResponse__Output>): grpc.ClientUnaryCall;
  createExperiment(argument: _modelops_v1_CreateExperimentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CreateExperimentResponse__Output>): grpc.ClientUnaryCall;
  createExperiment(argument: _modelops_v1_CreateExperimentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateExperimentResponse__Output>): grpc.ClientUnaryCall;
  createExperiment(argument: _modelops_v1_CreateExperimentRequest, callback: grpc.requestCallback<_modelops_v1_CreateExperimentResponse__Output>): grpc.ClientUnaryCall;
  
  GetExperiment(argument: _modelops_v1_GetExperimentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetExperimentResponse__Output>): grpc.ClientUnaryCall;
  GetExperiment(argument: _modelops_v1_GetExperimentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetExperimentResponse__Output>): grpc.ClientUnaryCall;
  GetExperiment(argument: _modelops_v1_GetExperimentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetExperimentResponse__Output>): grpc.ClientUnaryCall;
  GetExperiment(argument: _modelops_v1_GetExperimentRequest, callback: grpc.requestCallback<_modelops_v1_GetExperimentResponse__Output>): grpc.ClientUnaryCall;
  getExperiment(argument: _modelops_v1_GetExperimentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetExperimentResponse__Output>): grpc.ClientUnaryCall;
  getExperiment(argument: _modelops_v1_GetExperimentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetExperimentResponse__Output>): grpc.ClientUnaryCall;
  getExperiment(argument: _modelops_v1_GetExperimentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetExperimentResponse__Output>): grpc.ClientUnaryCall;
  getExperiment(argument: _modelops_v1_GetExperimentRequest, callback: grpc.requestCallback<_modelops_v1_GetExperimentResponse__Output>): grpc.ClientUnaryCall;
  
  ListExperiments(argument: _modelops_v1_ListExperimentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListExperimentsResponse__Output>): grpc.ClientUnaryCall;
  ListExperiments(argument: _modelops_v1_ListExperimentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListExperimentsResponse__Output>): grpc.ClientUnaryCall;
  ListExperiments(argument: _modelops_v1_ListExperimentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListExperimentsResponse__Output>): grpc.ClientUnaryCall;
  ListExperiments(argument: _modelops_v1_ListExperimentsRequest, callback: grpc.requestCallback<_modelops_v1_ListExperimentsResponse__Output>): grpc.ClientUnaryCall;
  listExperiments(argument: _modelops_v1_ListExperimentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListExperimentsResponse__Output>): grpc.ClientUnaryCall;
  listExperiments(argument: _modelops_v1_ListExperimentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListExperimentsResponse__Output>): grpc.ClientUnaryCall;
  listExperiments(argument: _modelops_v1_ListExperimentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListExperimentsResponse__Output>): grpc.ClientUnaryCall;
  listExperiments(argument: _modelops_v1_ListExperimentsRequest, callback: grpc.requestCallback<_modelops_v1_ListExperimentsResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateExperiment(argument: _modelops_v1_UpdateExperimentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_UpdateExperimentResponse__Output>): grpc.ClientUnaryCall;
  UpdateExperiment(argument: _modelops_v1_UpdateExperimentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_UpdateExperimentResponse__Output>): grpc.ClientUnaryCall;
  UpdateExperiment(argument: _modelops_v1_UpdateExperimentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_UpdateExperimentResponse__Output>): grpc.ClientUnaryCall;
  UpdateExperiment(argument: _modelops_v1_UpdateExperimentRequest, callback: grpc.requestCallback<_modelops_v1_UpdateExperimentResponse__Output>): grpc.ClientUnaryCall;
  updateExperiment(argument: _modelops_v1_UpdateExperimentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_UpdateExperimentResponse__Output>): grpc.ClientUnaryCall;
  updateExperiment(argument: _modelops_v1_UpdateExperimentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_UpdateExperimentResponse__Output>): grpc.ClientUnaryCall;
  updateExperiment(argument: _modelops_v1_UpdateExperimentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_UpdateExperimentResponse__Output>): grpc.ClientUnaryCall;
  updateExperiment(argument: _modelops_v1_UpdateExperimentRequest, callback: grpc.requestCallback<_modelops_v1_UpdateExperimentResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ExperimentServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateExperiment: grpc.handleUnaryCall<_modelops_v1_CreateExperimentRequest__Output, _modelops_v1_CreateExperimentResponse>;
  
  GetExperiment: grpc.handleUnaryCall<_modelops_v1_GetExperimentRequest__Output, _modelops_v1_GetExperimentResponse>;
  
  ListExperiments: grpc.handleUnaryCall<_modelops_v1_ListExperimentsRequest__Output, _modelops_v1_ListExperimentsResponse>;
  
  UpdateExperiment: grpc.handleUnaryCall<_modelops_v1_UpdateExperimentRequest__Output, _modelops_v1_UpdateExperimentResponse>;
  
}

export interface ExperimentServiceDefinition extends grpc.ServiceDefinition {
  CreateExperiment: MethodDefinition<_modelops_v1_CreateExperimentRequest, _modelops_v1_CreateExperimentResponse, _modelops_v1_CreateExperimentRequest__Output, _modelops_v1_CreateExperimentResponse__Output>
  GetExperiment: MethodDefinition<_modelops_v1_GetExperimentRequest, _modelops_v1_GetExperimentResponse, _modelops_v1_GetExperimentRequest__Output, _modelops_v1_GetExperimentResponse__Output>
  ListExperiments: MethodDefinition<_modelops_v1_ListExperimentsRequest, _modelops_v1_ListExperimentsResponse, _modelops_v1_ListExperimentsRequest__Output, _modelops_v1_ListExperimentsResponse__Output>
  UpdateExperiment: MethodDefinition<_modelops_v1_UpdateExperimentRequest, _modelops_v1_UpdateExperimentResponse, _modelops_v1_UpdateExperimentRequest__Output, _modelops_v1_UpdateExperimentResponse__Output>
}
