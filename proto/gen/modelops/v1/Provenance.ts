// Original file: proto/modelops/v1/provenance.proto


export interface Provenance {
  'code_version'?: (string);
  'git_commit'?: (string);
  'git_dirty'?: (boolean);
  'dataset_ids'?: (string)[];
  'seeds'?: (number)[];
  'spec_json'?: (string);
}

export interface Provenance__Output {
  'code_version': (string);
  'git_commit': (string);
  'git_dirty': (boolean);
  'dataset_ids': (string)[];
  'seeds': (number)[];
  'spec_json': (string);
}
