// Original file: proto/modelops/v1/evaluation_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'

export interface EvaluationServiceClient extends grpc.Client {
}

export interface EvaluationServiceHandlers extends grpc.UntypedServiceImplementation {
}

export interface EvaluationServiceDefinition extends grpc.ServiceDefinition {
}
