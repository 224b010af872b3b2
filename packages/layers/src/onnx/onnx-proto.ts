/**
 * Encoders for the ONNX messages an exported model needs (field numbers from onnx.proto, proto2:
 * repeated numbers are written unpacked, one key per element, which every parser accepts).
 */
import { ProtoWriter } from './protobuf.js';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;

/** AttributeProto.AttributeType values used here. */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7, STRINGS: 8 } as const;

/** A node attribute: a number is INT when integral and `kind` is not 'float'. */
export type OnnxAttribute =
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'string'; value: string }
  | { name: string; kind: 'ints'; value: readonly number[] }
  | { name: string; kind: 'strings'; value: readonly string[] };

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly OnnxAttribute[];
}

export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  /** float32 values, or int64 values for DataType.INT64. */
  data: Float32Array | BigInt64Array;
}

/** A graph input or output: a tensor with a shape whose entries are sizes or symbolic names (null: unknown rank). */
export interface OnnxValueInfo {
  name: string;
  shape: readonly (number | string)[] | null;
  /** Element type (default float32; int64 or int32 for token ids). */
  elemType?: 'float32' | 'int64' | 'int32';
}

const ELEM_TYPES = { float32: DataType.FLOAT, int64: DataType.INT64, int32: DataType.INT32 } as const;

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxInitializer[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: OnnxGraph;
}

function attribute(a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name); // name
  switch (a.kind) {
    case 'float':
      return w.float(2, a.value).int(20, AttrType.FLOAT); // f, type
    case 'int':
      return w.int(3, a.value).int(20, AttrType.INT); // i, type
    case 'string':
      return w.string(4, a.value).int(20, AttrType.STRING); // s, type
    case 'ints':
      for (const v of a.value) w.int(8, v); // ints
      return w.int(20, AttrType.INTS);
    case 'strings':
      for (const v of a.value) w.string(9, v); // strings
      return w.int(20, AttrType.STRINGS);
  }
}

function node(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i); // input
  for (const o of n.outputs) w.string(2, o); // output
  w.string(3, n.name).string(4, n.opType); // name, op_type
  for (const a of n.attributes ?? []) w.message(5, attribute(a)); // attribute
  return w;
}

function tensor(t: OnnxInitializer): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d); // dims
  w.int(2, t.data instanceof Float32Array ? DataType.FLOAT : DataType.INT64); // data_type
  w.string(8, t.name); // name
  // raw_data: little-endian bytes of the values.
  const raw = new Uint8Array(t.data.byteLength);
  const view = new DataView(raw.buffer);
  if (t.data instanceof Float32Array) t.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else t.data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return w.bytes(9, raw);
}

function valueInfo(v: OnnxValueInfo): ProtoWriter {
  const tensorType = new ProtoWriter().int(1, ELEM_TYPES[v.elemType ?? 'float32']); // elem_type
  if (v.shape) {
    const shape = new ProtoWriter();
    for (const d of v.shape) {
      // TensorShapeProto.Dimension: dim_value (1) or dim_param (2)
      shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
    }
    tensorType.message(2, shape); // shape
  }
  const type = new ProtoWriter().message(1, tensorType); // TypeProto.tensor_type
  return new ProtoWriter().string(1, v.name).message(2, type); // name, type
}

function graph(g: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, node(n)); // node
  w.string(2, g.name); // name
  for (const t of g.initializers) w.message(5, tensor(t)); // initializer
  for (const i of g.inputs) w.message(11, valueInfo(i)); // input
  for (const o of g.outputs) w.message(12, valueInfo(o)); // output
  return w;
}

/** Serialises a ModelProto. */
export function encodeModel(m: OnnxModel): Uint8Array {
  const w = new ProtoWriter()
    .int(1, m.irVersion) // ir_version
    .string(2, m.producerName) // producer_name
    .string(3, m.producerVersion); // producer_version
  if (m.docString) w.string(6, m.docString); // doc_string
  w.message(7, graph(m.graph)); // graph
  w.message(8, new ProtoWriter().string(1, '').int(2, m.opsetVersion)); // opset_import { domain '', version }
  return w.finish();
}
