/**
 * ONNX export of the transformer layers (inference mode: dropout is the identity), for the walker
 * in export.ts. Attention is written per head with MatMul / Softmax / Concat on host-sliced
 * projection weights, so the graph needs no Reshape and no integer shape tensors. LayerNorm is
 * LayerNormalization from opset 17, and ReduceMean arithmetic before that. Masks and `isCausal`
 * are forward-time options, so an exported encoder attends without masks; a model whose forward
 * makes its blocks causal (GPT) passes a bool [T, T] "key after query" tensor to
 * {@link emitEncoderLayer}, and the masked scores become −∞ before the softmax, as in ScratchNet.
 */
import { ArgumentError, type Tensor } from '@scratchnet/core';
import type { AnyModule } from '../module.js';
import { Identity } from '../layers/identity.js';
import type { Linear } from '../layers/linear.js';
import type { MultiheadAttention } from '../layers/multihead-attention.js';
import { LayerNorm } from '../layers/normalization.js';
import { TransformerEncoder, TransformerEncoderLayer } from '../layers/transformer.js';
import type { OnnxAttribute } from './onnx-proto.js';

/** What the exporter's graph builder offers this file. */
export interface SequenceGraphBuilder {
  /** The default-domain opset being written. */
  readonly opsetVersion: number;
  /** Adds a node with one output and returns the output's name. */
  op(opType: string, path: string, inputs: readonly string[], attributes?: readonly OnnxAttribute[]): string;
  /** Adds a float32 initializer read from `source` (rearranged by `transform`) with the given dims. */
  weight(path: string, source: Tensor, transform?: (values: Float32Array) => Float32Array, dims?: readonly number[]): string;
  /** A shared float32 scalar constant. */
  scalar(value: number): string;
}

/** The module classes this file exports. */
export const SEQUENCE_ONNX_MODULES: readonly string[] = ['LayerNorm', 'Identity', 'TransformerEncoderLayer', 'TransformerEncoder'];

const SWAP01: OnnxAttribute = { name: 'perm', kind: 'ints', value: [1, 0, 2] };

/** Rows [from, from + count) of a row-major [rows, cols] matrix, transposed to [cols, count] for x·W. */
function rowsTransposed(cols: number, from: number, count: number): (v: Float32Array) => Float32Array {
  return (v) => {
    const out = new Float32Array(cols * count);
    for (let r = 0; r < count; r++) for (let c = 0; c < cols; c++) out[c * count + r] = v[(from + r) * cols + c]!;
    return out;
  };
}

function linear(b: SequenceGraphBuilder, m: Linear, x: string, at: string): string {
  const w = b.weight(`${at}.weight`, m.weight, rowsTransposed(m.inFeatures, 0, m.outFeatures), [m.inFeatures, m.outFeatures]);
  const y = b.op('MatMul', at, [x, w]);
  return m.bias ? b.op('Add', at, [y, b.weight(`${at}.bias`, m.bias)]) : y;
}

function layerNorm(b: SequenceGraphBuilder, m: LayerNorm, x: string, at: string): string {
  const axis = -m.normalizedShape.length;
  let y: string;
  if (b.opsetVersion >= 17 && m.weight) {
    const inputs = [x, b.weight(`${at}.weight`, m.weight)];
    if (m.bias) inputs.push(b.weight(`${at}.bias`, m.bias));
    return b.op('LayerNormalization', at, inputs, [{ name: 'axis', kind: 'int', value: axis }, { name: 'epsilon', kind: 'float', value: m.eps }]);
  }
  if (b.opsetVersion >= 18) {
    throw new ArgumentError(`exportOnnx: LayerNorm at '${at}' without elementwiseAffine is written with ReduceMean's axes attribute, which opsets 13–17 have; use one of those`);
  }
  const axes: OnnxAttribute = { name: 'axes', kind: 'ints', value: m.normalizedShape.map((_, i) => axis + i) };
  const centered = b.op('Sub', at, [x, b.op('ReduceMean', at, [x], [axes])]);
  const variance = b.op('ReduceMean', at, [b.op('Mul', at, [centered, centered])], [axes]);
  y = b.op('Div', at, [centered, b.op('Sqrt', at, [b.op('Add', at, [variance, b.scalar(m.eps)])])]);
  if (m.weight) y = b.op('Mul', at, [y, b.weight(`${at}.weight`, m.weight)]);
  if (m.bias) y = b.op('Add', at, [y, b.weight(`${at}.bias`, m.bias)]);
  return y;
}

/**
 * Self-attention on batch-first x [N, L, E], one head at a time; `masked` (optional) names a bool
 * [L, L] tensor, true where a query must not see a key.
 */
