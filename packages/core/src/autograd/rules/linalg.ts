import type { Conv2dInfo, PoolKind } from '../../backend/kernel-types.js';
import { runKernel } from '../../ops/kernel-call.js';
import { matmul3 } from '../../ops/matmul.js';
import { sum } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor.js';
import type { GradRule } from '../grad-attrs.js';

/** d/dx of a pooling window op: the kernel routes dy back to the cells each output read. */
function poolRule(kind: PoolKind, op: 'maxPool2d' | 'avgPool2d'): GradRule<typeof op> {
  return (dy, { inputs: [x], attrs: { info } }) => [
    runKernel(`${op}Backward`, [dy, x!], ['dy', 'x'], x!.shape, dy.dtype, (b, [rd, rx]) => b.pool2dBack(kind, rd!, rx!, info)),
  ];
}

/** The gradient of operand `which` (0: a, 1: b) of the rank-3 product, for each transpose combination. */
function matmulOperand(which: 0 | 1, a: Tensor, b: Tensor, dy: Tensor, tA: boolean, tB: boolean): Tensor {
  if (!tA && !tB) return which === 0 ? matmul3(dy, b, false, true) : matmul3(a, dy, true, false);
  if (!tA && tB) return which === 0 ? matmul3(dy, b, false, false) : matmul3(dy, a, true, false);
  if (tA && !tB) return which === 0 ? matmul3(b, dy, false, true) : matmul3(a, dy, false, false);
  return which === 0 ? matmul3(b, dy, true, true) : matmul3(dy, a, true, true);
}

function conv2dBackInput(dy: Tensor, w: Tensor, xShape: readonly number[], info: Conv2dInfo): Tensor {
  return runKernel('conv2dBackInput', [dy, w], ['dy', 'w'], xShape, dy.dtype, (b, [rd, rw]) => b.conv2dBackInput(rd!, rw!, info));
}

function conv2dBackFilter(x: Tensor, dy: Tensor, wShape: readonly number[], info: Conv2dInfo): Tensor {
  return runKernel('conv2dBackFilter', [x, dy], ['x', 'dy'], wShape, dy.dtype, (b, [rx, rd]) => b.conv2dBackFilter(rx!, rd!, info));
}

/** Gradients of the products and windows: matmul (the rank-3 kernel call), conv2d, pooling. */
export const linalgRules: { readonly [op in 'matmul' | 'conv2d' | 'maxPool2d' | 'avgPool2d']: GradRule<op> } = {
  // Only the operands that want a gradient get one: the data fed to a first layer costs no product.
  matmul: (dy, { inputs: [a, b], attrs: { transposeA, transposeB } }, needs) => [a!, b!].map((x, i) => {
    if (!needs[i]) return null;
    const g = matmulOperand(i as 0 | 1, a!, b!, dy, transposeA, transposeB);
    // A batch of 1 was broadcast against the other operand's batch: sum its gradient back.
    return x.shape[0] === 1 && g.shape[0] !== 1 ? sum(g, 0, true) : g;
  }),
  conv2d: (dy, { inputs: [x, w], attrs: { info } }, needs) => [
    needs[0] ? conv2dBackInput(dy, w!, x!.shape, info) : null,
    needs[1] ? conv2dBackFilter(x!, dy, w!.shape, info) : null,
  ],
  maxPool2d: poolRule('max', 'maxPool2d'),
  avgPool2d: poolRule('avg', 'avgPool2d'),
};
