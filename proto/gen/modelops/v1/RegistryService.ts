// Original file: proto/modelops/v1/registry_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'

export interface RegistryServiceClient extends grpc.Client {
}

export interface RegistryServiceHandlers extends grpc.UntypedServiceImplementation {
}

export interface RegistryServiceDefinition extends grpc.ServiceDefinition {
}
