import {
  ArgumentError, DTypeError, RandomGenerator, ShapeError, add, expandDims, fmtShape, full, logicalAnd, logicalNot, matmul,
  mean, permute, randomUniform, reshape, slice, split, squeeze, type Tensor, type Variable,
} from '@scratchnet/core';
import { Module, registerModule } from '../module.js';
import { attend } from './attention.js';
import { checkPositiveInt, checkRange } from './checks.js';
import type { KVCache } from './kv-cache.js';
import type { Linear } from './linear.js';
import { pytorchLinear } from './pytorch-init.js';

/** Options of {@link MultiheadAttention} (PyTorch's names and defaults). */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training (default 0). */
  dropout?: number;
  /** Learn the input and output projection biases (default true). */
  bias?: boolean;
  /** Features of `key` (default embedDim). */
  kdim?: number;
  /** Features of `value` (default embedDim). */
  vdim?: number;
  /** Inputs and output are [batch, length, features] (default false: [length, batch, features]). */
  batchFirst?: boolean;
  /** Seed for the initial weights and the dropout masks. */
  seed?: number;
}

/** Options of {@link MultiheadAttention.forward} (PyTorch's names and defaults). */
export interface MultiheadAttentionForwardOptions {
  /**
   * [batch, S] (or [S] unbatched): a bool mask where true marks a key to ignore (padding), or a
   * float mask added to the scores.
   */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true); otherwise the second output is null. */
  needWeights?: boolean;
  /**
   * [L, S] or [batch·numHeads, L, S]: a bool mask where true marks a pair that may NOT attend
   * (PyTorch's nn.MultiheadAttention convention, the opposite of scaledDotProductAttention's), or a
   * float mask added to the scores.
   */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads (default true): [batch, L, S], else [batch, heads, L, S]. */
  averageAttnWeights?: boolean;
  /** Also mask keys after each query (a causal mask built by index comparison, [L, S]). */
  isCausal?: boolean;
  /**
   * Self-attention only: keys and values of earlier positions. The new positions' keys and values
   * are appended to it, and the queries attend to all of them (with `isCausal`, each query sees the
   * cached positions and the new ones up to itself). Masks then cover all S = cached + new keys.
   */
  kvCache?: KVCache;
}

/** Xavier-uniform U(±√(6/(fanIn + fanOut))) of a [rows, cols] weight, as torch.nn.init.xavier_uniform_. */
function xavier(rows: number, cols: number, gen: RandomGenerator | undefined): Tensor {
  const bound = Math.sqrt(6 / (rows + cols));
  return randomUniform([rows, cols], { min: -bound, max: bound, seed: gen });
}

/**
 * Multi-head attention, as PyTorch's nn.MultiheadAttention, with its parameter names, shapes and
 * initialisation: `in_proj_weight` [3E, E] (xavier-uniform) when kdim = vdim = E, otherwise
 * `q_proj_weight` [E, E], `k_proj_weight` [E, kdim], `v_proj_weight` [E, vdim]; `in_proj_bias`
 * [3E] (zeros); `out_proj.weight` [E, E] (U(±1/√E)) and `out_proj.bias` (zeros).
 *
 * `forward(query, key, value, options)` returns `[output, weights | null]`. Masks follow PyTorch:
 * bool masks mark what to EXCLUDE, float masks are added. A query whose keys are all masked gets
 * zero weights and a zero output (PyTorch returns NaN there). add_bias_kv and add_zero_attn are not
 * supported.
 */
export class MultiheadAttention extends Module<[query: Tensor, key?: Tensor, value?: Tensor, options?: MultiheadAttentionForwardOptions], [Tensor, Tensor | null]> {
  readonly kdim: number;
  readonly vdim: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  /** True when the projections are packed in `in_proj_weight` (kdim = vdim = embedDim). */
  readonly packed: boolean;
  readonly in_proj_weight: Variable | null;
  readonly q_proj_weight: Variable | null;
  readonly k_proj_weight: Variable | null;
  readonly v_proj_weight: Variable | null;
  readonly in_proj_bias: Variable | null;
  readonly out_proj: Linear;
  private readonly generator: RandomGenerator | undefined;

