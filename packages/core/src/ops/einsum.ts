/**
 * einsum lowered to ops that already have gradients: a diagonal (an index repeated within one
 * operand) is a strided copy, indices no later operand or the output needs are summed away, and each
 * pair of operands, left to right, is permuted and reshaped into one batched matmul.
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError } from '../errors.js';
import { isArray, shapesEqual, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { expectTensor } from './convert.js';
import { parseEinsum } from './einsum-parse.js';
import { matmul } from './matmul.js';
import { sum } from './reduce.js';
import { alias, reshape } from './reshape.js';
import { copyStridedView } from './strided-slice.js';
import { transpose } from './transpose.js';

/** A tensor with one letter per axis, all distinct. */
interface Labelled {
  readonly t: Tensor;
  readonly subs: readonly string[];
}

/** Takes the diagonal over each letter repeated in `subs` (a view whose stride is the sum of the repeated axes' strides). */
function diagonal(t: Tensor, subs: readonly string[]): Labelled {
  const unique = [...new Set(subs)];
  if (unique.length === subs.length) return { t, subs };
  const xs = stridesOf(t.shape);
  const shape = unique.map((c) => t.shape[subs.indexOf(c)]!);
  const strides = unique.map((c) => subs.reduce((s, d, a) => (d === c ? s + xs[a]! : s), 0));
  return { t: copyStridedView(t, { shape, strides, offset: 0 }), subs: unique };
}

/** Sums away the letters of `x` that `keep` lacks. */
function sumUnneeded(x: Labelled, keep: ReadonlySet<string>): Labelled {
  const axes = x.subs.flatMap((c, a) => (keep.has(c) ? [] : [a]));
  if (axes.length === 0) return x;
  return { t: sum(x.t, axes), subs: x.subs.filter((c) => keep.has(c)) };
}

/** Permutes x's axes into the order of `order` (a permutation of x.subs). */
function arrange(x: Labelled, order: readonly string[]): Tensor {
  const perm = order.map((c) => x.subs.indexOf(c));
  return perm.every((p, i) => p === i) ? x.t : transpose(x.t, perm);
}

/** Whether x's axes already lie in the order of `order`. */
const inOrder = (x: Labelled, order: readonly string[]): boolean => order.every((c, i) => x.subs[i] === c);

/**
 * Contracts a with b over their shared letters that `keep` lacks, as one batched matmul [B, M, K] × [B, K, N];
 * an operand already laid out as [B, K, M] (or [B, N, K]) goes in through the matmul's transpose flag instead of a copy.
 */
function contractPair(a: Labelled, b: Labelled, keep: ReadonlySet<string>, sizes: ReadonlyMap<string, number>): Labelled {
  const inB = new Set(b.subs);
  const batch = a.subs.filter((c) => inB.has(c) && keep.has(c));
  const summed = a.subs.filter((c) => inB.has(c) && !keep.has(c));
  const aFree = a.subs.filter((c) => !inB.has(c));
  const bFree = b.subs.filter((c) => !a.subs.includes(c));
  const size = (cs: readonly string[]): number => cs.reduce((n, c) => n * sizes.get(c)!, 1);
  const [nb, m, k, n] = [size(batch), size(aFree), size(summed), size(bFree)];
  const aT = [...batch, ...summed, ...aFree];
  const bT = [...batch, ...bFree, ...summed];
  const transposeA = !inOrder(a, [...batch, ...aFree, ...summed]) && inOrder(a, aT);
  const transposeB = !inOrder(b, [...batch, ...summed, ...bFree]) && inOrder(b, bT);
  const a3 = transposeA ? reshape(a.t, [nb, k, m]) : reshape(arrange(a, [...batch, ...aFree, ...summed]), [nb, m, k]);
  const b3 = transposeB ? reshape(b.t, [nb, n, k]) : reshape(arrange(b, [...batch, ...summed, ...bFree]), [nb, k, n]);
  const subs = [...batch, ...aFree, ...bFree];
  return { t: reshape(matmul(a3, b3, { transposeA, transposeB }), subs.map((c) => sizes.get(c)!)), subs };
}

/**
 * Einstein summation over letter-labelled axes, as NumPy's and PyTorch's `einsum`:
 * `einsum('bij,bjk->bik', a, b)` is a batched matmul, `'ij->ji'` a transpose, `'ij->'` a sum,
 * `'i,j->ij'` an outer product, `'ii->i'` a diagonal, `'ii'` a trace and `'...ij,...jk->...ik'` a
 * matmul over any leading axes. '...' (once per term) stands for an operand's unnamed leading, middle
 * or trailing axes; those of all operands broadcast together, right-aligned, and an explicit output
 * must keep '...' (both as in NumPy). Without '->' the output is the '...' axes, then every
 * letter used once, in alphabetical order. A letter must have one size in every operand. Operands are
 * contracted pairwise left to right, each pair as one batched matmul in float32; an equation without
 * products (one operand) keeps the operand's dtype. Gradients flow to every float32 operand.
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  operands.forEach((t, i) => expectTensor(t, 'einsum', `operands[${i}]`));
  if (!isArray(operands) || operands.length === 0) throw new ArgumentError(`einsum: '${String(equation)}' needs at least one operand`);
  const { inputs, output, sizes } = parseEinsum(equation, operands.map((t) => t.shape));
  return tidy(() => {
    const labelled = operands.map((t, i) => {
      // A '...' axis of size 1 broadcasts against the other operands' (letters always match exactly).
      const want = inputs[i]!.map((c) => sizes.get(c)!);
      return diagonal(shapesEqual(want, t.shape) ? t : broadcastTo(t, want), inputs[i]!);
    });
    /** The letters needed once operands [0, i] are combined: those of later operands and the output. */
    const neededAfter = (i: number): Set<string> => new Set([...output, ...inputs.slice(i + 1).flat()]);
    let acc = sumUnneeded(labelled[0]!, neededAfter(0));
    for (let i = 1; i < labelled.length; i++) {
      const keep = neededAfter(i);
      const accSubs = new Set(acc.subs);
      const next = labelled[i]!;
      // Letters only one side has and nothing later needs are summed before the product.
      const a = sumUnneeded(acc, new Set([...keep, ...next.subs]));
      const b = sumUnneeded(next, new Set([...keep, ...accSubs]));
      acc = contractPair(a, b, keep, sizes);
    }
    const result = arrange(acc, output);
    return result === operands[0] ? alias(result) : result;
  });
}