function selfAttention(b: SequenceGraphBuilder, m: MultiheadAttention, x: string, at: string, masked?: string): string {
  const e = m.embedDim;
  const d = m.headDim;
  const project = (which: number, h: number): string => {
    const name = ['q', 'k', 'v'][which]!;
    const packed = m.in_proj_weight;
    const source = packed ?? [m.q_proj_weight, m.k_proj_weight, m.v_proj_weight][which]!;
    const from = (packed ? which * e : 0) + h * d;
    const w = b.weight(`${at}.${name}_proj_weight.head${h}`, source, rowsTransposed(e, from, d), [e, d]);
    const y = b.op('MatMul', at, [x, w]);
    if (!m.in_proj_bias) return y;
    const start = which * e + h * d;
    const bias = b.weight(`${at}.${name}_proj_bias.head${h}`, m.in_proj_bias, (v) => v.slice(start, start + d), [d]);
    return b.op('Add', at, [y, bias]);
  };
  const heads: string[] = [];
  for (let h = 0; h < m.numHeads; h++) {
    const kT = b.op('Transpose', at, [project(1, h)], [{ name: 'perm', kind: 'ints', value: [0, 2, 1] }]);
    let scores = b.op('Mul', at, [b.op('MatMul', at, [project(0, h), kT]), b.scalar(1 / Math.sqrt(d))]);
    if (masked !== undefined) scores = b.op('Where', at, [masked, b.scalar(-Infinity), scores]);
    const weights = b.op('Softmax', at, [scores], [{ name: 'axis', kind: 'int', value: -1 }]);
    heads.push(b.op('MatMul', at, [weights, project(2, h)]));
  }
  const merged = heads.length === 1 ? heads[0]! : b.op('Concat', at, heads, [{ name: 'axis', kind: 'int', value: -1 }]);
  return linear(b, m.out_proj, merged, `${at}.out_proj`);
}

/**
 * Emits a TransformerEncoderLayer reading `x`; `masked` (optional) names a bool [L, L] tensor, true
 * where a query must not attend to a key (the causal mask of a model that runs its blocks with
 * `isCausal`). Returns the output's name.
 */
export function emitEncoderLayer(b: SequenceGraphBuilder, m: TransformerEncoderLayer, x: string, at: string, masked?: string): string {
  const o = m.options;
  const batchFirst = o.batchFirst ?? false;
  const sa = (t: string): string => selfAttention(b, m.self_attn, t, `${at}.self_attn`, masked);
  const ff = (t: string): string => {
    const h = linear(b, m.linear1, t, `${at}.linear1`);
    let act: string;
    if ((o.activation ?? 'relu') === 'gelu') {
      const erf = b.op('Erf', at, [b.op('Div', at, [h, b.scalar(Math.SQRT2)])]);
      act = b.op('Mul', at, [b.op('Mul', at, [h, b.op('Add', at, [erf, b.scalar(1)])]), b.scalar(0.5)]);
    } else {
      act = b.op('Relu', at, [h]);
    }
    return linear(b, m.linear2, act, `${at}.linear2`);
  };
  const n1 = (t: string): string => layerNorm(b, m.norm1, t, `${at}.norm1`);
  const n2 = (t: string): string => layerNorm(b, m.norm2, t, `${at}.norm2`);
  let h = batchFirst ? x : b.op('Transpose', at, [x], [SWAP01]);
  if (o.normFirst) {
    h = b.op('Add', at, [h, sa(n1(h))]);
    h = b.op('Add', at, [h, ff(n2(h))]);
  } else {
    h = n1(b.op('Add', at, [h, sa(h)]));
    h = n2(b.op('Add', at, [h, ff(h)]));
  }
  return batchFirst ? h : b.op('Transpose', at, [h], [SWAP01]);
}

/**
 * Emits `m` if it is one of {@link SEQUENCE_ONNX_MODULES}; returns its output's name, or null for
 * other modules. `emitChild` writes any other module (a TransformerEncoder's final norm).
 */
export function emitSequenceModule(
  b: SequenceGraphBuilder, m: AnyModule, x: string, at: string, emitChild: (child: AnyModule, input: string, path: string) => string,
): string | null {
  if (m instanceof LayerNorm) return layerNorm(b, m, x, at);
  if (m instanceof Identity) return x;
  if (m instanceof TransformerEncoderLayer) return emitEncoderLayer(b, m, x, at);
  if (m instanceof TransformerEncoder) {
    let h = x;
    [...m.layers].forEach((layer, i) => { h = emitEncoderLayer(b, layer, h, `${at}.layers.${i}`); });
    return m.norm ? emitChild(m.norm, h, `${at}.norm`) : h;
  }
  return null;
}
