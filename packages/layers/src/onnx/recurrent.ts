/**
 * ONNX export of the recurrent layers: one ONNX `LSTM`, `GRU` or `RNN` operator per layer (both
 * directions in one node when bidirectional), its output rearranged to PyTorch's [T, B, D·hidden].
 * The exported graph runs the layer from zero initial states over whole (unpadded) sequences and
 * returns the output sequence.
 */
import { GRU, LSTM, type RNN } from '../layers/recurrent.js';
import type { Tensor } from '@scratchnet/core';
import type { OnnxAttribute } from './onnx-proto.js';

/** What the exporter's graph builder offers this file. */
export interface RecurrentGraphBuilder {
  /** Adds a node with one output and returns the output's name. */
  op(opType: string, path: string, inputs: readonly string[], attributes?: readonly OnnxAttribute[]): string;
  /** Adds a float32 initializer read from `source` (rearranged by `transform`) with the given dims. */
  weight(path: string, source: Tensor, transform?: (values: Float32Array) => Float32Array, dims?: readonly number[]): string;
  /** Adds an int64 initializer of the given values. */
  int64(path: string, values: readonly number[]): string;
}

/** The module classes this file exports. */
export const RECURRENT_ONNX_MODULES: readonly string[] = ['LSTM', 'GRU', 'RNN'];

/** A recurrent layer the exporter maps to an ONNX operator. */
export type ExportableRecurrent = LSTM | GRU | RNN;

/**
 * For each of ONNX's gate blocks, the PyTorch block it comes from: LSTM's i, o, f, c from PyTorch's
 * i, f, g, o; GRU's z, r, h from PyTorch's r, z, n; the RNN's single block.
 */
function onnxBlockOrder(m: ExportableRecurrent): readonly number[] {
  if (m instanceof LSTM) return [0, 3, 1, 2];
  if (m instanceof GRU) return [1, 0, 2];
  return [0];
}

/** Reorders the [hidden, cols] gate blocks of a PyTorch weight or bias into ONNX's order. */
function toOnnxGateOrder(order: readonly number[], hidden: number, cols: number): (v: Float32Array) => Float32Array {
  const block = hidden * cols;
  return (v) => {
    const out = new Float32Array(v.length);
    order.forEach((src, dst) => out.set(v.subarray(src * block, (src + 1) * block), dst * block));
    return out;
  };
}

/** The graph input's default shape: [T, N, inputSize], or [N, T, inputSize] when batch-first. */
export function recurrentInputShape(m: ExportableRecurrent): (number | string)[] {
  return m.batchFirst ? ['N', 'T', m.inputSize] : ['T', 'N', m.inputSize];
}

/** The operator and its attributes beyond hidden_size and direction. */
function operator(m: ExportableRecurrent): { opType: string; attributes: OnnxAttribute[] } {
  if (m instanceof LSTM) return { opType: 'LSTM', attributes: [] };
  // PyTorch's GRU multiplies r into (W_hn·h + b_hn): ONNX's linear_before_reset = 1.
  if (m instanceof GRU) return { opType: 'GRU', attributes: [{ name: 'linear_before_reset', kind: 'int', value: 1 }] };
  const act = m.nonlinearity === 'relu' ? 'Relu' : 'Tanh';
  return { opType: 'RNN', attributes: [{ name: 'activations', kind: 'strings', value: m.bidirectional ? [act, act] : [act] }] };
}

/** Emits the nodes of `m` reading `x`; returns the name of the output sequence. */
export function emitRecurrent(b: RecurrentGraphBuilder, m: ExportableRecurrent, x: string, at: string): string {
  const H = m.hiddenSize;
  const order = onnxBlockOrder(m);
  const rows = order.length * H;
  const { opType, attributes } = operator(m);
  const directions = m.bidirectional ? [false, true] : [false];
  const perm = (value: number[]): OnnxAttribute => ({ name: 'perm', kind: 'ints', value });
  let h = m.batchFirst ? b.op('Transpose', at, [x], [perm([1, 0, 2])]) : x;
  const mergeShape = b.int64(`${at}.output_shape`, [0, 0, -1]);
  for (let l = 0; l < m.numLayers; l++) {
    const inSize = l === 0 ? m.inputSize : H * m.numDirections;
    // Per direction [1, ...] initializers, concatenated along ONNX's direction axis when there are two.
    const perDirection = (pick: (reverse: boolean, name: (base: string) => string) => string): string => {
      const parts = directions.map((reverse) => pick(reverse, (base) => `${at}.${base}_l${l}${reverse ? '_reverse' : ''}`));
      return parts.length === 1 ? parts[0]! : b.op('Concat', at, parts, [{ name: 'axis', kind: 'int', value: 0 }]);
    };
    const W = perDirection((reverse, name) => b.weight(name('weight_ih'), m.cellWeights(l, reverse).weightIh, toOnnxGateOrder(order, H, inSize), [1, rows, inSize]));
    const R = perDirection((reverse, name) => b.weight(name('weight_hh'), m.cellWeights(l, reverse).weightHh, toOnnxGateOrder(order, H, H), [1, rows, H]));
    const inputs = [h, W, R];
    if (m.bias) {
      // ONNX's B is [Wb, Rb] per direction: b_ih then b_hh.
      inputs.push(perDirection((reverse, name) => {
        const w = m.cellWeights(l, reverse);
        const bih = b.weight(name('bias_ih'), w.biasIh!, toOnnxGateOrder(order, H, 1), [1, rows]);
        const bhh = b.weight(name('bias_hh'), w.biasHh!, toOnnxGateOrder(order, H, 1), [1, rows]);
        return b.op('Concat', at, [bih, bhh], [{ name: 'axis', kind: 'int', value: 1 }]);
      }));
    }
    const y = b.op(opType, at, inputs, [
      { name: 'hidden_size', kind: 'int', value: H },
      { name: 'direction', kind: 'string', value: m.bidirectional ? 'bidirectional' : 'forward' },
      ...attributes,
    ]);
    // Y is [T, D, B, H]; PyTorch's output is [T, B, D·H].
    h = b.op('Reshape', at, [b.op('Transpose', at, [y], [perm([0, 2, 1, 3])]), mergeShape]);
  }
  return m.batchFirst ? b.op('Transpose', at, [h], [perm([1, 0, 2])]) : h;
}
