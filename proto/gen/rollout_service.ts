import type * as grpc from '@grpc/grpc-js';

import type { RolloutServiceClient as _modelops_v1_RolloutServiceClient, RolloutServiceDefinition as _modelops_v1_RolloutServiceDefinition } from './modelops/v1/RolloutService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  modelops: {
    v1: {
      RolloutService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_RolloutServiceClient> & { service: _modelops_v1_RolloutServiceDefinition }
    }
  }
}

