import type * as grpc from '@grpc/grpc-js';

import type { EvaluationServiceClient as _modelops_v1_EvaluationServiceClient, EvaluationServiceDefinition as _modelops_v1_EvaluationServiceDefinition } from './modelops/v1/EvaluationService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  modelops: {
    v1: {
      EvaluationService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_EvaluationServiceClient> & { service: _modelops_v1_EvaluationServiceDefinition }
    }
  }
}

