// Original file: proto/modelops/v1/rollout_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetRolloutReportRequest as _modelops_v1_GetRolloutReportRequest, GetRolloutReportRequest__Output as _modelops_v1_GetRolloutReportRequest__Output } from '../../modelops/v1/GetRolloutReportRequest';
import type { GetRolloutReportResponse as _modelops_v1_GetRolloutReportResponse, GetRolloutReportResponse__Output as _modelops_v1_GetRolloutReportResponse__Output } from '../../modelops/v1/GetRolloutReportResponse';
import type { GetRolloutRequest as _modelops_v1_GetRolloutRequest, GetRolloutRequest__Output as _modelops_v1_GetRolloutRequest__Output } from '../../modelops/v1/GetRolloutRequest';
import type { GetRolloutResponse as _modelops_v1_GetRolloutResponse, GetRolloutResponse__Output as _modelops_v1_GetRolloutResponse__Output } from '../../modelops/v1/GetRolloutResponse';
import type { ListRolloutsRequest as _modelops_v1_ListRolloutsRequest, ListRolloutsRequest__Output as _modelops_v1_ListRolloutsRequest__Output } from '../../modelops/v1/ListRolloutsRequest';
import type { ListRolloutsResponse as _modelops_v1_ListRolloutsResponse, ListRolloutsResponse__Output as _modelops_v1_ListRolloutsResponse__Output } from '../../modelops/v1/ListRolloutsResponse';
import type { RampRolloutRequest as _modelops_v1_RampRolloutRequest, RampRolloutRequest__Output as _modelops_v1_RampRolloutRequest__Output } from '../../modelops/v1/RampRolloutRequest';
import type { RampRolloutResponse as _modelops_v1_RampRolloutResponse, RampRolloutResponse__Output as _modelops_v1_RampRolloutResponse__Output } from '../../modelops/v1/RampRolloutResponse';
import type { RecordOutcomesRequest as _modelops_v1_RecordOutcomesRequest, RecordOutcomesRequest__Output as _modelops_v1_RecordOutcomesRequest__Output } from '../../modelops/v1/RecordOutcomesRequest';
import type { RecordOutcomesResponse as _modelops_v1_RecordOutcomesResponse, RecordOutcomesResponse__Output as _modelops_v1_RecordOutcomesResponse__Output } from '../../modelops/v1/RecordOutcomesResponse';
import type { StartRolloutRequest as _modelops_v1_StartRolloutRequest, StartRolloutRequest__Output as _modelops_v1_StartRolloutRequest__Output } from '../../modelops/v1/StartRolloutRequest';
import type { StartRolloutResponse as _modelops_v1_StartRolloutResponse, StartRolloutResponse__Output as _modelops_v1_StartRolloutResponse__Output } from '../../modelops/v1/StartRolloutResponse';
import type { StopRolloutRequest as _modelops_v1_StopRolloutRequest, StopRolloutRequest__Output as _modelops_v1_StopRolloutRequest__Output } from '../../modelops/v1/StopRolloutRequest';
import type { StopRolloutResponse as _modelops_v1_StopRolloutResponse, StopRolloutResponse__Output as _modelops_v1_StopRolloutResponse__Output } from '../../modelops/v1/StopRolloutResponse';

export interface RolloutServiceClient extends grpc.Client {
  GetRollout(argument: _modelops_v1_GetRolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetRolloutResponse__Output>): grpc.ClientUnaryCall;
  GetRollout(argument: _modelops_v1_GetRolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetRolloutResponse__Output>): grpc.ClientUnaryCall;
  GetRollout(argument: _modelops_v1_GetRolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetRolloutResponse__Output>): grpc.ClientUnaryCall;
  GetRollout(argument: _modelops_v1_GetRolloutRequest, callback: grpc.requestCallback<_modelops_v1_GetRolloutResponse__Output>): grpc.ClientUnaryCall;
  getRollout(argument: _modelops_v1_GetRolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetRolloutResponse__Output>): grpc.ClientUnaryCall;
  getRollout(argument: _modelops_v1_GetRolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetRolloutResponse__Output>): grpc.ClientUnaryCall;
  getRollout(argument: _modelops_v1_GetRolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetRolloutResponse__Output>): grpc.ClientUnaryCall;
  getRollout(argument: _modelops_v1_GetRolloutRequest, callback: grpc.requestCallback<_modelops_v1_GetRolloutResponse__Output>): grpc.ClientUnaryCall;
  
