import type * as grpc from '@grpc/grpc-js';

import type { FeatureServiceClient as _modelops_v1_FeatureServiceClient, FeatureServiceDefinition as _modelops_v1_FeatureServiceDefinition } from './modelops/v1/FeatureService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  modelops: {
    v1: {
      FeatureService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_FeatureServiceClient> & { service: _modelops_v1_FeatureServiceDefinition }
    }
  }
}

