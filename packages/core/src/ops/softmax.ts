import { tidy } from '../engine/engine.js';
import { recordOp, withoutTape } from '../autograd/tape.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div, sub } from './binary.js';
import { cast } from './cast.js';
import { expectTensor } from './convert.js';
import { logSumExp, max, sum } from './reduce.js';
import { exp } from './unary.js';

/**
 * exp(x) / Σ exp(x) along `axis`, shifted by the maximum so large logits stay finite. Recorded as one
 * op whose gradient is computed from the output (autograd/rules/softmax.ts).
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  expectTensor(x, 'softmax', 'x');
  const a = normalizeAxis(axis, x.rank, 'softmax');
  return tidy(() => {
    const xf = cast(x, 'float32');
    const y = withoutTape(() => {
      const e = exp(sub(xf, max(xf, a, true)));
      return div(e, sum(e, a, true));
    });
    recordOp('softmax', [xf], y, { axis: a });
    return y;
  });
}

/** log(softmax(x)) along `axis`, computed as x − logSumExp(x) (stable). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  expectTensor(x, 'logSoftmax', 'x');
  const a = normalizeAxis(axis, x.rank, 'logSoftmax');
  return tidy(() => {
    const xf = cast(x, 'float32');
    return sub(xf, logSumExp(xf, a, true));
  });
}
