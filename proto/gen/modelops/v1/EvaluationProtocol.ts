// Original file: proto/modelops/v1/evaluation_service.proto

export const EvaluationProtocol = {
  EVALUATION_PROTOCOL_UNSPECIFIED: 'EVALUATION_PROTOCOL_UNSPECIFIED',
  EVALUATION_PROTOCOL_VIEWED: 'EVALUATION_PROTOCOL_VIEWED',
  EVALUATION_PROTOCOL_CATALOG: 'EVALUATION_PROTOCOL_CATALOG',
  EVALUATION_PROTOCOL_BOTH: 'EVALUATION_PROTOCOL_BOTH',
} as const;

export type EvaluationProtocol =
  | 'EVALUATION_PROTOCOL_UNSPECIFIED'
  | 0
  | 'EVALUATION_PROTOCOL_VIEWED'
  | 1
  | 'EVALUATION_PROTOCOL_CATALOG'
  | 2
  | 'EVALUATION_PROTOCOL_BOTH'
  | 3

export type EvaluationProtocol__Output = typeof EvaluationProtocol[keyof typeof EvaluationProtocol]
