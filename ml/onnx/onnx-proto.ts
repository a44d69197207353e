// A minimal subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto), with the
// official field numbers, encoded with protobufjs. Only what the exporter writes is declared: a model,
// its graph, nodes with attributes, tensors as raw little-endian data, and typed value infos.
import * as protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; STRINGS = 8; }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  optional AttributeType type = 20;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; optional string doc_string = 3; }
message NodeProto {
  repeated string input = 1; repeated string output = 2; optional string name = 3; optional string op_type = 4;
  repeated AttributeProto attribute = 5; optional string doc_string = 6; optional string domain = 7;
}
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message ModelProto {
  optional int64 ir_version = 1; repeated OperatorSetIdProto opset_import = 8; optional string producer_name = 2;
  optional string producer_version = 3; optional string domain = 4; optional int64 model_version = 5;
  optional string doc_string = 6; optional GraphProto graph = 7; repeated StringStringEntryProto metadata_props = 14;
}
message GraphProto {
  repeated NodeProto node = 1; optional string name = 2; repeated TensorProto initializer = 5; optional string doc_string = 10;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12;
}
message TensorProto {
  enum DataType { UNDEFINED = 0; FLOAT = 1; INT32 = 6; INT64 = 7; }
  repeated int64 dims = 1; optional int32 data_type = 2; repeated int64 int64_data = 7 [packed = true];
  optional string name = 8; optional bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
`;

let root: protobuf.Root | undefined;

/** The ModelProto type of the subset. */
export function modelProto(): protobuf.Type {
  root ??= protobuf.parse(SCHEMA, { keepCase: true }).root;
  return root.lookupType('onnx.ModelProto');
}

/** ONNX element types used here. */
export const FLOAT = 1;
export const INT32 = 6;
export const INT64 = 7;
/** The IR version and opset written (ONNX 1.8+, onnxruntime 1.7+). */
export const IR_VERSION = 8;
export const OPSET = 13;

type Attr = { name: string; i?: number; s?: Buffer; ints?: number[]; type: number };

/** A node attribute: a number is an INT, a string a STRING, an array of numbers INTS. */
export type AttrValue = number | string | number[];

/** Builds one ONNX graph: initializers, nodes, and typed inputs/outputs with a dynamic batch dimension. */
export class GraphBuilder {
  private readonly nodes: object[] = [];
  private readonly inits: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  /** A fresh intermediate name. */
  tmp(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Adds a float32 initializer (copied) and returns its name. */
  floats(name: string, data: Float32Array, dims: number[]): string {
    const copy = Float32Array.from(data);
    this.inits.push({ name, dims, data_type: FLOAT, raw_data: Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength) });
    return name;
  }

  /** Adds an int64 initializer and returns its name. */
  int64s(name: string, data: number[], dims: number[]): string {
    this.inits.push({ name, dims, data_type: INT64, int64_data: data });
    return name;
  }

  /** Adds a node; returns its (first) output name. */
  node(op: string, inputs: string[], output: string, attrs: Record<string, AttrValue> = {}): string {
    this.nodeOutputs(op, inputs, [output], attrs);
    return output;
  }

  /** Adds a node with several outputs (TopK's values and indices). */
  nodeOutputs(op: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): void {
    const attribute: Attr[] = Object.entries(attrs).map(([name, a]) => typeof a === 'number' ? { name, i: a, type: 2 }
      : typeof a === 'string' ? { name, s: Buffer.from(a), type: 3 } : { name, ints: a, type: 7 });
    this.nodes.push({ op_type: op, input: inputs, output: outputs, name: `${op}_${this.counter++}`, attribute });
  }

  private valueInfo(name: string, elem: number, width: number) {
    return { name, type: { tensor_type: { elem_type: elem, shape: { dim: [{ dim_param: 'N' }, { dim_value: width }] } } } };
  }

  /** Declares a graph input [N, width]. */
  input(name: string, elem: number, width: number): string {
    this.inputs.push(this.valueInfo(name, elem, width));
    return name;
  }

  /** Declares a graph output [N, width]. */
  output(name: string, elem: number, width: number): void {
    this.outputs.push(this.valueInfo(name, elem, width));
  }

  private shaped(name: string, elem: number, dims: (number | string)[]) {
    const dim = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
    return { name, type: { tensor_type: { elem_type: elem, shape: { dim } } } };
  }

  /** Declares a graph input of any shape (a string is a named dynamic dimension; [] is a scalar). */
  inputOf(name: string, elem: number, dims: (number | string)[]): string {
    this.inputs.push(this.shaped(name, elem, dims));
    return name;
  }

  /** Declares a graph output of any shape. */
  outputOf(name: string, elem: number, dims: (number | string)[]): void {
    this.outputs.push(this.shaped(name, elem, dims));
  }

  /** Encodes the model (opset 13 unless a graph needs a later operator version, e.g. ScatterND's reduction). */
  encode(doc: string, meta: Record<string, string> = {}, opset = OPSET): Buffer {
    const T = modelProto();
    const msg = T.fromObject({
      ir_version: IR_VERSION, opset_import: [{ domain: '', version: opset }], producer_name: 'modelops', producer_version: '1',
      doc_string: doc, metadata_props: Object.entries(meta).map(([key, value]) => ({ key, value })),
      graph: { name: this.name, node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs },
    });
    return Buffer.from(T.encode(msg).finish());
  }
}
