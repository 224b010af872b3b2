/**
 * Sequence layers to check on every backend: how to build each, its float inputs, how to call it,
 * and its float64 reference (sequence-refs.ts). Parameters are perturbed before the check, so
 * weights of ones and biases of zeros cannot hide a mistake.
 */
import { equal, reshape, tensor, type Tensor } from '@scratchnet/core';
import { reference } from '@scratchnet/core/testing';
import { scaledDotProductAttention } from '../src/layers/attention.js';
import { Embedding } from '../src/layers/embedding.js';
import { MultiheadAttention } from '../src/layers/multihead-attention.js';
import { GroupNorm, LayerNorm, RMSNorm } from '../src/layers/normalization.js';
import { LearnedPositionalEmbedding, SinusoidalPositionalEncoding } from '../src/layers/positional.js';
import { TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer } from '../src/layers/transformer.js';
import { LayerNorm as Norm } from '../src/layers/normalization.js';
import type { AnyModule } from '../src/module.js';
import type { NDArray } from './ref-types.js';
import {
  refAttention, refDecoderLayer, refEncoderLayer, refGroupNorm, refHeadMean, refLayerNorm, refMha, refSinusoid, swap01,
  type RefEncoderParams, type RefMhaParams,
} from './sequence-refs.js';

/** One module (or functional op) to check. */
export interface SequenceCase {
  name: string;
  /** Builds the module (null for a functional op). */
  make: () => AnyModule | null;
  /** Shapes of the float inputs (differentiated). */
  inputs: number[][];
  /** Runs the module on the inputs. */
  run: (m: AnyModule | null, xs: Tensor[]) => Tensor;
  /** Check with the parameters as initialised (default: perturbed first). */
  keepParams?: boolean;
  /** Float64 reference: the inputs, then the parameters in namedParameters() order. */
  ref: (xs: NDArray[], ps: NDArray[]) => NDArray;
}

const r = reference;

function mhaParams(ps: NDArray[], at: number, packed = true, bias = true): [RefMhaParams, number] {
  let i = at;
  const p: RefMhaParams = { inB: null, outW: ps[0]!, outB: null };
  if (packed) p.inW = ps[i++];
  else [p.qW, p.kW, p.vW] = [ps[i++], ps[i++], ps[i++]];
  if (bias) p.inB = ps[i++]!;
  p.outW = ps[i++]!;
  if (bias) p.outB = ps[i++]!;
  return [p, i];
}

function encoderParams(ps: NDArray[], at: number): [RefEncoderParams, number] {
  const [attn, i] = mhaParams(ps, at);
  const [w1, b1, w2, b2, n1w, n1b, n2w, n2b] = ps.slice(i, i + 8);
  return [{ attn, w1: w1!, b1: b1!, w2: w2!, b2: b2!, n1w: n1w!, n1b: n1b!, n2w: n2w!, n2b: n2b! }, i + 8];
}

const callMha = (opts: Parameters<MultiheadAttention['forward']>[3] = {}, weights = false) =>
  (m: AnyModule | null, xs: Tensor[]): Tensor => {
    const [out, w] = (m as MultiheadAttention).forward(xs[0]!, xs[1] ?? xs[0], xs[2] ?? xs[1] ?? xs[0], { ...opts, needWeights: weights });
    return weights ? w! : out;
  };

/** A bool key-padding mask [2, 4]: the last key of sample 0 and the last two of sample 1 are padding. */
const padMask = (): Tensor => tensor([[false, false, false, true], [false, false, true, true]], [2, 4], 'bool');
const padAllowed = (n: number, _h: number, _l: number, s: number): boolean => !(s === 3 || (n === 1 && s === 2));

/** A float [3, 4] mask added to the scores. */
const addValues = [0.5, -1, 0, 2, -0.25, 0, 1, -2, 0, 0.75, -0.5, 0.3];
const addMask = (): Tensor => tensor(addValues, [3, 4]);
const addRef = (_n: number, _h: number, l: number, s: number): number => addValues[l * 4 + s]!;

