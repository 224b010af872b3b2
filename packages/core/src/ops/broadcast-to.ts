import { tidy } from '../engine/engine.js';
import { ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../autograd/tape.js';
import { checkShape, shapesEqual, stridesOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';
import { alias } from './reshape.js';
import { runKernel } from './kernel-call.js';

/** Repeats size-1 (or missing leading) dimensions to reach `shape`, NumPy-style. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  expectTensor(x, 'broadcastTo', 'x');
  checkShape(shape, 'broadcastTo');
  if (shapesEqual(x.shape, shape)) return alias(x);
  const lead = shape.length - x.rank;
  if (lead < 0) throw new ShapeError(`broadcastTo: cannot broadcast x ${fmtShape(x.shape)} to the lower-rank shape ${fmtShape(shape)}`);
  const xs = stridesOf(x.shape);
  const strides = shape.map((d, i) => {
    if (i < lead) return 0;
    const xd = x.shape[i - lead]!;
    if (xd === d) return xs[i - lead]!;
    if (xd === 1) return 0;
    throw new ShapeError(`broadcastTo: cannot broadcast x ${fmtShape(x.shape)} to ${fmtShape(shape)} (dimension ${i}: ${xd} vs ${d})`);
  });
  return tidy(() => {
    const view = { shape, strides, offset: 0 };
    const y = runKernel('broadcastTo', [x], ['x'], shape, x.dtype, (b, [r]) => b.copy(r!, view));
    recordOp('broadcastTo', [x], y, {});
    return y;
  });
}
