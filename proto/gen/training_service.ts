import type * as grpc from '@grpc/grpc-js';

import type { TrainingServiceClient as _modelops_v1_TrainingServiceClient, TrainingServiceDefinition as _modelops_v1_TrainingServiceDefinition } from './modelops/v1/TrainingService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  modelops: {
    v1: {
      TrainingService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_TrainingServiceClient> & { service: _modelops_v1_TrainingServiceDefinition }
    }
  }
}

