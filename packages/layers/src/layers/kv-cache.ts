import { ArgumentError, ShapeError, concat, dispose, fmtShape, keep, type Tensor } from '@scratchnet/core';

/**
 * The keys and values one self-attention layer has already computed, for incremental decoding:
 * pass the same cache to each call of {@link MultiheadAttention.forward} (or of an encoder layer)
 * with only the new positions, and each new token costs one position instead of the whole context.
 * Holds [batch, heads, length, headDim] tensors that outlive `tidy`; call `dispose()` when done.
 * For inference: use it under `noGrad`.
 */
export class KVCache {
  private k: Tensor | null = null;
  private v: Tensor | null = null;

  /** Positions held so far. */
  get length(): number {
    return this.k === null ? 0 : this.k.shape[2]!;
  }

  /** The cached keys [batch, heads, length, headDim], or null while empty. */
  get keys(): Tensor | null {
    return this.k;
  }

  /** The cached values [batch, heads, length, headDim], or null while empty. */
  get values(): Tensor | null {
    return this.v;
  }

  /** Appends new keys and values ([batch, heads, L, headDim]) and returns all of them. */
  append(keys: Tensor, values: Tensor): [Tensor, Tensor] {
    if (keys.rank !== 4 || values.rank !== 4) throw new ShapeError(`KVCache.append: keys and values must be [batch, heads, L, headDim], got ${fmtShape(keys.shape)} and ${fmtShape(values.shape)}`);
    if (this.k !== null && (this.k.shape[0] !== keys.shape[0] || this.k.shape[1] !== keys.shape[1] || this.k.shape[3] !== keys.shape[3])) {
      throw new ArgumentError(`KVCache.append: new keys ${fmtShape(keys.shape)} do not continue the cached ${fmtShape(this.k.shape)} (same batch, heads and headDim)`);
    }
    const k = keep(this.k === null ? keys : concat([this.k, keys], 2));
    const v = keep(this.v === null ? values : concat([this.v, values], 2));
    this.dispose();
    this.k = k;
    this.v = v;
    return [k, v];
  }

  /** Frees the cached tensors and empties the cache. */
  dispose(): void {
    dispose([this.k, this.v].filter((t): t is Tensor => t !== null));
    this.k = null;
    this.v = null;
  }
}
