import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { GetRolloutReportRequest as _modelops_v1_GetRolloutReportRequest, GetRolloutReportRequest__Output as _modelops_v1_GetRolloutReportRequest__Output } from './modelops/v1/GetRolloutReportRequest';
import type { GetRolloutReportResponse as _modelops_v1_GetRolloutReportResponse, GetRolloutReportResponse__Output as _modelops_v1_GetRolloutReportResponse__Output } from './modelops/v1/GetRolloutReportResponse';
import type { GetRolloutRequest as _modelops_v1_GetRolloutRequest, GetRolloutRequest__Output as _modelops_v1_GetRolloutRequest__Output } from './modelops/v1/GetRolloutRequest';
import type { GetRolloutResponse as _modelops_v1_GetRolloutResponse, GetRolloutResponse__Output as _modelops_v1_GetRolloutResponse__Output } from './modelops/v1/GetRolloutResponse';
import type { ListRolloutsRequest as _modelops_v1_ListRolloutsRequest, ListRolloutsRequest__Output as _modelops_v1_ListRolloutsRequest__Output } from './modelops/v1/ListRolloutsRequest';
import type { ListRolloutsResponse as _modelops_v1_ListRolloutsResponse, ListRolloutsResponse__Output as _modelops_v1_ListRolloutsResponse__Output } from './modelops/v1/ListRolloutsResponse';
import type { RampRolloutRequest as _modelops_v1_RampRolloutRequest, RampRolloutRequest__Output as _modelops_v1_RampRolloutRequest__Output } from './modelops/v1/RampRolloutRequest';
import type { RampRolloutResponse as _modelops_v1_RampRolloutResponse, RampRolloutResponse__Output as _modelops_v1_RampRolloutResponse__Output } from './modelops/v1/RampRolloutResponse';
import type { RecordOutcomesRequest as _modelops_v1_RecordOutcomesRequest, RecordOutcomesRequest__Output as _modelops_v1_RecordOutcomesRequest__Output } from './modelops/v1/RecordOutcomesRequest';
import type { RecordOutcomesResponse as _modelops_v1_RecordOutcomesResponse, RecordOutcomesResponse__Output as _modelops_v1_RecordOutcomesResponse__Output } from './modelops/v1/RecordOutcomesResponse';
import type { Rollout as _modelops_v1_Rollout, Rollout__Output as _modelops_v1_Rollout__Output } from './modelops/v1/Rollout';
import type { RolloutArm as _modelops_v1_RolloutArm, RolloutArm__Output as _modelops_v1_RolloutArm__Output } from './modelops/v1/RolloutArm';
import type { RolloutArmReadout as _modelops_v1_RolloutArmReadout, RolloutArmReadout__Output as _modelops_v1_RolloutArmReadout__Output } from './modelops/v1/RolloutArmReadout';
import type { RolloutChange as _modelops_v1_RolloutChange, RolloutChange__Output as _modelops_v1_RolloutChange__Output } from './modelops/v1/RolloutChange';
import type { RolloutDayEffect as _modelops_v1_RolloutDayEffect, RolloutDayEffect__Output as _modelops_v1_RolloutDayEffect__Output } from './modelops/v1/RolloutDayEffect';
import type { RolloutDifference as _modelops_v1_RolloutDifference, RolloutDifference__Output as _modelops_v1_RolloutDifference__Output } from './modelops/v1/RolloutDifference';
import type { RolloutEstimate as _modelops_v1_RolloutEstimate, RolloutEstimate__Output as _modelops_v1_RolloutEstimate__Output } from './modelops/v1/RolloutEstimate';
import type { RolloutGuardrail as _modelops_v1_RolloutGuardrail, RolloutGuardrail__Output as _modelops_v1_RolloutGuardrail__Output } from './modelops/v1/RolloutGuardrail';
import type { RolloutOutcome as _modelops_v1_RolloutOutcome, RolloutOutcome__Output as _modelops_v1_RolloutOutcome__Output } from './modelops/v1/RolloutOutcome';
import type { RolloutProgression as _modelops_v1_RolloutProgression, RolloutProgression__Output as _modelops_v1_RolloutProgression__Output } from './modelops/v1/RolloutProgression';
import type { RolloutServiceClient as _modelops_v1_RolloutServiceClient, RolloutServiceDefinition as _modelops_v1_RolloutServiceDefinition } from './modelops/v1/RolloutService';
import type { RolloutShadowStats as _modelops_v1_RolloutShadowStats, RolloutShadowStats__Output as _modelops_v1_RolloutShadowStats__Output } from './modelops/v1/RolloutShadowStats';
import type { RolloutSrmArm as _modelops_v1_RolloutSrmArm, RolloutSrmArm__Output as _modelops_v1_RolloutSrmArm__Output } from './modelops/v1/RolloutSrmArm';
import type { RolloutSrmCheck as _modelops_v1_RolloutSrmCheck, RolloutSrmCheck__Output as _modelops_v1_RolloutSrmCheck__Output } from './modelops/v1/RolloutSrmCheck';
import type { StartRolloutRequest as _modelops_v1_StartRolloutRequest, StartRolloutRequest__Output as _modelops_v1_StartRolloutRequest__Output } from './modelops/v1/StartRolloutRequest';
import type { StartRolloutResponse as _modelops_v1_StartRolloutResponse, StartRolloutResponse__Output as _modelops_v1_StartRolloutResponse__Output } from './modelops/v1/StartRolloutResponse';
import type { StopRolloutRequest as _modelops_v1_StopRolloutRequest, StopRolloutRequest__Output as _modelops_v1_StopRolloutRequest__Output } from './modelops/v1/StopRolloutRequest';
import type { StopRolloutResponse as _modelops_v1_StopRolloutResponse, StopRolloutResponse__Output as _modelops_v1_StopRolloutResponse__Output } from './modelops/v1/StopRolloutResponse';

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
      GetRolloutReportRequest: MessageTypeDefinition<_modelops_v1_GetRolloutReportRequest, _modelops_v1_GetRolloutReportRequest__Output>
      GetRolloutReportResponse: MessageTypeDefinition<_modelops_v1_GetRolloutReportResponse, _modelops_v1_GetRolloutReportResponse__Output>
      GetRolloutRequest: MessageTypeDefinition<_modelops_v1_GetRolloutRequest, _modelops_v1_GetRolloutRequest__Output>
      GetRolloutResponse: MessageTypeDefinition<_modelops_v1_GetRolloutResponse, _modelops_v1_GetRolloutResponse__Output>
      ListRolloutsRequest: MessageTypeDefinition<_modelops_v1_ListRolloutsRequest, _modelops_v1_ListRolloutsRequest__Output>
      ListRolloutsResponse: MessageTypeDefinition<_modelops_v1_ListRolloutsResponse, _modelops_v1_ListRolloutsResponse__Output>
      RampRolloutRequest: MessageTypeDefinition<_modelops_v1_RampRolloutRequest, _modelops_v1_RampRolloutRequest__Output>
      RampRolloutResponse: MessageTypeDefinition<_modelops_v1_RampRolloutResponse, _modelops_v1_RampRolloutResponse__Output>
      RecordOutcomesRequest: MessageTypeDefinition<_modelops_v1_RecordOutcomesRequest, _modelops_v1_RecordOutcomesRequest__Output>
      RecordOutcomesResponse: MessageTypeDefinition<_modelops_v1_RecordOutcomesResponse, _modelops_v1_RecordOutcomesResponse__Output>
      Rollout: MessageTypeDefinition<_modelops_v1_Rollout, _modelops_v1_Rollout__Output>
      RolloutArm: MessageTypeDefinition<_modelops_v1_RolloutArm, _modelops_v1_RolloutArm__Output>
      RolloutArmReadout: MessageTypeDefinition<_modelops_v1_RolloutArmReadout, _modelops_v1_RolloutArmReadout__Output>
      RolloutChange: MessageTypeDefinition<_modelops_v1_RolloutChange, _modelops_v1_RolloutChange__Output>
      RolloutDayEffect: MessageTypeDefinition<_modelops_v1_RolloutDayEffect, _modelops_v1_RolloutDayEffect__Output>
      RolloutDifference: MessageTypeDefinition<_modelops_v1_RolloutDifference, _modelops_v1_RolloutDifference__Output>
      RolloutEstimate: MessageTypeDefinition<_modelops_v1_RolloutEstimate, _modelops_v1_RolloutEstimate__Output>
      RolloutGuardrail: MessageTypeDefinition<_modelops_v1_RolloutGuardrail, _modelops_v1_RolloutGuardrail__Output>
      RolloutOutcome: MessageTypeDefinition<_modelops_v1_RolloutOutcome, _modelops_v1_RolloutOutcome__Output>
      RolloutProgression: MessageTypeDefinition<_modelops_v1_RolloutProgression, _modelops_v1_RolloutProgression__Output>
      RolloutService: SubtypeConstructor<typeof grpc.Client, _modelops_v1_RolloutServiceClient> & { service: _modelops_v1_RolloutServiceDefinition }
      RolloutShadowStats: MessageTypeDefinition<_modelops_v1_RolloutShadowStats, _modelops_v1_RolloutShadowStats__Output>
      RolloutSrmArm: MessageTypeDefinition<_modelops_v1_RolloutSrmArm, _modelops_v1_RolloutSrmArm__Output>
      RolloutSrmCheck: MessageTypeDefinition<_modelops_v1_RolloutSrmCheck, _modelops_v1_RolloutSrmCheck__Output>
      RolloutState: EnumTypeDefinition
      StartRolloutRequest: MessageTypeDefinition<_modelops_v1_StartRolloutRequest, _modelops_v1_StartRolloutRequest__Output>
      StartRolloutResponse: MessageTypeDefinition<_modelops_v1_StartRolloutResponse, _modelops_v1_StartRolloutResponse__Output>
      StopRolloutRequest: MessageTypeDefinition<_modelops_v1_StopRolloutRequest, _modelops_v1_StopRolloutRequest__Output>
      StopRolloutResponse: MessageTypeDefinition<_modelops_v1_StopRolloutResponse, _modelops_v1_StopRolloutResponse__Output>
    }
  }
}

