// Original file: proto/modelops/v1/feature_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'

export interface FeatureServiceClient extends grpc.Client {
}

export interface FeatureServiceHandlers extends grpc.UntypedServiceImplementation {
}

export interface FeatureServiceDefinition extends grpc.ServiceDefinition {
}
