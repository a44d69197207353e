// Original file: proto/modelops/v1/registry_service.proto


export interface DownloadModelVersionRequest {
  'model'?: (string);
  'version'?: (string);
  'files'?: (string)[];
}

export interface DownloadModelVersionRequest__Output {
  'model': (string);
  'version': (string);
  'files': (string)[];
}