  GetRolloutReport(argument: _modelops_v1_GetRolloutReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetRolloutReportResponse__Output>): grpc.ClientUnaryCall;
  GetRolloutReport(argument: _modelops_v1_GetRolloutReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetRolloutReportResponse__Output>): grpc.ClientUnaryCall;
  GetRolloutReport(argument: _modelops_v1_GetRolloutReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetRolloutReportResponse__Output>): grpc.ClientUnaryCall;
  GetRolloutReport(argument: _modelops_v1_GetRolloutReportRequest, callback: grpc.requestCallback<_modelops_v1_GetRolloutReportResponse__Output>): grpc.ClientUnaryCall;
  getRolloutReport(argument: _modelops_v1_GetRolloutReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetRolloutReportResponse__Output>): grpc.ClientUnaryCall;
  getRolloutReport(argument: _modelops_v1_GetRolloutReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_GetRolloutReportResponse__Output>): grpc.ClientUnaryCall;
  getRolloutReport(argument: _modelops_v1_GetRolloutReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_GetRolloutReportResponse__Output>): grpc.ClientUnaryCall;
  getRolloutReport(argument: _modelops_v1_GetRolloutReportRequest, callback: grpc.requestCallback<_modelops_v1_GetRolloutReportResponse__Output>): grpc.ClientUnaryCall;
  
  ListRollouts(argument: _modelops_v1_ListRolloutsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListRolloutsResponse__Output>): grpc.ClientUnaryCall;
  ListRollouts(argument: _modelops_v1_ListRolloutsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListRolloutsResponse__Output>): grpc.ClientUnaryCall;
  ListRollouts(argument: _modelops_v1_ListRolloutsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListRolloutsResponse__Output>): grpc.ClientUnaryCall;
  ListRollouts(argument: _modelops_v1_ListRolloutsRequest, callback: grpc.requestCallback<_modelops_v1_ListRolloutsResponse__Output>): grpc.ClientUnaryCall;
  listRollouts(argument: _modelops_v1_ListRolloutsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListRolloutsResponse__Output>): grpc.ClientUnaryCall;
  listRollouts(argument: _modelops_v1_ListRolloutsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_ListRolloutsResponse__Output>): grpc.ClientUnaryCall;
  listRollouts(argument: _modelops_v1_ListRolloutsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_ListRolloutsResponse__Output>): grpc.ClientUnaryCall;
  listRollouts(argument: _modelops_v1_ListRolloutsRequest, callback: grpc.requestCallback<_modelops_v1_ListRolloutsResponse__Output>): grpc.ClientUnaryCall;
  
  RampRollout(argument: _modelops_v1_RampRolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RampRolloutResponse__Output>): grpc.ClientUnaryCall;
  RampRollout(argument: _modelops_v1_RampRolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RampRolloutResponse__Output>): grpc.ClientUnaryCall;
  RampRollout(argument: _modelops_v1_RampRolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RampRolloutResponse__Output>): grpc.ClientUnaryCall;
  RampRollout(argument: _modelops_v1_RampRolloutRequest, callback: grpc.requestCallback<_modelops_v1_RampRolloutResponse__Output>): grpc.ClientUnaryCall;
  rampRollout(argument: _modelops_v1_RampRolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RampRolloutResponse__Output>): grpc.ClientUnaryCall;
  rampRollout(argument: _modelops_v1_RampRolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RampRolloutResponse__Output>): grpc.ClientUnaryCall;
  rampRollout(argument: _modelops_v1_RampRolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RampRolloutResponse__Output>): grpc.ClientUnaryCall;
  rampRollout(argument: _modelops_v1_RampRolloutRequest, callback: grpc.requestCallback<_modelops_v1_RampRolloutResponse__Output>): grpc.ClientUnaryCall;
  
  RecordOutcomes(argument: _modelops_v1_RecordOutcomesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RecordOutcomesResponse__Output>): grpc.ClientUnaryCall;
  RecordOutcomes(argument: _modelops_v1_RecordOutcomesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RecordOutcomesResponse__Output>): grpc.ClientUnaryCall;
  RecordOutcomes(argument: _modelops_v1_RecordOutcomesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RecordOutcomesResponse__Output>): grpc.ClientUnaryCall;
  RecordOutcomes(argument: _modelops_v1_RecordOutcomesRequest, callback: grpc.requestCallback<_modelops_v1_RecordOutcomesResponse__Output>): grpc.ClientUnaryCall;
  recordOutcomes(argument: _modelops_v1_RecordOutcomesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RecordOutcomesResponse__Output>): grpc.ClientUnaryCall;
  recordOutcomes(argument: _modelops_v1_RecordOutcomesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_RecordOutcomesResponse__Output>): grpc.ClientUnaryCall;
  recordOutcomes(argument: _modelops_v1_RecordOutcomesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_RecordOutcomesResponse__Output>): grpc.ClientUnaryCall;
  recordOutcomes(argument: _modelops_v1_RecordOutcomesRequest, callback: grpc.requestCallback<_modelops_v1_RecordOutcomesResponse__Output>): grpc.ClientUnaryCall;
  