  constructor(readonly embedDim: number, readonly numHeads: number, readonly options: MultiheadAttentionOptions = {}) {
    super();
    checkPositiveInt('MultiheadAttention', 'embedDim', embedDim);
    checkPositiveInt('MultiheadAttention', 'numHeads', numHeads);
    if (embedDim % numHeads !== 0) {
      throw new ArgumentError(`MultiheadAttention: embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
    }
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    checkPositiveInt('MultiheadAttention', 'kdim', this.kdim);
    checkPositiveInt('MultiheadAttention', 'vdim', this.vdim);
    this.dropout = options.dropout ?? 0;
    checkRange('MultiheadAttention', 'dropout', this.dropout, 0, 1);
    this.headDim = embedDim / numHeads;
    this.batchFirst = options.batchFirst ?? false;
    this.packed = this.kdim === embedDim && this.vdim === embedDim;
    const gen = options.seed === undefined ? undefined : new RandomGenerator(options.seed);
    const e = embedDim;
    this.in_proj_weight = this.packed ? this.addParameter('in_proj_weight', xavier(3 * e, e, gen)) : null;
    this.q_proj_weight = this.packed ? null : this.addParameter('q_proj_weight', xavier(e, e, gen));
    this.k_proj_weight = this.packed ? null : this.addParameter('k_proj_weight', xavier(e, this.kdim, gen));
    this.v_proj_weight = this.packed ? null : this.addParameter('v_proj_weight', xavier(e, this.vdim, gen));
    const bias = options.bias ?? true;
    this.in_proj_bias = bias ? this.addParameter('in_proj_bias', full([3 * e], 0)) : null;
    this.out_proj = this.addChild('out_proj', pytorchLinear(e, e, gen, bias, true));
    this.generator = gen;
  }

  /**
   * Attends from `query` ([L, N, E], or [N, L, E] with batchFirst, or [L, E] unbatched) to `key`
   * ([S, N, kdim]) and `value` ([S, N, vdim]); key and value default to query (self-attention).
   * Returns the output (the query's shape) and, with `needWeights`, the weights [N, L, S]
   * (averaged over heads) or [N, heads, L, S].
   */
  forward(query: Tensor, key: Tensor = query, value: Tensor = key, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const name = 'MultiheadAttention';
    const unbatched = query.rank === 2;
    for (const [what, t, feat] of [['query', query, this.embedDim], ['key', key, this.kdim], ['value', value, this.vdim]] as const) {
      if (t.rank !== (unbatched ? 2 : 3)) {
        throw new ShapeError(`${name}: ${what} must be ${unbatched ? '[S, features] like the unbatched query' : this.batchFirst ? '[batch, length, features]' : '[length, batch, features]'}, got ${fmtShape(t.shape)}`);
      }
      if (t.shape[t.rank - 1] !== feat) throw new ShapeError(`${name}: ${what} ${fmtShape(t.shape)} must have ${feat} features in its last dimension`);
    }
    // Work in [N, L, E].
    const toBatchFirst = (t: Tensor): Tensor => (unbatched ? expandDims(t, 0) : this.batchFirst ? t : permute(t, [1, 0, 2]));
    const q0 = toBatchFirst(query);
    const k0 = toBatchFirst(key);
    const v0 = toBatchFirst(value);
    const n = q0.shape[0]!;
    const l = q0.shape[1]!;
    const s = k0.shape[1]!;
    if (k0.shape[0] !== n || v0.shape[0] !== n) throw new ShapeError(`${name}: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must have the same batch size`);
    if (v0.shape[1] !== s) throw new ShapeError(`${name}: key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must have the same length`);

    const self = query === key && key === value;
    const cache = options.kvCache;
    if (cache !== undefined && !self) throw new ArgumentError(`${name}: kvCache is for self-attention; call forward(x) or forward(x, x, x)`);
    const [q, k, v] = this.project(q0, k0, v0, self);
    const heads = (t: Tensor, len: number): Tensor => permute(reshape(t, [n, len, this.numHeads, this.headDim]), [0, 2, 1, 3]);
    const past = cache?.length ?? 0;
    const [kh, vh] = cache ? cache.append(heads(k, s), heads(v, s)) : [heads(k, s), heads(v, s)];
    const masks = this.masks(options, n, l, past + s, unbatched);
    const { output, weights } = attend(heads(q, l), kh, vh, {
      ...masks,
      isCausal: options.isCausal ?? false,
      causalOffset: past,
      dropoutP: this.training ? this.dropout : 0,
      seed: this.generator,
    });
    let out = this.out_proj.forward(reshape(permute(output, [0, 2, 1, 3]), [n, l, this.embedDim]));
    out = unbatched ? squeeze(out, [0]) : this.batchFirst ? out : permute(out, [1, 0, 2]);
    if (!(options.needWeights ?? true)) return [out, null];
    let w = options.averageAttnWeights ?? true ? mean(weights, [1]) : weights;
    if (unbatched) w = squeeze(w, [0]);
    return [out, w];
  }

  /** q, k, v projections in [N, length, E]; one matmul for self-attention with packed weights. */
  private project(q: Tensor, k: Tensor, v: Tensor, self: boolean): [Tensor, Tensor, Tensor] {
    const e = this.embedDim;
    const bias = this.in_proj_bias;
    const bPart = (i: number): Tensor | null => (bias ? slice(bias, [i * e], [e]) : null);
    const lin = (x: Tensor, w: Tensor, b: Tensor | null): Tensor => {
      const y = matmul(x, w, { transposeB: true });
      return b ? add(y, b) : y;
    };
    if (this.in_proj_weight) {
      const w = this.in_proj_weight;
      if (self) {
        const [a, b2, c] = split(lin(q, w, bias), 3, -1);
        return [a!, b2!, c!];
      }
      const wPart = (i: number): Tensor => slice(w, [i * e, 0], [e, e]);
      return [lin(q, wPart(0), bPart(0)), lin(k, wPart(1), bPart(1)), lin(v, wPart(2), bPart(2))];
    }
    return [lin(q, this.q_proj_weight!, bPart(0)), lin(k, this.k_proj_weight!, bPart(1)), lin(v, this.v_proj_weight!, bPart(2))];
  }

  /** PyTorch's masks as `attend`'s: bool masks (true = excluded) become `allowed`, float masks are added. */
  private masks(options: MultiheadAttentionForwardOptions, n: number, l: number, s: number, unbatched: boolean): { allowed: Tensor | null; additive: Tensor | null } {
    const name = 'MultiheadAttention';
    let allowed: Tensor | null = null;
    let additive: Tensor | null = null;
    const take = (m: Tensor, what: string): void => {
      if (m.dtype === 'bool') allowed = allowed === null ? logicalNot(m) : logicalAnd(allowed, logicalNot(m));
      else if (m.dtype === 'float32') additive = additive === null ? m : add(additive, m);
      else throw new DTypeError(`${name}: ${what} must be bool or float32, got ${m.dtype}`);
    };
    const { attnMask, keyPaddingMask } = options;
    if (attnMask != null) {
      const want3 = [n * this.numHeads, l, s];
      if (attnMask.rank === 2 && attnMask.shape[0] === l && attnMask.shape[1] === s) take(attnMask, 'attnMask');
      else if (attnMask.rank === 3 && attnMask.shape.every((d, i) => d === want3[i])) take(reshape(attnMask, [n, this.numHeads, l, s]), 'attnMask');
      else throw new ShapeError(`${name}: attnMask must be [${l},${s}] or [${want3.join(',')}] (batch·heads, L, S), got ${fmtShape(attnMask.shape)}`);
    }
    if (keyPaddingMask != null) {
      const want = unbatched ? [s] : [n, s];
      if (keyPaddingMask.rank !== want.length || keyPaddingMask.shape.some((d, i) => d !== want[i])) {
        throw new ShapeError(`${name}: keyPaddingMask must be ${fmtShape(want)}, got ${fmtShape(keyPaddingMask.shape)}`);
      }
      take(reshape(keyPaddingMask, [n, 1, 1, s]), 'keyPaddingMask');
    }
    return { allowed, additive };
  }

  protected getConfig(): Record<string, unknown> {
    return { embedDim: this.embedDim, numHeads: this.numHeads, ...this.options };
  }
}

registerModule('MultiheadAttention', MultiheadAttention, (c) => new MultiheadAttention(c.embedDim as number, c.numHeads as number, c));
