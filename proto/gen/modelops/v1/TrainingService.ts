// Original file: proto/modelops/v1/training_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelTrainingJobRequest as _modelops_v1_CancelTrainingJobRequest, CancelTrainingJobRequest__Output as _modelops_v1_CancelTrainingJobRequest__Output } from '../../modelops/v1/CancelTrainingJobRequest';
import type { CancelTrainingJobResponse as _modelops_v1_CancelTrainingJobResponse, CancelTrainingJobResponse__Output as _modelops_v1_CancelTrainingJobResponse__Output } from '../../modelops/v1/CancelTrainingJobResponse';
import type { GetTrainingJobRequest as _modelops_v1_GetTrainingJobRequest, GetTrainingJobRequest__Output as _modelops_v1_GetTrainingJobRequest__Output } from '../../modelops/v1/GetTrainingJobRequest';
import type { GetTrainingJobResponse as _modelops_v1_GetTrainingJobResponse, GetTrainingJobResponse__Output as _modelops_v1_GetTrainingJobResponse__Output } from '../../modelops/v1/GetTrainingJobResponse';
import type { ListTrainingJobsRequest as _modelops_v1_ListTrainingJobsRequest, ListTrainingJobsRequest__Output as _modelops_v1_ListTrainingJobsRequest__Output } from '../../modelops/v1/ListTrainingJobsRequest';
import type { ListTrainingJobsResponse as _modelops_v1_ListTrainingJobsResponse, ListTrainingJobsResponse__Output as _modelops_v1_ListTrainingJobsResponse__Output } from '../../modelops/v1/ListTrainingJobsResponse';
import type { StartTrainingJobRequest as _modelops_v1_StartTrainingJobRequest, StartTrainingJobRequest__Output as _modelops_v1_StartTrainingJobRequest__Output } from '../../modelops/v1/StartTrainingJobRequest';
import type { StartTrainingJobResponse as _modelops_v1_StartTrainingJobResponse, StartTrainingJobResponse__Output as _modelops_v1_StartTrainingJobResponse__Output } from '../../modelops/v1/StartTrainingJobResponse';
import type { WatchTrainingJobRequest as _modelops_v1_WatchTrainingJobRequest, WatchTrainingJobRequest__Output as _modelops_v1_WatchTrainingJobRequest__Output } from '../../modelops/v1/WatchTrainingJobRequest';
import type { WatchTrainingJobResponse as _modelops_v1_WatchTrainingJobResponse, WatchTrainingJobResponse__Output as _modelops_v1_WatchTrainingJobResponse__Output } from '../../modelops/v1/WatchTrainingJobResponse';

