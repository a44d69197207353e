// Original file: proto/modelops/v1/registry_service.proto


export interface GateSanityBaselines {
  'names'?: (string)[];
}

export interface GateSanityBaselines__Output {
  'names': (string)[];
}
