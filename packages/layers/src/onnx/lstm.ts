/**
 * ONNX export of {@link LSTM}: one ONNX `LSTM` operator per layer (both directions in one node when
 * bidirectional), its output rearranged to PyTorch's [T, B, D·hidden]. The exported graph runs the
 * layer from zero initial states over whole (unpadded) sequences and returns the output sequence.
 */
import type { LSTM } from '../layers/recurrent.js';
import type { GraphBuilder } from './export.js';

/** Where each of ONNX's gate blocks (i, o, f, c) sits in PyTorch's weights (i, f, g, o). */
const PYTORCH_BLOCK_OF_ONNX_GATE = [0, 3, 1, 2] as const;

/** Reorders the four [hidden, cols] gate blocks of a PyTorch LSTM weight or bias into ONNX's order. */
function toOnnxGateOrder(hidden: number, cols: number): (v: Float32Array) => Float32Array {
  const block = hidden * cols;
  return (v) => {
    const out = new Float32Array(v.length);
    PYTORCH_BLOCK_OF_ONNX_GATE.forEach((src, dst) => out.set(v.subarray(src * block, (src + 1) * block), dst * block));
    return out;
  };
}

/** The graph input's default shape: [T, N, inputSize], or [N, T, inputSize] when batch-first. */
export function lstmInputShape(m: LSTM): (number | string)[] {
  return m.batchFirst ? ['N', 'T', m.inputSize] : ['T', 'N', m.inputSize];
}

/** Emits the nodes of `m` reading `x`; returns the name of the output sequence. */
export function emitLstm(b: GraphBuilder, m: LSTM, x: string, at: string): string {
  const H = m.hiddenSize;
  const directions = m.bidirectional ? [false, true] : [false];
  const perm = (value: number[]): { name: string; kind: 'ints'; value: number[] } => ({ name: 'perm', kind: 'ints', value });
  let h = m.batchFirst ? b.op('Transpose', at, [x], [perm([1, 0, 2])]) : x;
  const mergeShape = b.int64(`${at}.output_shape`, [0, 0, -1]);
  for (let l = 0; l < m.numLayers; l++) {
    const inSize = l === 0 ? m.inputSize : H * m.numDirections;
    // Per direction [1, ...] initializers, concatenated along ONNX's direction axis when there are two.
    const perDirection = (pick: (reverse: boolean, name: (base: string) => string) => string, axis = 0): string => {
      const parts = directions.map((reverse) => pick(reverse, (base) => `${at}.${base}_l${l}${reverse ? '_reverse' : ''}`));
      return parts.length === 1 ? parts[0]! : b.op('Concat', at, parts, [{ name: 'axis', kind: 'int', value: axis }]);
    };
    const W = perDirection((reverse, name) => b.weight(name('weight_ih'), m.cellWeights(l, reverse).weightIh, toOnnxGateOrder(H, inSize), [1, 4 * H, inSize]));
    const R = perDirection((reverse, name) => b.weight(name('weight_hh'), m.cellWeights(l, reverse).weightHh, toOnnxGateOrder(H, H), [1, 4 * H, H]));
    const inputs = [h, W, R];
    if (m.bias) {
      // ONNX's B is [Wb, Rb] per direction: b_ih then b_hh.
      inputs.push(perDirection((reverse, name) => {
        const w = m.cellWeights(l, reverse);
        const bih = b.weight(name('bias_ih'), w.biasIh!, toOnnxGateOrder(H, 1), [1, 4 * H]);
        const bhh = b.weight(name('bias_hh'), w.biasHh!, toOnnxGateOrder(H, 1), [1, 4 * H]);
        return b.op('Concat', at, [bih, bhh], [{ name: 'axis', kind: 'int', value: 1 }]);
      }));
    }
    const y = b.op('LSTM', at, inputs, [
      { name: 'hidden_size', kind: 'int', value: H },
      { name: 'direction', kind: 'string', value: m.bidirectional ? 'bidirectional' : 'forward' },
    ]);
    // Y is [T, D, B, H]; PyTorch's output is [T, B, D·H].
    h = b.op('Reshape', at, [b.op('Transpose', at, [y], [perm([0, 2, 1, 3])]), mergeShape]);
  }
  return m.batchFirst ? b.op('Transpose', at, [h], [perm([1, 0, 2])]) : h;
}