export interface TrainingServiceClient extends grpc.Client {
  CancelTrainingJob(argument: _modelops_v1_CancelTrainingJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CancelTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  CancelTrainingJob(argument: _modelops_v1_CancelTrainingJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CancelTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  CancelTrainingJob(argument: _modelops_v1_CancelTrainingJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CancelTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  CancelTrainingJob(argument: _modelops_v1_CancelTrainingJobRequest, callback: grpc.requestCallback<_modelops_v1_CancelTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  cancelTrainingJob(argument: _modelops_v1_CancelTrainingJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CancelTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  cancelTrainingJob(argument: _modelops_v1_CancelTrainingJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CancelTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  cancelTrainingJob(argument: _modelops_v1_CancelTrainingJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CancelTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  cancelTrainingJob(argument: _modelops_v1_CancelTrainingJobRequest, callback: grpc.requestCallback<_modelops_v1_CancelTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  
  GetTrainingJob(argument: _modelops_v1_GetTrainingJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  GetTrainingJob(argument: _modelops_v1_GetTrainingJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  GetTrainingJob(argument: _modelops_v1_GetTrainingJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  GetTrainingJob(argument: _modelops_v1_GetTrainingJobRequest, callback: grpc.requestCallback<_modelops_v1_GetTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  getTrainingJob(argument: _modelops_v1_GetTrainingJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  getTrainingJob(argument: _modelops_v1_GetTrainingJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  getTrainingJob(argument: _modelops_v1_GetTrainingJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  getTrainingJob(argument: _modelops_v1_GetTrainingJobRequest, callback: grpc.requestCallback<_modelops_v1_GetTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  
  ListTrainingJobs(argument: _modelops_v1_ListTrainingJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListTrainingJobsResponse__Output>): grpc.ClientUnaryCall;
  ListTrainingJobs(argument: _modelops_v1_ListTrainingJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListTrainingJobsResponse__Output>): grpc.ClientUnaryCall;
  ListTrainingJobs(argument: _modelops_v1_ListTrainingJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListTrainingJobsResponse__Output>): grpc.ClientUnaryCall;
  ListTrainingJobs(argument: _modelops_v1_ListTrainingJobsRequest, callback: grpc.requestCallback<_modelops_v1_ListTrainingJobsResponse__Output>): grpc.ClientUnaryCall;
  listTrainingJobs(argument: _modelops_v1_ListTrainingJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListTrainingJobsResponse__Output>): grpc.ClientUnaryCall;
  listTrainingJobs(argument: _modelops_v1_ListTrainingJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListTrainingJobsResponse__Output>): grpc.ClientUnaryCall;
  listTrainingJobs(argument: _modelops_v1_ListTrainingJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListTrainingJobsResponse__Output>): grpc.ClientUnaryCall;
  listTrainingJobs(argument: _modelops_v1_ListTrainingJobsRequest, callback: grpc.requestCallback<_modelops_v1_ListTrainingJobsResponse__Output>): grpc.ClientUnaryCall;
  
  StartTrainingJob(argument: _modelops_v1_StartTrainingJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StartTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  StartTrainingJob(argument: _modelops_v1_StartTrainingJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_StartTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  StartTrainingJob(argument: _modelops_v1_StartTrainingJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StartTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  StartTrainingJob(argument: _modelops_v1_StartTrainingJobRequest, callback: grpc.requestCallback<_modelops_v1_StartTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  startTrainingJob(argument: _modelops_v1_StartTrainingJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StartTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  startTrainingJob(argument: _modelops_v1_StartTrainingJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_StartTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  startTrainingJob(argument: _modelops_v1_StartTrainingJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StartTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  startTrainingJob(argument: _modelops_v1_StartTrainingJobRequest, callback: grpc.requestCallback<_modelops_v1_StartTrainingJobResponse__Output>): grpc.ClientUnaryCall;
  
  WatchTrainingJob(argument: _modelops_v1_WatchTrainingJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_WatchTrainingJobResponse__Output>;
  WatchTrainingJob(argument: _modelops_v1_WatchTrainingJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_WatchTrainingJobResponse__Output>;
  watchTrainingJob(argument: _modelops_v1_WatchTrainingJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_WatchTrainingJobResponse__Output>;
  watchTrainingJob(argument: _modelops_v1_WatchTrainingJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_modelops_v1_WatchTrainingJobResponse__Output>;
  
}

export interface TrainingServiceHandlers extends grpc.UntypedServiceImplementation {
  CancelTrainingJob: grpc.handleUnaryCall<_modelops_v1_CancelTrainingJobRequest__Output, _modelops_v1_CancelTrainingJobResponse>;
  
  GetTrainingJob: grpc.handleUnaryCall<_modelops_v1_GetTrainingJobRequest__Output, _modelops_v1_GetTrainingJobResponse>;
  
  ListTrainingJobs: grpc.handleUnaryCall<_modelops_v1_ListTrainingJobsRequest__Output, _modelops_v1_ListTrainingJobsResponse>;
  
  StartTrainingJob: grpc.handleUnaryCall<_modelops_v1_StartTrainingJobRequest__Output, _modelops_v1_StartTrainingJobResponse>;
  
  WatchTrainingJob: grpc.handleServerStreamingCall<_modelops_v1_WatchTrainingJobRequest__Output, _modelops_v1_WatchTrainingJobResponse>;
  
}

export interface TrainingServiceDefinition extends grpc.ServiceDefinition {
  CancelTrainingJob: MethodDefinition<_modelops_v1_CancelTrainingJobRequest, _modelops_v1_CancelTrainingJobResponse, _modelops_v1_CancelTrainingJobRequest__Output, _modelops_v1_CancelTrainingJobResponse__Output>
  GetTrainingJob: MethodDefinition<_modelops_v1_GetTrainingJobRequest, _modelops_v1_GetTrainingJobResponse, _modelops_v1_GetTrainingJobRequest__Output, _modelops_v1_GetTrainingJobResponse__Output>
  ListTrainingJobs: MethodDefinition<_modelops_v1_ListTrainingJobsRequest, _modelops_v1_ListTrainingJobsResponse, _modelops_v1_ListTrainingJobsRequest__Output, _modelops_v1_ListTrainingJobsResponse__Output>
  StartTrainingJob: MethodDefinition<_modelops_v1_StartTrainingJobRequest, _modelops_v1_StartTrainingJobResponse, _modelops_v1_StartTrainingJobRequest__Output, _modelops_v1_StartTrainingJobResponse__Output>
  WatchTrainingJob: MethodDefinition<_modelops_v1_WatchTrainingJobRequest, _modelops_v1_WatchTrainingJobResponse, _modelops_v1_WatchTrainingJobRequest__Output, _modelops_v1_WatchTrainingJobResponse__Output>
}
