// Original file: proto/modelops/v1/registry_service.proto

import type { ExternalModelHeader as _modelops_v1_ExternalModelHeader, ExternalModelHeader__Output as _modelops_v1_ExternalModelHeader__Output } from '../../modelops/v1/ExternalModelHeader';

export interface RegisterExternalModelRequest {
  'header'?: (_modelops_v1_ExternalModelHeader | null);
  'onnx_chunk'?: (Buffer | Uint8Array | string);
  'part'?: "header"|"onnx_chunk";
}

export interface RegisterExternalModelRequest__Output {
  'header'?: (_modelops_v1_ExternalModelHeader__Output | null);
  'onnx_chunk'?: (Buffer);
  'part'?: "header"|"onnx_chunk";
}