export const sequenceCases: SequenceCase[] = [
  {
    name: 'LayerNorm(6) on [3,4,6]', make: () => new LayerNorm(6), inputs: [[3, 4, 6]], run: (m, [x]) => (m as LayerNorm).forward(x!),
    ref: ([x], [w, b]) => refLayerNorm(x!, 1, 1e-5, w, b),
  },
  {
    name: 'LayerNorm([4,5]) eps 1e-3 on [2,4,5]', make: () => new LayerNorm([4, 5], { eps: 1e-3 }), inputs: [[2, 4, 5]], run: (m, [x]) => (m as LayerNorm).forward(x!),
    ref: ([x], [w, b]) => refLayerNorm(x!, 2, 1e-3, w, b),
  },
  {
    name: 'LayerNorm without affine', make: () => new LayerNorm(5, { elementwiseAffine: false }), inputs: [[4, 5]], run: (m, [x]) => (m as LayerNorm).forward(x!),
    ref: ([x]) => refLayerNorm(x!, 1, 1e-5),
  },
  {
    name: 'LayerNorm without bias', make: () => new LayerNorm(5, { bias: false }), inputs: [[4, 5]], run: (m, [x]) => (m as LayerNorm).forward(x!),
    ref: ([x], [w]) => refLayerNorm(x!, 1, 1e-5, w),
  },
  {
    name: 'RMSNorm(6) on [3,6]', make: () => new RMSNorm(6), inputs: [[3, 6]], run: (m, [x]) => (m as RMSNorm).forward(x!),
    ref: ([x], [w]) => refLayerNorm(x!, 1, 1.1920928955078125e-7, w, null, true),
  },
  {
    name: 'RMSNorm([2,3]) eps 1e-6 without affine', make: () => new RMSNorm([2, 3], { eps: 1e-6, elementwiseAffine: false }), inputs: [[4, 2, 3]], run: (m, [x]) => (m as RMSNorm).forward(x!),
    ref: ([x]) => refLayerNorm(x!, 2, 1e-6, null, null, true),
  },
  {
    name: 'GroupNorm(2, 4) on [2,4,3,3]', make: () => new GroupNorm(2, 4), inputs: [[2, 4, 3, 3]], run: (m, [x]) => (m as GroupNorm).forward(x!),
    ref: ([x], [w, b]) => refGroupNorm(x!, 2, 1e-5, w, b),
  },
  {
    name: 'GroupNorm(3, 6) on [2,6,5] without affine', make: () => new GroupNorm(3, 6, { affine: false, eps: 1e-4 }), inputs: [[2, 6, 5]], run: (m, [x]) => (m as GroupNorm).forward(x!),
    ref: ([x]) => refGroupNorm(x!, 3, 1e-4),
  },
  {
    name: 'Embedding(7, 4, paddingIdx 2) lookup of [2,3] indices (weight gradient, padding row gets none)',
    make: () => new Embedding(7, 4, { paddingIdx: 2, seed: 3 }), inputs: [], keepParams: true,
    run: (m) => (m as Embedding).forward(tensor(Int32Array.from([0, 2, 6, 6, 1, 2]), [2, 3], 'int32')),
    ref: (_xs, [w]) => {
      const idx = [0, 2, 6, 6, 1, 2];
      const out = new Float64Array(24);
      idx.forEach((row, i) => {
        // The padding row starts at zero and its lookups are constants (no gradient).
        for (let d = 0; d < 4; d++) out[i * 4 + d] = row === 2 ? 0 : w!.data[row * 4 + d]!;
      });
      return r.nd([2, 3, 4], out);
    },
  },
  {
    name: 'MultiheadAttention(8, 2) self-attention, batchFirst', make: () => new MultiheadAttention(8, 2, { batchFirst: true, seed: 1 }),
    inputs: [[2, 3, 8]], run: callMha(),
    ref: ([x], ps) => refMha(x!, x!, x!, mhaParams(ps, 0)[0], 2).out,
  },
  {
    name: 'MultiheadAttention weights averaged over heads', make: () => new MultiheadAttention(8, 2, { batchFirst: true, seed: 2 }),
    inputs: [[2, 3, 8]], run: callMha({}, true),
    ref: ([x], ps) => refHeadMean(refMha(x!, x!, x!, mhaParams(ps, 0)[0], 2).weights),
  },
  {
    name: 'MultiheadAttention per-head weights with a causal mask', make: () => new MultiheadAttention(6, 3, { batchFirst: true, seed: 3 }),
    inputs: [[2, 4, 6]], run: callMha({ isCausal: true, averageAttnWeights: false }, true),
    ref: ([x], ps) => refMha(x!, x!, x!, mhaParams(ps, 0)[0], 3, { allowed: (_n, _h, l, s) => s <= l }).weights,
  },
  {
    name: 'MultiheadAttention cross-attention kdim 5 vdim 3, sequence first', make: () => new MultiheadAttention(8, 4, { kdim: 5, vdim: 3, seed: 4 }),
    inputs: [[3, 2, 8], [4, 2, 5], [4, 2, 3]], run: callMha(),
    ref: ([q, k, v], ps) => swap01(refMha(swap01(q!), swap01(k!), swap01(v!), mhaParams(ps, 0, false)[0], 4).out),
  },
  {
    name: 'MultiheadAttention without bias, bool key padding mask and float attnMask', make: () => new MultiheadAttention(4, 2, { bias: false, batchFirst: true, seed: 5 }),
    inputs: [[2, 3, 4], [2, 4, 4], [2, 4, 4]],
    run: (m, xs) => callMha({ keyPaddingMask: padMask(), attnMask: addMask() })(m, xs),
    ref: ([q, k, v], ps) => refMha(q!, k!, v!, mhaParams(ps, 0, true, false)[0], 2, { allowed: padAllowed, additive: addRef }).out,
  },
  {
    name: 'scaledDotProductAttention with a bool mask (true = attend) and scale 0.3', make: () => null,
    inputs: [[2, 2, 3, 4], [2, 2, 4, 4], [2, 2, 4, 5]],
    run: (_m, [q, k, v]) => scaledDotProductAttention(q!, k!, v!, { attnMask: equal(reshape(tensor([1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1]), [3, 4]), 1), scale: 0.3 }),
    ref: ([q, k, v]) => refAttention(q!, k!, v!, { allowed: (_n, _h, l, s) => [1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1][l * 4 + s] === 1 }, 0.3).out,
  },
  {
    name: 'scaledDotProductAttention isCausal with more keys than queries', make: () => null,
    inputs: [[1, 2, 3, 4], [1, 2, 5, 4], [1, 2, 5, 2]],
    run: (_m, [q, k, v]) => scaledDotProductAttention(q!, k!, v!, { isCausal: true }),
    ref: ([q, k, v]) => refAttention(q!, k!, v!, { allowed: (_n, _h, l, s) => s <= l }).out,
  },
  {
    name: 'scaledDotProductAttention with a float mask', make: () => null,
    inputs: [[2, 3, 4], [2, 4, 4], [2, 4, 3]],
    run: (_m, [q, k, v]) => scaledDotProductAttention(q!, k!, v!, { attnMask: addMask() }),
    ref: ([q, k, v]) => {
      const lift = (t: NDArray): NDArray => r.refReshape(t, [t.shape[0]!, 1, t.shape[1]!, t.shape[2]!]);
      const o = refAttention(lift(q!), lift(k!), lift(v!), { additive: addRef }).out;
      return r.refReshape(o, [2, 3, 3]);
    },
  },
  {
    name: 'TransformerEncoderLayer post-norm relu, batchFirst', make: () => new TransformerEncoderLayer(8, 2, { dimFeedforward: 12, batchFirst: true, seed: 6 }),
    inputs: [[2, 3, 8]], run: (m, [x]) => (m as TransformerEncoderLayer).forward(x!),
    ref: ([x], ps) => refEncoderLayer(x!, encoderParams(ps, 0)[0], 2),
  },
  {
    name: 'TransformerEncoderLayer pre-norm gelu, sequence first, key padding', make: () => new TransformerEncoderLayer(8, 4, { dimFeedforward: 10, normFirst: true, activation: 'gelu', layerNormEps: 1e-4, seed: 7 }),
    inputs: [[4, 2, 8]], run: (m, [x]) => (m as TransformerEncoderLayer).forward(x!, { srcKeyPaddingMask: padMask() }),
    ref: ([x], ps) => swap01(refEncoderLayer(swap01(x!), encoderParams(ps, 0)[0], 4, { normFirst: true, gelu: true, eps: 1e-4, masks: { allowed: padAllowed } })),
  },
  {
    name: 'TransformerEncoder of 2 causal layers with a final LayerNorm', make: () => new TransformerEncoder(new TransformerEncoderLayer(4, 2, { dimFeedforward: 6, batchFirst: true, seed: 8 }), 2, { norm: new Norm(4) }),
    inputs: [[2, 3, 4]], run: (m, [x]) => (m as TransformerEncoder).forward(x!, { isCausal: true }),
    ref: ([x], ps) => {
      const masks = { allowed: (_n: number, _h: number, l: number, s: number) => s <= l };
      const [p0, i] = encoderParams(ps, 0);
      const [p1, j] = encoderParams(ps, i);
      return refLayerNorm(refEncoderLayer(refEncoderLayer(x!, p0, 2, { masks }), p1, 2, { masks }), 1, 1e-5, ps[j], ps[j + 1]);
    },
  },
  {
    name: 'TransformerDecoderLayer post-norm with causal self-attention, batchFirst', make: () => new TransformerDecoderLayer(4, 2, { dimFeedforward: 6, batchFirst: true, seed: 9 }),
    inputs: [[2, 3, 4], [2, 5, 4]], run: (m, [x, mem]) => (m as TransformerDecoderLayer).forward(x!, mem!, { tgtIsCausal: true }),
    ref: ([x, mem], ps) => {
      const [attn, i] = mhaParams(ps, 0);
      const [cross, j] = mhaParams(ps, i);
      const [w1, b1, w2, b2, n1w, n1b, n2w, n2b, n3w, n3b] = ps.slice(j);
      const p = { attn, cross, w1: w1!, b1: b1!, w2: w2!, b2: b2!, n1w: n1w!, n1b: n1b!, n2w: n2w!, n2b: n2b!, n3w: n3w!, n3b: n3b! };
      return refDecoderLayer(x!, mem!, p, 2, { tgtMasks: { allowed: (_n, _h, l, s) => s <= l } });
    },
  },
  {
    name: 'TransformerDecoderLayer pre-norm, sequence first', make: () => new TransformerDecoderLayer(4, 1, { dimFeedforward: 5, normFirst: true, seed: 10 }),
    inputs: [[3, 2, 4], [2, 2, 4]], run: (m, [x, mem]) => (m as TransformerDecoderLayer).forward(x!, mem!),
    ref: ([x, mem], ps) => {
      const [attn, i] = mhaParams(ps, 0);
      const [cross, j] = mhaParams(ps, i);
      const [w1, b1, w2, b2, n1w, n1b, n2w, n2b, n3w, n3b] = ps.slice(j);
      const p = { attn, cross, w1: w1!, b1: b1!, w2: w2!, b2: b2!, n1w: n1w!, n1b: n1b!, n2w: n2w!, n2b: n2b!, n3w: n3w!, n3b: n3b! };
      return swap01(refDecoderLayer(swap01(x!), swap01(mem!), p, 1, { normFirst: true }));
    },
  },
  {
    name: 'TransformerDecoder of 2 layers with a final LayerNorm and memory key padding', make: () => new TransformerDecoder(new TransformerDecoderLayer(4, 2, { dimFeedforward: 5, batchFirst: true, seed: 12 }), 2, { norm: new Norm(4) }),
    inputs: [[2, 3, 4], [2, 4, 4]], run: (m, [x, mem]) => (m as TransformerDecoder).forward(x!, mem!, { memoryKeyPaddingMask: padMask() }),
    ref: ([x, mem], ps) => {
      let at = 0;
      const layer = (h: NDArray): NDArray => {
        const [attn, i] = mhaParams(ps, at);
        const [cross, j] = mhaParams(ps, i);
        const [w1, b1, w2, b2, n1w, n1b, n2w, n2b, n3w, n3b] = ps.slice(j, j + 10);
        at = j + 10;
        const p = { attn, cross, w1: w1!, b1: b1!, w2: w2!, b2: b2!, n1w: n1w!, n1b: n1b!, n2w: n2w!, n2b: n2b!, n3w: n3w!, n3b: n3b! };
        return refDecoderLayer(h, mem!, p, 2, { crossMasks: { allowed: padAllowed } });
      };
      const h = layer(layer(x!));
      return refLayerNorm(h, 1, 1e-5, ps[at], ps[at + 1]);
    },
  },
  {
    name: 'LearnedPositionalEmbedding(6, 4) on [2,5,4] batchFirst', make: () => new LearnedPositionalEmbedding(6, 4, { batchFirst: true, seed: 11 }),
    inputs: [[2, 5, 4]], run: (m, [x]) => (m as LearnedPositionalEmbedding).forward(x!),
    ref: ([x], [w]) => r.refBinary('add', x!, r.refReshape(r.refSlice(w!, [0, 0], [5, 4]), [1, 5, 4])),
  },
  {
    name: 'SinusoidalPositionalEncoding(5) on [3,2,5] (odd width, sequence first)', make: () => new SinusoidalPositionalEncoding(5),
    inputs: [[3, 2, 5]], run: (m, [x]) => (m as SinusoidalPositionalEncoding).forward(x!),
    ref: ([x]) => r.refBinary('add', x!, r.refReshape(refSinusoid(3, 5), [3, 1, 5])),
  },
];

