// A tiny protobuf writer for the ONNX ModelProto fields a one-node graph needs (opset 13), so the
// onnxruntime-web peer needs no model files.

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}
const tag = (field, wire) => varint((field << 3) | wire);
const int = (field, n) => [...tag(field, 0), ...varint(n)];
const bytes = (field, b) => [...tag(field, 2), ...varint(b.length), ...b];
const str = (field, s) => bytes(field, [...new TextEncoder().encode(s)]);

/** ValueInfoProto of a float tensor. */
function valueInfo(name, shape) {
  const dims = shape.flatMap((d) => bytes(1, int(1, d))); // TensorShapeProto.dim { dim_value }
  const tensorType = [...int(1, 1), ...bytes(2, dims)]; // elem_type FLOAT, shape
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))]; // name, type { tensor_type }
}

/** AttributeProto with an INTS value. */
export const intsAttr = (name, values) => [...str(1, name), ...values.flatMap((v) => int(8, v)), ...int(20, 7)];

/**
 * A ModelProto with one node of `op`.
 * @param {string} op
 * @param {[string, number[]][]} inputs name and shape of each input
 * @param {[string, number[]]} output name and shape
 * @param {number[][]} [attrs] encoded attributes (see intsAttr)
 */
export function oneNodeModel(op, inputs, output, attrs = []) {
  const node = [...inputs.flatMap(([n]) => str(1, n)), ...str(2, output[0]), ...str(4, op), ...attrs.flatMap((a) => bytes(5, a))];
  const graph = [...bytes(1, node), ...str(2, 'g'), ...inputs.flatMap(([n, s]) => bytes(11, valueInfo(n, s))), ...bytes(12, valueInfo(output[0], output[1]))];
  return new Uint8Array([...int(1, 8), ...bytes(8, [...str(1, ''), ...int(2, 13)]), ...bytes(7, graph)]);
}
