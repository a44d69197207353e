import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { AuthServiceClient as _modelops_v1_AuthServiceClient, AuthServiceDefinition as _modelops_v1_AuthServiceDefinition } from './modelops/v1/AuthService';
import type { CreateTokenRequest as _modelops_v1_CreateTokenRequest, CreateTokenRequest__Output as _modelops_v1_CreateTokenRequest__Output } from './modelops/v1/CreateTokenRequest';
import type { CreateTokenResponse as _modelops_v1_CreateTokenResponse, CreateTokenResponse__Output as _modelops_v1_CreateTokenResponse__Output } from './modelops/v1/CreateTokenResponse';
import type { ListTokensRequest as _modelops_v1_ListTokensRequest, ListTokensRequest__Output as _modelops_v1_ListTokensRequest__Output } from './modelops/v1/ListTokensRequest';
import type { ListTokensResponse as _modelops_v1_ListTokensResponse, ListTokensResponse__Output as _modelops_v1_ListTokensResponse__Output } from './modelops/v1/ListTokensResponse';
import type { RevokeTokenRequest as _modelops_v1_RevokeTokenRequest, RevokeTokenRequest__Output as _modelops_v1_RevokeTokenRequest__Output } from './modelops/v1/RevokeTokenRequest';
import type { RevokeTokenResponse as _modelops_v1_RevokeTokenResponse, RevokeTokenResponse__Output as _modelops_v1_RevokeTokenResponse__Output } from './modelops/v1/RevokeTokenResponse';
import type { Token as _modelops_v1_Token, Token__Output as _modelops_v1_Token__Output } from './modelops/v1/Token';

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
      AuthService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_AuthServiceClient> & { service: _modelops_v1_AuthServiceDefinition }
      CreateTokenRequest: MessageTypeDefinition<_modelops_v1_CreateTokenRequest, _modelops_v1_CreateTokenRequest__Output>
      CreateTokenResponse: MessageTypeDefinition<_modelops_v1_CreateTokenResponse, _modelops_v1_CreateTokenResponse__Output>
      ListTokensRequest: MessageTypeDefinition<_modelops_v1_ListTokensRequest, _modelops_v1_ListTokensRequest__Output>
      ListTokensResponse: MessageTypeDefinition<_modelops_v1_ListTokensResponse, _modelops_v1_ListTokensResponse__Output>
      RevokeTokenRequest: MessageTypeDefinition<_modelops_v1_RevokeTokenRequest, _modelops_v1_RevokeTokenRequest__Output>
      RevokeTokenResponse: MessageTypeDefinition<_modelops_v1_RevokeTokenResponse, _modelops_v1_RevokeTokenResponse__Output>
      Role: EnumTypeDefinition
      Token: MessageTypeDefinition<_modelops_v1_Token, _modelops_v1_Token__Output>
    }
  }
}

