// Original file: proto/modelops/v1/registry_service.proto

import type { ModelVersion as _modelops_v1_ModelVersion, ModelVersion__Output as _modelops_v1_ModelVersion__Output } from '../../modelops/v1/ModelVersion';
import type { GateResult as _modelops_v1_GateResult, GateResult__Output as _modelops_v1_GateResult__Output } from '../../modelops/v1/GateResult';

export interface PromoteModelVersionResponse {
  'version'?: (_modelops_v1_ModelVersion | null);
  'previous_version'?: (number);
  'outcome'?: (string);
  'gate'?: (_modelops_v1_GateResult | null);
  'baseline_version'?: (number);
  'evaluation_id'?: (string);
  'note'?: (string);
  'target'?: (string);
  'protocol'?: (string);
  'dataset_id'?: (string);
}

export interface PromoteModelVersionResponse__Output {
  'version': (_modelops_v1_ModelVersion__Output | null);
  'previous_version': (number);
  'outcome': (string);
  'gate': (_modelops_v1_GateResult__Output | null);
  'baseline_version': (number);
  'evaluation_id': (string);
  'note': (string);
  'target': (string);
  'protocol': (string);
  'dataset_id': (string);
}
