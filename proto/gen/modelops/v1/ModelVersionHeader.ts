// Original file: proto/modelops/v1/registry_service.proto


export interface ModelVersionHeader {
  'model'?: (string);
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
  'tags'?: ({[key: string]: string});
}

export interface ModelVersionHeader__Output {
  'model': (string);
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
  'tags': ({[key: string]: string});
}
