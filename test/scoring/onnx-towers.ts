// Small ONNX towers for scoring tests and the scoring benchmark, written with protobufjs from a hand-kept
// subset of onnx.proto (field numbers as in onnx/onnx.proto3), so that scoring can be tested before (and
// independently of) the training exporter. The graphs have the exporter's signatures (ml/onnx/export.ts):
//   user_tower: user_cat int32 [N,C], user_dense float32 [N,D] -> user_vec float32 [N,d]
//   item_tower: item_cat int32 [N,C], item_dense float32 [N,D] -> item_vec float32 [N,d]
//   head (two-tower-mod): item_age float32 [N,1] -> age_logit float32 [N,1]
//   head (modified-two-tower): user_vec [N,d], item_vec [N,d], user_cat int32 [N,3] -> logit [N,1]
import * as protobuf from 'protobufjs';
import type { FeatureLayout } from '../../ml/features/layout';
import { mulberry32 } from '../../core/rng';
import { archModel } from '../../ml/model/arch';

const ONNX_SUBSET = `
syntax = "proto3";
package onnx;
message AttributeProto { string name = 1; float f = 2; int64 i = 3; bytes s = 4; TensorProto t = 5; repeated int64 ints = 8; int32 type = 20; }
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message NodeProto { repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4; repeated AttributeProto attribute = 5; string domain = 7; }
message ModelProto { int64 ir_version = 1; string producer_name = 2; GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; }
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message GraphProto { repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5; repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
message TensorProto { repeated int64 dims = 1; int32 data_type = 2; repeated float float_data = 4; repeated int32 int32_data = 5; repeated int64 int64_data = 7; string name = 8; bytes raw_data = 9; }
message TensorShapeProto { message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } } repeated Dimension dim = 1; }
message TypeProto { message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; } oneof value { Tensor tensor_type = 1; } }
`;

const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const ATTR_INT = 2;

let modelType: protobuf.Type | undefined;
function ModelProto(): protobuf.Type {
  modelType ??= protobuf.parse(ONNX_SUBSET, { keepCase: true }).root.lookupType('onnx.ModelProto');
  return modelType;
}

/** A deterministic uniform generator (core/rng.ts mulberry32), so fixtures are the same in every run. */
export const rng = mulberry32;

class GraphBuilder {
  nodes: object[] = [];
  inits: object[] = [];
  inputs: object[] = [];
  outputs: object[] = [];
  private n = 0;

  constructor(private readonly rand: () => number) {}

  input(name: string, elem: number, width: number): string {
    this.inputs.push(valueInfo(name, elem, width));
    return name;
  }

  output(name: string, width: number): void {
    this.outputs.push(valueInfo(name, FLOAT, width));
  }

  weight(rows: number, cols: number, scale: number): string {
    const name = `w${this.n++}`;
    const data = Array.from({ length: rows * (cols || 1) }, () => (this.rand() * 2 - 1) * scale);
    this.inits.push({ name, dims: cols ? [rows, cols] : [rows], data_type: FLOAT, float_data: data });
    return name;
  }

  scalarIndex(i: number): string {
    const name = `idx${this.n++}`;
    this.inits.push({ name, dims: [], data_type: INT64, int64_data: [i] });
    return name;
  }

  op(op_type: string, input: string[], attrs: Record<string, number> = {}, out?: string): string {
    const output = out ?? `t${this.n++}`;
    const attribute = Object.entries(attrs).map(([name, i]) => ({ name, i, type: ATTR_INT }));
    this.nodes.push({ op_type, input, output: [output], name: `n${this.n++}`, attribute });
    return output;
  }

  encode(name: string): Buffer {
    const T = ModelProto();
    const msg = T.fromObject({
      ir_version: 8, producer_name: 'modelops-test', opset_import: [{ domain: '', version: 17 }],
      graph: { name, node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs },
    });
    return Buffer.from(T.encode(msg).finish());
  }
}

function valueInfo(name: string, elem: number, width: number): object {
  return { name, type: { tensor_type: { elem_type: elem, shape: { dim: [{ dim_param: 'N' }, { dim_value: width }] } } } };
}

/** One tower: embeds each categorical column, concatenates with the dense input, then tanh(xW + b). */
function tower(rand: () => number, prefix: 'user' | 'item', cats: { size: number }[], denseDim: number, dim: number): Buffer {
  const g = new GraphBuilder(rand);
  const cat = g.input(`${prefix}_cat`, INT32, cats.length);
  const dense = g.input(`${prefix}_dense`, FLOAT, denseDim);
  const parts = [dense];
  const embDim = 4;
  cats.forEach((c, i) => {
    const col = g.op('Gather', [cat, g.scalarIndex(i)], { axis: 1 });
    parts.push(g.op('Gather', [g.weight(c.size, embDim, 0.5), col], { axis: 0 }));
  });
  const x = g.op('Concat', parts, { axis: 1 });
  const width = denseDim + cats.length * embDim;
  const h = g.op('Add', [g.op('MatMul', [x, g.weight(width, dim, 1 / Math.sqrt(width))]), g.weight(dim, 0, 0.1)]);
  g.op('Tanh', [h], {}, `${prefix}_vec`);
  g.output(`${prefix}_vec`, dim);
  return g.encode(`${prefix}_tower`);
}

/** The ONNX files of a test version for `arch`, with random weights from `seed`. */
export function buildTowers(layout: FeatureLayout, opts: { dim: number; seed: number; arch?: string }): Record<string, Buffer> {
  const rand = rng(opts.seed);
  const files: Record<string, Buffer> = {
    'user_tower.onnx': tower(rand, 'user', layout.userCat, layout.userDenseDim, opts.dim),
    'item_tower.onnx': tower(rand, 'item', layout.itemCat, layout.itemDenseDim, opts.dim),
  };
  const head = archModel(opts.arch ?? 'two-tower-base').head;
  if (head === 'age') {
    const g = new GraphBuilder(rand);
    const age = g.input('item_age', FLOAT, 1);
    g.op('Add', [g.op('MatMul', [age, g.weight(1, 1, 2)]), g.weight(1, 0, 0.5)], {}, 'age_logit');
    g.output('age_logit', 1);
    files['head.onnx'] = g.encode('head');
  } else if (head === 'late') {
    const g = new GraphBuilder(rand);
    const u = g.input('user_vec', FLOAT, opts.dim);
    const v = g.input('item_vec', FLOAT, opts.dim);
    const uc = g.input('user_cat', INT32, 3);
    const ctx = g.op('Div', [g.op('Cast', [uc], { to: FLOAT }), g.weight(1, 0, 0) /* replaced below */]);
    // The divisor must be non-zero: overwrite the last initializer with a constant 64.
    (g.inits[g.inits.length - 1] as { float_data: number[] }).float_data = [64];
    const x = g.op('Concat', [u, v, g.op('Mul', [u, v]), ctx], { axis: 1 });
    const width = 3 * opts.dim + 3;
    const h = g.op('Relu', [g.op('MatMul', [x, g.weight(width, 16, 1 / Math.sqrt(width))])]);
    g.op('Add', [g.op('MatMul', [h, g.weight(16, 1, 0.25)]), g.weight(1, 0, 0.1)], {}, 'logit');
    g.output('logit', 1);
    files['head.onnx'] = g.encode('head');
  }
  return files;
}
