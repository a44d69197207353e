// Original file: proto/modelops/v1/auth_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateTokenRequest as _modelops_v1_CreateTokenRequest, CreateTokenRequest__Output as _modelops_v1_CreateTokenRequest__Output } from '../../modelops/v1/CreateTokenRequest';
import type { CreateTokenResponse as _modelops_v1_CreateTokenResponse, CreateTokenResponse__Output as _modelops_v1_CreateTokenResponse__Output } from '../../modelops/v1/CreateTokenResponse';
import type { ListTokensRequest as _modelops_v1_ListTokensRequest, ListTokensRequest__Output as _modelops_v1_ListTokensRequest__Output } from '../../modelops/v1/ListTokensRequest';
import type { ListTokensResponse as _modelops_v1_ListTokensResponse, ListTokensResponse__Output as _modelops_v1_ListTokensResponse__Output } from '../../modelops/v1/ListTokensResponse';
import type { RevokeTokenRequest as _modelops_v1_RevokeTokenRequest, RevokeTokenRequest__Output as _modelops_v1_RevokeTokenRequest__Output } from '../../modelops/v1/RevokeTokenRequest';
import type { RevokeTokenResponse as _modelops_v1_RevokeTokenResponse, RevokeTokenResponse__Output as _modelops_v1_RevokeTokenResponse__Output } from '../../modelops/v1/RevokeTokenResponse';

export interface AuthServiceClient extends grpc.Client {
  CreateToken(argument: _modelops_v1_CreateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _modelops_v1_CreateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _modelops_v1_CreateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _modelops_v1_CreateTokenRequest, callback: grpc.requestCallback<_modelops_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _modelops_v1_CreateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _modelops_v1_CreateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _modelops_v1_CreateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _modelops_v1_CreateTokenRequest, callback: grpc.requestCallback<_modelops_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  
  ListTokens(argument: _modelops_v1_ListTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _modelops_v1_ListTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _modelops_v1_ListTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _modelops_v1_ListTokensRequest, callback: grpc.requestCallback<_modelops_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _modelops_v1_ListTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _modelops_v1_ListTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _modelops_v1_ListTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _modelops_v1_ListTokensRequest, callback: grpc.requestCallback<_modelops_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  
  RevokeToken(argument: _modelops_v1_RevokeTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  RevokeToken(argument: _modelops_v1_RevokeTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  RevokeToken(argument: _modelops_v1_RevokeTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  RevokeToken(argument: _modelops_v1_RevokeTokenRequest, callback: grpc.requestCallback<_modelops_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _modelops_v1_RevokeTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _modelops_v1_RevokeTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _modelops_v1_RevokeTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _modelops_v1_RevokeTokenRequest, callback: grpc.requestCallback<_modelops_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AuthServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateToken: grpc.handleUnaryCall<_modelops_v1_CreateTokenRequest__Output, _modelops_v1_CreateTokenResponse>;
  
  ListTokens: grpc.handleUnaryCall<_modelops_v1_ListTokensRequest__Output, _modelops_v1_ListTokensResponse>;
  
  RevokeToken: grpc.handleUnaryCall<_modelops_v1_RevokeTokenRequest__Output, _modelops_v1_RevokeTokenResponse>;
  
}

export interface AuthServiceDefinition extends grpc.ServiceDefinition {
  CreateToken: MethodDefinition<_modelops_v1_CreateTokenRequest, _modelops_v1_CreateTokenResponse, _modelops_v1_CreateTokenRequest__Output, _modelops_v1_CreateTokenResponse__Output>
  ListTokens: MethodDefinition<_modelops_v1_ListTokensRequest, _modelops_v1_ListTokensResponse, _modelops_v1_ListTokensRequest__Output, _modelops_v1_ListTokensResponse__Output>
  RevokeToken: MethodDefinition<_modelops_v1_RevokeTokenRequest, _modelops_v1_RevokeTokenResponse, _modelops_v1_RevokeTokenRequest__Output, _modelops_v1_RevokeTokenResponse__Output>
}
