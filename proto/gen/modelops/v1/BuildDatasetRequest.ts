// Original file: proto/modelops/v1/feature_service.proto


export interface BuildDatasetRequest {
  'window'?: (string);
  'train_frac'?: (number | string);
  'label'?: (string);
  'task'?: (string);
  'buckets'?: (string);
  'source'?: (string);
  'timezone'?: (string);
  'min_user_views'?: (number);
  'max_user_views'?: (number);
  'min_item_views'?: (number);
  'val_frac'?: (number | string);
  'exploration_of'?: (string);
  '_val_frac'?: "val_frac";
}

export interface BuildDatasetRequest__Output {
  'window': (string);
  'train_frac': (number);
  'label': (string);
  'task': (string);
  'buckets': (string);
  'source': (string);
  'timezone': (string);
  'min_user_views': (number);
  'max_user_views': (number);
  'min_item_views': (number);
  'val_frac'?: (number);
  'exploration_of': (string);
  '_val_frac'?: "val_frac";
}