  StartRollout(argument: _modelops_v1_StartRolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StartRolloutResponse__Output>): grpc.ClientUnaryCall;
  StartRollout(argument: _modelops_v1_StartRolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_StartRolloutResponse__Output>): grpc.ClientUnaryCall;
  StartRollout(argument: _modelops_v1_StartRolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StartRolloutResponse__Output>): grpc.ClientUnaryCall;
  StartRollout(argument: _modelops_v1_StartRolloutRequest, callback: grpc.requestCallback<_modelops_v1_StartRolloutResponse__Output>): grpc.ClientUnaryCall;
  startRollout(argument: _modelops_v1_StartRolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StartRolloutResponse__Output>): grpc.ClientUnaryCall;
  startRollout(argument: _modelops_v1_StartRolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_StartRolloutResponse__Output>): grpc.ClientUnaryCall;
  startRollout(argument: _modelops_v1_StartRolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StartRolloutResponse__Output>): grpc.ClientUnaryCall;
  startRollout(argument: _modelops_v1_StartRolloutRequest, callback: grpc.requestCallback<_modelops_v1_StartRolloutResponse__Output>): grpc.ClientUnaryCall;
  
  StopRollout(argument: _modelops_v1_StopRolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StopRolloutResponse__Output>): grpc.ClientUnaryCall;
  StopRollout(argument: _modelops_v1_StopRolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_StopRolloutResponse__Output>): grpc.ClientUnaryCall;
  StopRollout(argument: _modelops_v1_StopRolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StopRolloutResponse__Output>): grpc.ClientUnaryCall;
  StopRollout(argument: _modelops_v1_StopRolloutRequest, callback: grpc.requestCallback<_modelops_v1_StopRolloutResponse__Output>): grpc.ClientUnaryCall;
  stopRollout(argument: _modelops_v1_StopRolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StopRolloutResponse__Output>): grpc.ClientUnaryCall;
  stopRollout(argument: _modelops_v1_StopRolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_modelops_v1_StopRolloutResponse__Output>): grpc.ClientUnaryCall;
  stopRollout(argument: _modelops_v1_StopRolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_modelops_v1_StopRolloutResponse__Output>): grpc.ClientUnaryCall;
  stopRollout(argument: _modelops_v1_StopRolloutRequest, callback: grpc.requestCallback<_modelops_v1_StopRolloutResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface RolloutServiceHandlers extends grpc.UntypedServiceImplementation {
  GetRollout: grpc.handleUnaryCall<_modelops_v1_GetRolloutRequest__Output, _modelops_v1_GetRolloutResponse>;
  
  GetRolloutReport: grpc.handleUnaryCall<_modelops_v1_GetRolloutReportRequest__Output, _modelops_v1_GetRolloutReportResponse>;
  
  ListRollouts: grpc.handleUnaryCall<_modelops_v1_ListRolloutsRequest__Output, _modelops_v1_ListRolloutsResponse>;
  
  RampRollout: grpc.handleUnaryCall<_modelops_v1_RampRolloutRequest__Output, _modelops_v1_RampRolloutResponse>;
  
  RecordOutcomes: grpc.handleUnaryCall<_modelops_v1_RecordOutcomesRequest__Output, _modelops_v1_RecordOutcomesResponse>;
  
  StartRollout: grpc.handleUnaryCall<_modelops_v1_StartRolloutRequest__Output, _modelops_v1_StartRolloutResponse>;
  
  StopRollout: grpc.handleUnaryCall<_modelops_v1_StopRolloutRequest__Output, _modelops_v1_StopRolloutResponse>;
  
}

export interface RolloutServiceDefinition extends grpc.ServiceDefinition {
  GetRollout: MethodDefinition<_modelops_v1_GetRolloutRequest, _modelops_v1_GetRolloutResponse, _modelops_v1_GetRolloutRequest__Output, _modelops_v1_GetRolloutResponse__Output>
  GetRolloutReport: MethodDefinition<_modelops_v1_GetRolloutReportRequest, _modelops_v1_GetRolloutReportResponse, _modelops_v1_GetRolloutReportRequest__Output, _modelops_v1_GetRolloutReportResponse__Output>
  ListRollouts: MethodDefinition<_modelops_v1_ListRolloutsRequest, _modelops_v1_ListRolloutsResponse, _modelops_v1_ListRolloutsRequest__Output, _modelops_v1_ListRolloutsResponse__Output>
  RampRollout: MethodDefinition<_modelops_v1_RampRolloutRequest, _modelops_v1_RampRolloutResponse, _modelops_v1_RampRolloutRequest__Output, _modelops_v1_RampRolloutResponse__Output>
  RecordOutcomes: MethodDefinition<_modelops_v1_RecordOutcomesRequest, _modelops_v1_RecordOutcomesResponse, _modelops_v1_RecordOutcomesRequest__Output, _modelops_v1_RecordOutcomesResponse__Output>
  StartRollout: MethodDefinition<_modelops_v1_StartRolloutRequest, _modelops_v1_StartRolloutResponse, _modelops_v1_StartRolloutRequest__Output, _modelops_v1_StartRolloutResponse__Output>
  StopRollout: MethodDefinition<_modelops_v1_StopRolloutRequest, _modelops_v1_StopRolloutResponse, _modelops_v1_StopRolloutRequest__Output, _modelops_v1_StopRolloutResponse__Output>
}
