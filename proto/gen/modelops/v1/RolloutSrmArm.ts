// Original file: proto/modelops/v1/rollout_service.proto

import type { Long } from '@grpc/proto-loader';

export interface RolloutSrmArm {
  'arm'?: (string);
  'weight'?: (number);
  'observed'?: (number | string | Long);
  'expected'?: (number | string);
}

export interface RolloutSrmArm__Output {
  'arm': (string);
  'weight': (number);
  'observed': (string);
  'expected': (number);
}
