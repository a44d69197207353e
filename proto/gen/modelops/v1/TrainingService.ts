// Original file: proto/modelops/v1/training_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'

export interface TrainingServiceClient extends grpc.Client {
}

export interface TrainingServiceHandlers extends grpc.UntypedServiceImplementation {
}

export interface TrainingServiceDefinition extends grpc.ServiceDefinition {
}
