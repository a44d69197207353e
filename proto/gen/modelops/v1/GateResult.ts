// Original file: proto/modelops/v1/registry_service.proto

import type { GateCheck as _modelops_v1_GateCheck, GateCheck__Output as _modelops_v1_GateCheck__Output } from '../../modelops/v1/GateCheck';

export interface GateResult {
  'passed'?: (boolean);
  'days'?: (string)[];
  'checks'?: (_modelops_v1_GateCheck)[];
  'intervals'?: (string);
  'seeds'?: (number);
  'seed_group'?: (string);
}

export interface GateResult__Output {
  'passed': (boolean);
  'days': (string)[];
  'checks': (_modelops_v1_GateCheck__Output)[];
  'intervals': (string);
  'seeds': (number);
  'seed_group': (string);
}
