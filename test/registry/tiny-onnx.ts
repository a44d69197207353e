// A tiny ONNX model written by hand with protobufjs (no onnx package here): y = Identity(x) for each declared
// input, enough for onnxruntime to load it and report its input signature. Field numbers are onnx.proto's.
import { Writer } from 'protobufjs';

const ELEM: Record<string, number> = { float32: 1, int32: 6, int64: 7, float64: 11 };

function valueInfo(w: Writer, field: number, name: string, dtype: string, shape: (number | string)[]): void {
  w.uint32((field << 3) | 2).fork();
  w.uint32((1 << 3) | 2).string(name);
  w.uint32((2 << 3) | 2).fork(); // TypeProto
  w.uint32((1 << 3) | 2).fork(); // tensor_type
  w.uint32((1 << 3) | 0).int32(ELEM[dtype]);
  w.uint32((2 << 3) | 2).fork(); // shape
  for (const d of shape) {
    w.uint32((1 << 3) | 2).fork();
    if (typeof d === 'number' && d > 0) w.uint32((1 << 3) | 0).int64(d);
    else w.uint32((2 << 3) | 2).string(typeof d === 'string' ? d : 'N');
    w.ldelim();
  }
  w.ldelim().ldelim().ldelim().ldelim();
}

/** An ONNX file whose graph passes every input through an Identity to an output `<input>_out`. */
export function tinyOnnx(inputs: { name: string; dtype: string; shape: (number | string)[] }[]): Buffer {
  const w = Writer.create();
  w.uint32((1 << 3) | 0).int64(8); // ir_version
  w.uint32((2 << 3) | 2).string('modelops-test');
  w.uint32((7 << 3) | 2).fork(); // graph
  for (const i of inputs) {
    w.uint32((1 << 3) | 2).fork(); // node
    w.uint32((1 << 3) | 2).string(i.name);
    w.uint32((2 << 3) | 2).string(`${i.name}_out`);
    w.uint32((3 << 3) | 2).string(`id_${i.name}`);
    w.uint32((4 << 3) | 2).string('Identity');
    w.ldelim();
  }
  w.uint32((2 << 3) | 2).string('tiny');
  for (const i of inputs) valueInfo(w, 11, i.name, i.dtype, i.shape);
  for (const i of inputs) valueInfo(w, 12, `${i.name}_out`, i.dtype, i.shape);
  w.ldelim();
  w.uint32((8 << 3) | 2).fork(); // opset_import
  w.uint32((1 << 3) | 2).string('');
  w.uint32((2 << 3) | 0).int64(13);
  w.ldelim();
  return Buffer.from(w.finish());
}
