// Original file: proto/modelops/v1/rollout_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'

export interface RolloutServiceClient extends grpc.Client {
}

export interface RolloutServiceHandlers extends grpc.UntypedServiceImplementation {
}

export interface RolloutServiceDefinition extends grpc.ServiceDefinition {
}
