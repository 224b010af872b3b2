import { mul, sub } from '../../ops/binary.js';
import { sum } from '../../ops/reduce.js';
import type { GradRule } from '../grad-attrs.js';

/**
 * softmax's gradient from its output y alone: dx = y · (dy − Σ_axis dy·y), four kernels, where
 * differentiating its composition (max shift, exp, sum, division) took about a dozen. Masked entries
 * (y = 0) get 0.
 */
export const softmaxRules: { readonly softmax: GradRule<'softmax'> } = {
  softmax: (dy, { output: y, attrs: { axis } }) => [mul(y, sub(dy, sum(mul(dy, y), axis, true)))],
};
