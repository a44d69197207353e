import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { GetScoringStatusRequest as _modelops_v1_GetScoringStatusRequest, GetScoringStatusRequest__Output as _modelops_v1_GetScoringStatusRequest__Output } from './modelops/v1/GetScoringStatusRequest';
import type { GetScoringStatusResponse as _modelops_v1_GetScoringStatusResponse, GetScoringStatusResponse__Output as _modelops_v1_GetScoringStatusResponse__Output } from './modelops/v1/GetScoringStatusResponse';
import type { RetrievalIndexStatus as _modelops_v1_RetrievalIndexStatus, RetrievalIndexStatus__Output as _modelops_v1_RetrievalIndexStatus__Output } from './modelops/v1/RetrievalIndexStatus';
import type { RetrieveRequest as _modelops_v1_RetrieveRequest, RetrieveRequest__Output as _modelops_v1_RetrieveRequest__Output } from './modelops/v1/RetrieveRequest';
import type { RetrieveResponse as _modelops_v1_RetrieveResponse, RetrieveResponse__Output as _modelops_v1_RetrieveResponse__Output } from './modelops/v1/RetrieveResponse';
import type { ScoreContext as _modelops_v1_ScoreContext, ScoreContext__Output as _modelops_v1_ScoreContext__Output } from './modelops/v1/ScoreContext';
import type { ScoreRequest as _modelops_v1_ScoreRequest, ScoreRequest__Output as _modelops_v1_ScoreRequest__Output } from './modelops/v1/ScoreRequest';
import type { ScoreResponse as _modelops_v1_ScoreResponse, ScoreResponse__Output as _modelops_v1_ScoreResponse__Output } from './modelops/v1/ScoreResponse';
import type { ScoringArmStatus as _modelops_v1_ScoringArmStatus, ScoringArmStatus__Output as _modelops_v1_ScoringArmStatus__Output } from './modelops/v1/ScoringArmStatus';
import type { ScoringLoadFailure as _modelops_v1_ScoringLoadFailure, ScoringLoadFailure__Output as _modelops_v1_ScoringLoadFailure__Output } from './modelops/v1/ScoringLoadFailure';
import type { ScoringModelStatus as _modelops_v1_ScoringModelStatus, ScoringModelStatus__Output as _modelops_v1_ScoringModelStatus__Output } from './modelops/v1/ScoringModelStatus';
import type { ScoringServiceClient as _modelops_v1_ScoringServiceClient, ScoringServiceDefinition as _modelops_v1_ScoringServiceDefinition } from './modelops/v1/ScoringService';

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
      GetScoringStatusRequest: MessageTypeDefinition<_modelops_v1_GetScoringStatusRequest, _modelops_v1_GetScoringStatusRequest__Output>
      GetScoringStatusResponse: MessageTypeDefinition<_modelops_v1_GetScoringStatusResponse, _modelops_v1_GetScoringStatusResponse__Output>
      RetrievalIndexStatus: MessageTypeDefinition<_modelops_v1_RetrievalIndexStatus, _modelops_v1_RetrievalIndexStatus__Output>
      RetrieveRequest: MessageTypeDefinition<_modelops_v1_RetrieveRequest, _modelops_v1_RetrieveRequest__Output>
      RetrieveResponse: MessageTypeDefinition<_modelops_v1_RetrieveResponse, _modelops_v1_RetrieveResponse__Output>
      ScoreContext: MessageTypeDefinition<_modelops_v1_ScoreContext, _modelops_v1_ScoreContext__Output>
      ScoreRequest: MessageTypeDefinition<_modelops_v1_ScoreRequest, _modelops_v1_ScoreRequest__Output>
      ScoreResponse: MessageTypeDefinition<_modelops_v1_ScoreResponse, _modelops_v1_ScoreResponse__Output>
      ScoringArmStatus: MessageTypeDefinition<_modelops_v1_ScoringArmStatus, _modelops_v1_ScoringArmStatus__Output>
      ScoringLoadFailure: MessageTypeDefinition<_modelops_v1_ScoringLoadFailure, _modelops_v1_ScoringLoadFailure__Output>
      ScoringModelStatus: MessageTypeDefinition<_modelops_v1_ScoringModelStatus, _modelops_v1_ScoringModelStatus__Output>
      ScoringService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_ScoringServiceClient> & { service: _modelops_v1_ScoringServiceDefinition }
    }
  }
}

