import type * as grpc from '@grpc/grpc-js';

import type { RegistryServiceClient as _modelops_v1_RegistryServiceClient, RegistryServiceDefinition as _modelops_v1_RegistryServiceDefinition } from './modelops/v1/RegistryService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  modelops: {
    v1: {
      RegistryService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_RegistryServiceClient> & { service: _modelops_v1_RegistryServiceDefinition }
    }
  }
}

