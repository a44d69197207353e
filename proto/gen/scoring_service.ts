import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ScoreContext as _modelops_v1_ScoreContext, ScoreContext__Output as _modelops_v1_ScoreContext__Output } from './modelops/v1/ScoreContext';
import type { ScoreRequest as _modelops_v1_ScoreRequest, ScoreRequest__Output as _modelops_v1_ScoreRequest__Output } from './modelops/v1/ScoreRequest';
import type { ScoreResponse as _modelops_v1_ScoreResponse, ScoreResponse__Output as _modelops_v1_ScoreResponse__Output } from './modelops/v1/ScoreResponse';
import type { ScoringServiceClient as _modelops_v1_ScoringServiceClient, ScoringServiceDefinition as _modelops_v1_ScoringServiceDefinition } from './modelops/v1/ScoringService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  modelops: {
    v1: {
      ScoreContext: MessageTypeDefinition<_modelops_v1_ScoreContext, _modelops_v1_ScoreContext__Output>
      ScoreRequest: MessageTypeDefinition<_modelops_v1_ScoreRequest, _modelops_v1_ScoreRequest__Output>
      ScoreResponse: MessageTypeDefinition<_modelops_v1_ScoreResponse, _modelops_v1_ScoreResponse__Output>
      ScoringService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_ScoringServiceClient> & { service: _modelops_v1_ScoringServiceDefinition }
    }
  }
}

