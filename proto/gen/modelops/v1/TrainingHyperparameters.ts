// Original file: proto/modelops/v1/training_service.proto


export interface TrainingHyperparameters {
  'epochs'?: (number);
  'batch_size'?: (number);
  'learning_rate'?: (number | string);
  'hidden'?: (number)[];
  'vector_dim'?: (number);
  'cat_dim'?: (number);
  'grl_lambda'?: (number | string);
  'workers'?: (number);
  'patience'?: (number);
  'negatives'?: (number);
  '_patience'?: "patience";
  '_negatives'?: "negatives";
}

export interface TrainingHyperparameters__Output {
  'epochs': (number);
  'batch_size': (number);
  'learning_rate': (number);
  'hidden': (number)[];
  'vector_dim': (number);
  'cat_dim': (number);
  'grl_lambda': (number);
  'workers': (number);
  'patience'?: (number);
  'negatives'?: (number);
  '_patience'?: "patience";
  '_negatives'?: "negatives";
}
