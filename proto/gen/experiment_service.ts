import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { CreateExperimentRequest as _modelops_v1_CreateExperimentRequest, CreateExperimentRequest__Output as _modelops_v1_CreateExperimentRequest__Output } from './modelops/v1/CreateExperimentRequest';
import type { CreateExperimentResponse as _modelops_v1_CreateExperimentResponse, CreateExperimentResponse__Output as _modelops_v1_CreateExperimentResponse__Output } from './modelops/v1/CreateExperimentResponse';
import type { Experiment as _modelops_v1_Experiment, Experiment__Output as _modelops_v1_Experiment__Output } from './modelops/v1/Experiment';
import type { ExperimentRow as _modelops_v1_ExperimentRow, ExperimentRow__Output as _modelops_v1_ExperimentRow__Output } from './modelops/v1/ExperimentRow';
import type { ExperimentServiceClient as _modelops_v1_ExperimentServiceClient, ExperimentServiceDefinition as _modelops_v1_ExperimentServiceDefinition } from './modelops/v1/ExperimentService';
import type { GetExperimentRequest as _modelops_v1_GetExperimentRequest, GetExperimentRequest__Output as _modelops_v1_GetExperimentRequest__Output } from './modelops/v1/GetExperimentRequest';
import type { GetExperimentResponse as _modelops_v1_GetExperimentResponse, GetExperimentResponse__Output as _modelops_v1_GetExperimentResponse__Output } from './modelops/v1/GetExperimentResponse';
import type { ListExperimentsRequest as _modelops_v1_ListExperimentsRequest, ListExperimentsRequest__Output as _modelops_v1_ListExperimentsRequest__Output } from './modelops/v1/ListExperimentsRequest';
import type { ListExperimentsResponse as _modelops_v1_ListExperimentsResponse, ListExperimentsResponse__Output as _modelops_v1_ListExperimentsResponse__Output } from './modelops/v1/ListExperimentsResponse';
import type { Provenance as _modelops_v1_Provenance, Provenance__Output as _modelops_v1_Provenance__Output } from './modelops/v1/Provenance';
import type { UpdateExperimentRequest as _modelops_v1_UpdateExperimentRequest, UpdateExperimentRequest__Output as _modelops_v1_UpdateExperimentRequest__Output } from './modelops/v1/UpdateExperimentRequest';
import type { UpdateExperimentResponse as _modelops_v1_UpdateExperimentResponse, UpdateExperimentResponse__Output as _modelops_v1_UpdateExperimentResponse__Output } from './modelops/v1/UpdateExperimentResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  modelops: {
    v1: {
      CreateExperimentRequest: MessageTypeDefinition<_modelops_v1_CreateExperimentRequest, _modelops_v1_CreateExperimentRequest__Output>
      CreateExperimentResponse: MessageTypeDefinition<_modelops_v1_CreateExperimentResponse, _modelops_v1_CreateExperimentResponse__Output>
      Experiment: MessageTypeDefinition<_modelops_v1_Experiment, _modelops_v1_Experiment__Output>
      ExperimentRow: MessageTypeDefinition<_modelops_v1_ExperimentRow, _modelops_v1_ExperimentRow__Output>
      ExperimentService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_ExperimentServiceClient> & { service: _modelops_v1_ExperimentServiceDefinition }
      ExperimentState: EnumTypeDefinition
      GetExperimentRequest: MessageTypeDefinition<_modelops_v1_GetExperimentRequest, _modelops_v1_GetExperimentRequest__Output>
      GetExperimentResponse: MessageTypeDefinition<_modelops_v1_GetExperimentResponse, _modelops_v1_GetExperimentResponse__Output>
      ListExperimentsRequest: MessageTypeDefinition<_modelops_v1_ListExperimentsRequest, _modelops_v1_ListExperimentsRequest__Output>
      ListExperimentsResponse: MessageTypeDefinition<_modelops_v1_ListExperimentsResponse, _modelops_v1_ListExperimentsResponse__Output>
      Provenance: MessageTypeDefinition<_modelops_v1_Provenance, _modelops_v1_Provenance__Output>
      UpdateExperimentRequest: MessageTypeDefinition<_modelops_v1_UpdateExperimentRequest, _modelops_v1_UpdateExperimentRequest__Output>
      UpdateExperimentResponse: MessageTypeDefinition<_modelops_v1_UpdateExperimentResponse, _modelops_v1_UpdateExperimentResponse__Output>
    }
  }
}

