import { runKernel } from '../../ops/kernel-call.js';
import type { GradRule } from '../grad-attrs.js';

/**
 * Gradients of conv2dTranspose, which runs the input-gradient kernel of the convolution described by
 * `info` (that convolution maps the output's shape to x's). The cotangent of x is that convolution
 * applied to dy; the cotangent of w is its filter gradient with dy in the role of the convolution's
 * input and x in the role of its output gradient.
 */
export const convTransposeRules: { readonly conv2dTranspose: GradRule<'conv2dTranspose'> } = {
  conv2dTranspose: (dy, { inputs: [x, w], attrs: { info } }, needs) => [
    needs[0] ? runKernel('conv2d', [dy, w!], ['dy', 'w'], x!.shape, 'float32', (b, [rd, rw]) => b.conv2d(rd!, rw!, info)) : null,
    needs[1] ? runKernel('conv2dBackFilter', [dy, x!], ['dy', 'x'], w!.shape, 'float32', (b, [rd, rx]) => b.conv2dBackFilter(rd!, rx!, info)) : null,
  ],
};
