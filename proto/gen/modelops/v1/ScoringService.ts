// Original file: proto/modelops/v1/scoring_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetScoringStatusRequest as _modelops_v1_GetScoringStatusRequest, GetScoringStatusRequest__Output as _modelops_v1_GetScoringStatusRequest__Output } from '../../modelops/v1/GetScoringStatusRequest';
import type { GetScoringStatusResponse as _modelops_v1_GetScoringStatusResponse, GetScoringStatusResponse__Output as _modelops_v1_GetScoringStatusResponse__Output } from '../../modelops/v1/GetScoringStatusResponse';
import type { RetrieveRequest as _modelops_v1_RetrieveRequest, RetrieveRequest__Output as _modelops_v1_RetrieveRequest__Output } from '../../modelops/v1/RetrieveRequest';
import type { RetrieveResponse as _modelops_v1_RetrieveResponse, RetrieveResponse__Output as _modelops_v1_RetrieveResponse__Output } from '../../modelops/v1/RetrieveResponse';
import type { ScoreRequest as _modelops_v1_ScoreRequest, ScoreRequest__Output as _modelops_v1_ScoreRequest__Output } from '../../modelops/v1/ScoreRequest';
import type { ScoreResponse as _modelops_v1_ScoreResponse, ScoreResponse__Output as _modelops_v1_ScoreResponse__Output } from '../../modelops/v1/ScoreResponse';

export interface ScoringServiceClient extends grpc.Client {
  GetScoringStatus(argument: _modelops_v1_GetScoringStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetScoringStatusResponse__Output>): grpc.ClientUnaryCall;
  GetScoringStatus(argument: _modelops_v1_GetScoringStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetScoringStatusResponse__Output>): grpc.ClientUnaryCall;
  GetScoringStatus(argument: _modelops_v1_GetScoringStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetScoringStatusResponse__Output>): grpc.ClientUnaryCall;
  GetScoringStatus(argument: _modelops_v1_GetScoringStatusRequest, callback: grpc.requestCallback<_modelops_v1_GetScoringStatusResponse__Output>): grpc.ClientUnaryCall;
  getScoringStatus(argument: _modelops_v1_GetScoringStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetScoringStatusResponse__Output>): grpc.ClientUnaryCall;
  getScoringStatus(argument: _modelops_v1_GetScoringStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetScoringStatusResponse__Output>): grpc.ClientUnaryCall;
  getScoringStatus(argument: _modelops_v1_GetScoringStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetScoringStatusResponse__Output>): grpc.ClientUnaryCall;
  getScoringStatus(argument: _modelops_v1_GetScoringStatusRequest, callback: grpc.requestCallback<_modelops_v1_GetScoringStatusResponse__Output>): grpc.ClientUnaryCall;
  
  Retrieve(argument: _modelops_v1_RetrieveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RetrieveResponse__Output>): grpc.ClientUnaryCall;
  Retrieve(argument: _modelops_v1_RetrieveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RetrieveResponse__Output>): grpc.ClientUnaryCall;
  Retrieve(argument: _modelops_v1_RetrieveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RetrieveResponse__Output>): grpc.ClientUnaryCall;
  Retrieve(argument: _modelops_v1_RetrieveRequest, callback: grpc.requestCallback<_modelops_v1_RetrieveResponse__Output>): grpc.ClientUnaryCall;
  retrieve(argument: _modelops_v1_RetrieveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RetrieveResponse__Output>): grpc.ClientUnaryCall;
  retrieve(argument: _modelops_v1_RetrieveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RetrieveResponse__Output>): grpc.ClientUnaryCall;
  retrieve(argument: _modelops_v1_RetrieveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RetrieveResponse__Output>): grpc.ClientUnaryCall;
  retrieve(argument: _modelops_v1_RetrieveRequest, callback: grpc.requestCallback<_modelops_v1_RetrieveResponse__Output>): grpc.ClientUnaryCall;
  
  Score(argument: _modelops_v1_ScoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _modelops_v1_ScoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _modelops_v1_ScoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _modelops_v1_ScoreRequest, callback: grpc.requestCallback<_modelops_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _modelops_v1_ScoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _modelops_v1_ScoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _modelops_v1_ScoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _modelops_v1_ScoreRequest, callback: grpc.requestCallback<_modelops_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ScoringServiceHandlers extends grpc.UntypedServiceImplementation {
  GetScoringStatus: grpc.handleUnaryCall<_modelops_v1_GetScoringStatusRequest__Output, _modelops_v1_GetScoringStatusResponse>;
  
  Retrieve: grpc.handleUnaryCall<_modelops_v1_RetrieveRequest__Output, _modelops_v1_RetrieveResponse>;
  
  Score: grpc.handleUnaryCall<_modelops_v1_ScoreRequest__Output, _modelops_v1_ScoreResponse>;
  
}

export interface ScoringServiceDefinition extends grpc.ServiceDefinition {
  GetScoringStatus: MethodDefinition<_modelops_v1_GetScoringStatusRequest, _modelops_v1_GetScoringStatusResponse, _modelops_v1_GetScoringStatusRequest__Output, _modelops_v1_GetScoringStatusResponse__Output>
  Retrieve: MethodDefinition<_modelops_v1_RetrieveRequest, _modelops_v1_RetrieveResponse, _modelops_v1_RetrieveRequest__Output, _modelops_v1_RetrieveResponse__Output>
  Score: MethodDefinition<_modelops_v1_ScoreRequest, _modelops_v1_ScoreResponse, _modelops_v1_ScoreRequest__Output, _modelops_v1_ScoreResponse__Output>
}
