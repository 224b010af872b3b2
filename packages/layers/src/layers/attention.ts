import {
  ArgumentError, DTypeError, ShapeError, add, arange, dropout, fmtShape, greater, lessEqual, logicalAnd, matmul, max, mul,
  noGrad, reshape, softmax, where, type Seed, type Tensor,
} from '@scratchnet/core';

/** Options of {@link scaledDotProductAttention} (PyTorch's names and defaults). */
export interface ScaledDotProductAttentionOptions {
  /**
   * Broadcastable to [..., L, S]. A bool mask says which keys each query may attend to
   * (`true` = attend, as in PyTorch's F.scaled_dot_product_attention); a float mask is added to the
   * scores (use −Infinity to mask out).
   */
  attnMask?: Tensor;
  /** Dropout probability on the attention weights (default 0); applied whenever it is > 0, as PyTorch does. */
  dropoutP?: number;
  /** Each query i attends to keys j ≤ i only (top-left aligned, as PyTorch); not with `attnMask`. */
  isCausal?: boolean;
  /** Multiplies q·kᵀ (default 1/√E, E the query's last dimension). */
  scale?: number;
  /** Seed (or generator) of the dropout masks. */
  seed?: Seed;
}

/** The pieces of attention that {@link attend} combines: all optional. */
export interface AttendMasks {
  /** Bool, broadcastable to [..., L, S]: true = attend. */
  allowed?: Tensor | null;
  /** Float, broadcastable to [..., L, S]: added to the scores. */
  additive?: Tensor | null;
  /** Apply the causal mask (built by index comparison, [L, S]). */
  isCausal?: boolean;
  /** Positions before the first query (a KV cache's length): the causal mask's offset (default 0). */
  causalOffset?: number;
  /** Multiplies q·kᵀ (default 1/√E). */
  scale?: number;
  /** Dropout probability on the weights (0 = none). */
  dropoutP?: number;
  /** Seed (or generator) of the dropout masks. */
  seed?: Seed;
}

/**
 * The causal mask of `queries` × `keys` positions as a bool [queries, keys] tensor, true where key
 * j ≤ query i + offset (offset 0 is PyTorch's top-left aligned `tril`; with a KV cache the queries
 * are the last positions, offset = keys − queries). Built by comparing two index ranges, so nothing
 * larger than [queries, keys] is ever made.
 */
export function causalMask(queries: number, keys: number, offset = 0): Tensor {
  for (const [name, n] of [['queries', queries], ['keys', keys]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`causalMask: ${name} must be a positive integer, got ${String(n)}`);
  }
  if (!Number.isInteger(offset)) throw new ArgumentError(`causalMask: offset must be an integer, got ${String(offset)}`);
  return lessEqual(reshape(arange(0, keys, 1, 'int32'), [1, keys]), reshape(arange(offset, queries + offset, 1, 'int32'), [queries, 1]));
}

function checkQkv(op: string, q: Tensor, k: Tensor, v: Tensor): void {
  for (const [name, t] of [['query', q], ['key', k], ['value', v]] as const) {
    if (t.rank < 2) throw new ShapeError(`${op}: ${name} must have rank ≥ 2 ([..., length, features]), got ${fmtShape(t.shape)}`);
    if (t.dtype !== 'float32') throw new DTypeError(`${op}: ${name} must be float32, got ${t.dtype}`);
  }
  if (q.shape[q.rank - 1] !== k.shape[k.rank - 1]) {
    throw new ShapeError(`${op}: query ${fmtShape(q.shape)} and key ${fmtShape(k.shape)} must have the same last dimension`);
  }
  if (k.shape[k.rank - 2] !== v.shape[v.rank - 2]) {
    throw new ShapeError(`${op}: key ${fmtShape(k.shape)} and value ${fmtShape(v.shape)} must have the same length (axis −2)`);
  }
}

/**
 * Attention with its weights: softmax(q·kᵀ·scale + masks)·v. A query row whose every key is masked
 * (−Infinity everywhere) gets all-zero weights and a zero output, and passes no gradient, where
 * PyTorch would return NaN. Returns `{ output, weights }` (weights after dropout, as PyTorch's MHA).
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, masks: AttendMasks = {}): { output: Tensor; weights: Tensor } {
  const op = 'scaledDotProductAttention';
  checkQkv(op, q, k, v);
  const e = q.shape[q.rank - 1]!;
  const scale = masks.scale ?? 1 / Math.sqrt(e);
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new ArgumentError(`${op}: scale must be a finite number, got ${String(scale)}`);
  const p = masks.dropoutP ?? 0;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(`${op}: dropoutP must be a number in [0, 1], got ${String(p)}`);
  // Scale whichever is smaller, the queries [.., L, E] or the scores [.., L, S] (the same product
  // up to rounding): a head of 32 features over 64 keys scales half as many numbers, both ways.
  const s = k.shape[k.rank - 2]!;
  let scores = e < s ? matmul(mul(q, scale), k, { transposeB: true }) : mul(matmul(q, k, { transposeB: true }), scale);
  let allowed = masks.allowed ?? null;
  if (allowed !== null && allowed.dtype !== 'bool') throw new DTypeError(`${op}: a bool mask was expected, got ${allowed.dtype}`);
  if (masks.isCausal) {
    const causal = causalMask(q.shape[q.rank - 2]!, k.shape[k.rank - 2]!, masks.causalOffset ?? 0);
    allowed = allowed === null ? causal : logicalAnd(allowed, causal);
  }
  const userMasked = masks.allowed != null || masks.additive != null;
  if (masks.additive != null) scores = add(scores, masks.additive);
  if (allowed !== null) scores = where(allowed, scores, -Infinity);
  let weights: Tensor;
  if (userMasked) {
    // Rows with no key left would be softmax(−∞, …, −∞) = NaN: give them zero scores, then zero weights.
    const rowOk = noGrad(() => greater(max(scores, -1, true), -Infinity));
    weights = where(rowOk, softmax(where(rowOk, scores, 0), -1), 0);
  } else {
    weights = softmax(scores, -1);
  }
  if (p > 0) weights = dropout(weights, p, { training: true, seed: masks.seed });
  return { output: matmul(weights, v), weights };
}

/**
 * PyTorch's F.scaled_dot_product_attention: softmax(q·kᵀ·scale + mask)·v over query [..., L, E],
 * key [..., S, E] and value [..., S, Ev], giving [..., L, Ev] (leading axes broadcast).
 * `attnMask` is bool (true = attend) or float (added); `isCausal` masks keys after each query
 * without materialising more than an [L, S] mask. A query whose keys are all masked gets a zero
 * output (PyTorch: NaN). Differentiable in q, k, v and a float mask.
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, options: ScaledDotProductAttentionOptions = {}): Tensor {
  const { attnMask, isCausal = false } = options;
  if (isCausal && attnMask !== undefined) {
    throw new ArgumentError('scaledDotProductAttention: give attnMask or isCausal, not both (as PyTorch)');
  }
  const bool = attnMask !== undefined && attnMask.dtype === 'bool';
  return attend(query, key, value, {
    allowed: bool ? attnMask : null,
    additive: attnMask !== undefined && !bool ? attnMask : null,
    isCausal,
    scale: options.scale,
    dropoutP: options.dropoutP,
    seed: options.seed,
  }).output;
}
