// Original file: proto/modelops/v1/training_service.proto


export interface TrainingProgress {
  'epoch'?: (number);
  'epochs'?: (number);
  'step'?: (number);
  'steps_per_epoch'?: (number);
  'loss'?: (number | string);
  'validation_metric_name'?: (string);
  'validation_metric'?: (number | string);
  'examples_per_second'?: (number | string);
  'eta_seconds'?: (number | string);
  'fraction'?: (number | string);
  'phase'?: (string);
  'validation_note'?: (string);
}

export interface TrainingProgress__Output {
  'epoch': (number);
  'epochs': (number);
  'step': (number);
  'steps_per_epoch': (number);
  'loss': (number);
  'validation_metric_name': (string);
  'validation_metric': (number);
  'examples_per_second': (number);
  'eta_seconds': (number);
  'fraction': (number);
  'phase': (string);
  'validation_note': (string);
}
