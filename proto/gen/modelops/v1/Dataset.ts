// Original file: proto/modelops/v1/feature_service.proto

import type { DatasetState as _modelops_v1_DatasetState, DatasetState__Output as _modelops_v1_DatasetState__Output } from '../../modelops/v1/DatasetState';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface Dataset {
  'name'?: (string);
  'id'?: (string);
  'state'?: (_modelops_v1_DatasetState);
  'source'?: (string);
  'window'?: (string);
  'train_frac'?: (number | string);
  'label'?: (string);
  'task'?: (string);
  'buckets'?: (string);
  'timezone'?: (string);
  'counts'?: ({[key: string]: number | string | Long});
  'summary_json'?: (string);
  'meta_key'?: (string);
  'meta_sha256'?: (string);
  'shard_count'?: (number);
  'progress'?: (number | string);
  'phase'?: (string);
  'error'?: (string);
  'created_by'?: (string);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'update_time'?: (_google_protobuf_Timestamp | null);
  'val_frac'?: (number | string);
  '_val_frac'?: "val_frac";
}

export interface Dataset__Output {
  'name': (string);
  'id': (string);
  'state': (_modelops_v1_DatasetState__Output);
  'source': (string);
  'window': (string);
  'train_frac': (number);
  'label': (string);
  'task': (string);
  'buckets': (string);
  'timezone': (string);
  'counts': ({[key: string]: string});
  'summary_json': (string);
  'meta_key': (string);
  'meta_sha256': (string);
  'shard_count': (number);
  'progress': (number);
  'phase': (string);
  'error': (string);
  'created_by': (string);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'update_time': (_google_protobuf_Timestamp__Output | null);
  'val_frac'?: (number);
  '_val_frac'?: "val_frac";
}
