import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { CancelTrainingJobRequest as _modelops_v1_CancelTrainingJobRequest, CancelTrainingJobRequest__Output as _modelops_v1_CancelTrainingJobRequest__Output } from './modelops/v1/CancelTrainingJobRequest';
import type { CancelTrainingJobResponse as _modelops_v1_CancelTrainingJobResponse, CancelTrainingJobResponse__Output as _modelops_v1_CancelTrainingJobResponse__Output } from './modelops/v1/CancelTrainingJobResponse';
import type { GetTrainingJobRequest as _modelops_v1_GetTrainingJobRequest, GetTrainingJobRequest__Output as _modelops_v1_GetTrainingJobRequest__Output } from './modelops/v1/GetTrainingJobRequest';
import type { GetTrainingJobResponse as _modelops_v1_GetTrainingJobResponse, GetTrainingJobResponse__Output as _modelops_v1_GetTrainingJobResponse__Output } from './modelops/v1/GetTrainingJobResponse';
import type { ListTrainingJobsRequest as _modelops_v1_ListTrainingJobsRequest, ListTrainingJobsRequest__Output as _modelops_v1_ListTrainingJobsRequest__Output } from './modelops/v1/ListTrainingJobsRequest';
import type { ListTrainingJobsResponse as _modelops_v1_ListTrainingJobsResponse, ListTrainingJobsResponse__Output as _modelops_v1_ListTrainingJobsResponse__Output } from './modelops/v1/ListTrainingJobsResponse';
import type { StartTrainingJobRequest as _modelops_v1_StartTrainingJobRequest, StartTrainingJobRequest__Output as _modelops_v1_StartTrainingJobRequest__Output } from './modelops/v1/StartTrainingJobRequest';
import type { StartTrainingJobResponse as _modelops_v1_StartTrainingJobResponse, StartTrainingJobResponse__Output as _modelops_v1_StartTrainingJobResponse__Output } from './modelops/v1/StartTrainingJobResponse';
import type { TrainingHyperparameters as _modelops_v1_TrainingHyperparameters, TrainingHyperparameters__Output as _modelops_v1_TrainingHyperparameters__Output } from './modelops/v1/TrainingHyperparameters';
import type { TrainingJob as _modelops_v1_TrainingJob, TrainingJob__Output as _modelops_v1_TrainingJob__Output } from './modelops/v1/TrainingJob';
import type { TrainingProgress as _modelops_v1_TrainingProgress, TrainingProgress__Output as _modelops_v1_TrainingProgress__Output } from './modelops/v1/TrainingProgress';
import type { TrainingServiceClient as _modelops_v1_TrainingServiceClient, TrainingServiceDefinition as _modelops_v1_TrainingServiceDefinition } from './modelops/v1/TrainingService';
import type { WatchTrainingJobRequest as _modelops_v1_WatchTrainingJobRequest, WatchTrainingJobRequest__Output as _modelops_v1_WatchTrainingJobRequest__Output } from './modelops/v1/WatchTrainingJobRequest';
import type { WatchTrainingJobResponse as _modelops_v1_WatchTrainingJobResponse, WatchTrainingJobResponse__Output as _modelops_v1_WatchTrainingJobResponse__Output } from './modelops/v1/WatchTrainingJobResponse';

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
      CancelTrainingJobRequest: MessageTypeDefinition<_modelops_v1_CancelTrainingJobRequest, _modelops_v1_CancelTrainingJobRequest__Output>
      CancelTrainingJobResponse: MessageTypeDefinition<_modelops_v1_CancelTrainingJobResponse, _modelops_v1_CancelTrainingJobResponse__Output>
      GetTrainingJobRequest: MessageTypeDefinition<_modelops_v1_GetTrainingJobRequest, _modelops_v1_GetTrainingJobRequest__Output>
      GetTrainingJobResponse: MessageTypeDefinition<_modelops_v1_GetTrainingJobResponse, _modelops_v1_GetTrainingJobResponse__Output>
      ListTrainingJobsRequest: MessageTypeDefinition<_modelops_v1_ListTrainingJobsRequest, _modelops_v1_ListTrainingJobsRequest__Output>
      ListTrainingJobsResponse: MessageTypeDefinition<_modelops_v1_ListTrainingJobsResponse, _modelops_v1_ListTrainingJobsResponse__Output>
      StartTrainingJobRequest: MessageTypeDefinition<_modelops_v1_StartTrainingJobRequest, _modelops_v1_StartTrainingJobRequest__Output>
      StartTrainingJobResponse: MessageTypeDefinition<_modelops_v1_StartTrainingJobResponse, _modelops_v1_StartTrainingJobResponse__Output>
      TrainingHyperparameters: MessageTypeDefinition<_modelops_v1_TrainingHyperparameters, _modelops_v1_TrainingHyperparameters__Output>
      TrainingJob: MessageTypeDefinition<_modelops_v1_TrainingJob, _modelops_v1_TrainingJob__Output>
      TrainingJobState: EnumTypeDefinition
      TrainingProgress: MessageTypeDefinition<_modelops_v1_TrainingProgress, _modelops_v1_TrainingProgress__Output>
      TrainingService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_TrainingServiceClient> & { service: _modelops_v1_TrainingServiceDefinition }
      WatchTrainingJobRequest: MessageTypeDefinition<_modelops_v1_WatchTrainingJobRequest, _modelops_v1_WatchTrainingJobRequest__Output>
      WatchTrainingJobResponse: MessageTypeDefinition<_modelops_v1_WatchTrainingJobResponse, _modelops_v1_WatchTrainingJobResponse__Output>
    }
  }
}

