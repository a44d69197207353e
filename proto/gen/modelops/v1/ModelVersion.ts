// Original file: proto/modelops/v1/registry_service.proto

import type { ModelArtifact as _modelops_v1_ModelArtifact, ModelArtifact__Output as _modelops_v1_ModelArtifact__Output } from '../../modelops/v1/ModelArtifact';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { ModelInputSpec as _modelops_v1_ModelInputSpec, ModelInputSpec__Output as _modelops_v1_ModelInputSpec__Output } from '../../modelops/v1/ModelInputSpec';
import type { Provenance as _modelops_v1_Provenance, Provenance__Output as _modelops_v1_Provenance__Output } from '../../modelops/v1/Provenance';

export interface ModelVersion {
  'name'?: (string);
  'model'?: (string);
  'number'?: (number);
  'version_name'?: (string);
  'arch'?: (string);
  'task'?: (string);
  'label'?: (string);
  'buckets'?: (string);
  'dataset_id'?: (string);
  'hyperparameters_json'?: (string);
  'training_metrics'?: ({[key: string]: number | string});
  'parity_json'?: (string);
  'backend'?: (string);
  'data_window'?: (string);
  'artifacts'?: (_modelops_v1_ModelArtifact)[];
  'created_by'?: (string);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'state'?: (string);
  'source'?: (string);
  'input_signature'?: (_modelops_v1_ModelInputSpec)[];
  'tags'?: ({[key: string]: string});
  'aliases'?: (string)[];
  'provenance'?: (_modelops_v1_Provenance | null);
}

export interface ModelVersion__Output {
  'name': (string);
  'model': (string);
  'number': (number);
  'version_name': (string);
  'arch': (string);
  'task': (string);
  'label': (string);
  'buckets': (string);
  'dataset_id': (string);
  'hyperparameters_json': (string);
  'training_metrics': ({[key: string]: number});
  'parity_json': (string);
  'backend': (string);
  'data_window': (string);
  'artifacts': (_modelops_v1_ModelArtifact__Output)[];
  'created_by': (string);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'state': (string);
  'source': (string);
  'input_signature': (_modelops_v1_ModelInputSpec__Output)[];
  'tags': ({[key: string]: string});
  'aliases': (string)[];
  'provenance': (_modelops_v1_Provenance__Output | null);
}
