// Original file: proto/modelops/v1/auth_service.proto

export const Role = {
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  ROLE_READER: 'ROLE_READER',
  ROLE_OPERATOR: 'ROLE_OPERATOR',
  ROLE_ADMIN: 'ROLE_ADMIN',
} as const;

export type Role =
  | 'ROLE_UNSPECIFIED'
  | 0
  | 'ROLE_READER'
  | 1
  | 'ROLE_OPERATOR'
  | 2
  | 'ROLE_ADMIN'
  | 3

export type Role__Output = typeof Role[keyof typeof Role]
