import type { UnaryAttrs, UnaryGradOp } from '../backend/kernel-types.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './kernel-call.js';

/**
 * dx = dy · op'(x) as one backend kernel, from the op's fused derivative forms (its definition's `grad`):
 * x, y = op(x) and dy are float32 tensors of one shape. Used by the unary gradient rules, which run with
 * recording paused, so nothing is recorded here.
 */
export function unaryGrad(op: UnaryGradOp, x: Tensor, y: Tensor, dy: Tensor, attrs: UnaryAttrs): Tensor {
  return runKernel(`${op} gradient`, [x, y, dy], ['x', 'y', 'dy'], x.shape, 'float32', (b, [rx, ry, rdy]) => b.unaryGrad(op, rx!, ry!, rdy!, attrs));
}
