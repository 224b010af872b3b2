import { ArgumentError, fmtShape } from '../errors.js';
import { recordOp } from '../autograd/tape.js';
import { stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';
import { alias } from './reshape.js';
import { runKernel } from './kernel-call.js';

/** Reorders dimensions: output axis i is input axis perm[i]. Without perm, reverses them. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  expectTensor(x, 'transpose', 'x');
  const p = perm ? [...perm] : x.shape.map((_, i) => x.rank - 1 - i);
  const seen = new Set<number>();
  if (p.length !== x.rank) throw new ArgumentError(`transpose: perm [${p.join(',')}] must list each of the ${x.rank} axes of x ${fmtShape(x.shape)} once`);
  for (const a of p) {
    if (!Number.isInteger(a) || a < 0 || a >= x.rank || seen.has(a)) {
      throw new ArgumentError(`transpose: perm [${p.join(',')}] is not a permutation of 0..${x.rank - 1} (x ${fmtShape(x.shape)})`);
    }
    seen.add(a);
  }
  if (p.every((a, i) => a === i)) return alias(x);
  const xs = stridesOf(x.shape);
  const view = { shape: p.map((a) => x.shape[a]!), strides: p.map((a) => xs[a]!), offset: 0 };
  const y = runKernel('transpose', [x], ['x'], view.shape, x.dtype, (b, [r]) => b.copy(r!, view));
  recordOp('transpose', [x], y, { perm: p });
  return y;
}

/** Alias of {@link transpose} with a required permutation, as in PyTorch. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  return transpose(x, perm);
}
