/**
 * Batching sequences of different lengths, as PyTorch's `nn.utils.rnn.pad_sequence`: the padded
 * batch and the lengths that the recurrent layers' `lengths` option takes.
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, fmtShape, pad, stack, tidy } from '@scratchnet/core';

/** Options of {@link padSequence}. */
export interface PadSequenceOptions {
  /** Return [B, T, ...] instead of [T, B, ...] (default false, as PyTorch). */
  batchFirst?: boolean;
  /** The value written past each sequence's end (default 0). */
  paddingValue?: number;
}

/**
 * Stacks sequences [Lᵢ, ...] of one dtype and equal trailing shape into one [T, B, ...] tensor
 * (T = the longest Lᵢ; [B, T, ...] with `batchFirst`), padding each with `paddingValue`. Gradients
 * flow back to each sequence. Pass `lengths: sequences.map((s) => s.shape[0])` to a recurrent layer
 * so the padding never reaches its result.
 *
 * @example
 * const x = padSequence([a, b, c], { batchFirst: true }); // a [5, 8], b [2, 8], c [4, 8] → [3, 5, 8]
 * const [out, hN] = new GRU(8, 16, { batchFirst: true }).forward(x, null, { lengths: [5, 2, 4] });
 */
export function padSequence(sequences: readonly Tensor[], options: PadSequenceOptions = {}): Tensor {
  const given: unknown = sequences;
  if (!Array.isArray(given) || sequences.length === 0) throw new ArgumentError('padSequence: sequences must be a non-empty array of Tensors');
  const first = sequences[0];
  sequences.forEach((s: unknown, i) => {
    if (!(s instanceof Tensor)) throw new ArgumentError(`padSequence: sequences[${i}] is not a Tensor`);
    if (s.rank < 1) throw new ShapeError(`padSequence: sequences[${i}] is a scalar; each sequence needs a time axis first`);
    if (s.dtype !== first!.dtype) throw new DTypeError(`padSequence: sequences[${i}] has dtype ${s.dtype}, sequences[0] has ${first!.dtype}`);
    const trailing = s.shape.slice(1);
    const want = first!.shape.slice(1);
    if (trailing.length !== want.length || trailing.some((d, k) => d !== want[k])) {
      throw new ShapeError(`padSequence: sequences[${i}] has shape ${fmtShape(s.shape)}, sequences[0] has ${fmtShape(first!.shape)}; all must match after the time axis`);
    }
  });
  const value = options.paddingValue ?? 0;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new ArgumentError(`padSequence: paddingValue must be a number, got ${String(value)}`);
  const longest = Math.max(...sequences.map((s) => s.shape[0]!));
  return tidy(() => {
    const padded = sequences.map((s) => pad(s, s.shape.map((_, k): [number, number] => (k === 0 ? [0, longest - s.shape[0]!] : [0, 0])), value));
    return stack(padded, options.batchFirst ? 0 : 1);
  });
}
