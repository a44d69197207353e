import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Provenance as _modelops_v1_Provenance, Provenance__Output as _modelops_v1_Provenance__Output } from './modelops/v1/Provenance';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  modelops: {
    v1: {
      Provenance: MessageTypeDefinition<_modelops_v1_Provenance, _modelops_v1_Provenance__Output>
    }
  }
}

