// Original file: proto/modelops/v1/experiment_service.proto


export interface ExperimentRow {
  'name'?: (string);
  'state'?: (string);
  'detail'?: (string);
  'dataset_ids'?: (string)[];
  'versions'?: (string)[];
  'evaluation_ids'?: (string)[];
  'training_seconds'?: (number | string)[];
}

export interface ExperimentRow__Output {
  'name': (string);
  'state': (string);
  'detail': (string);
  'dataset_ids': (string)[];
  'versions': (string)[];
  'evaluation_ids': (string)[];
  'training_seconds': (number)[];
}
