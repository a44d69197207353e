// Original file: proto/modelops/v1/training_service.proto

import type { TrainingHyperparameters as _modelops_v1_TrainingHyperparameters, TrainingHyperparameters__Output as _modelops_v1_TrainingHyperparameters__Output } from '../../modelops/v1/TrainingHyperparameters';
import type { TrainingJobState as _modelops_v1_TrainingJobState, TrainingJobState__Output as _modelops_v1_TrainingJobState__Output } from '../../modelops/v1/TrainingJobState';
import type { TrainingProgress as _modelops_v1_TrainingProgress, TrainingProgress__Output as _modelops_v1_TrainingProgress__Output } from '../../modelops/v1/TrainingProgress';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface TrainingJob {
  'name'?: (string);
  'id'?: (string);
  'model'?: (string);
  'version_name'?: (string);
  'dataset_id'?: (string);
  'arch'?: (string);
  'task'?: (string);
  'hyperparameters'?: (_modelops_v1_TrainingHyperparameters | null);
  'seed'?: (number);
  'state'?: (_modelops_v1_TrainingJobState);
  'progress'?: (_modelops_v1_TrainingProgress | null);
  'metrics'?: ({[key: string]: number | string});
  'backend'?: (string);
  'version_number'?: (number);
  'error'?: (string);
  'created_by'?: (string);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'start_time'?: (_google_protobuf_Timestamp | null);
  'end_time'?: (_google_protobuf_Timestamp | null);
  'duration_seconds'?: (number | string);
  'data_window'?: (string);
  'seed_group'?: (string);
}

export interface TrainingJob__Output {
  'name': (string);
  'id': (string);
  'model': (string);
  'version_name': (string);
  'dataset_id': (string);
  'arch': (string);
  'task': (string);
  'hyperparameters': (_modelops_v1_TrainingHyperparameters__Output | null);
  'seed': (number);
  'state': (_modelops_v1_TrainingJobState__Output);
  'progress': (_modelops_v1_TrainingProgress__Output | null);
  'metrics': ({[key: string]: number});
  'backend': (string);
  'version_number': (number);
  'error': (string);
  'created_by': (string);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'start_time': (_google_protobuf_Timestamp__Output | null);
  'end_time': (_google_protobuf_Timestamp__Output | null);
  'duration_seconds': (number);
  'data_window': (string);
  'seed_group': (string);
}
