import { isFloatDType } from '../../dtype.js';
import { cast } from '../../ops/cast.js';
import { where } from '../../ops/binary.js';
import { runKernel } from '../../ops/kernel-call.js';
import { reshape } from '../../ops/reshape.js';
import { flip } from '../../ops/rearrange.js';
import { pad, slice } from '../../ops/slicing.js';
import { transpose } from '../../ops/transpose.js';
import type { GradRule } from '../grad-attrs.js';
import { unbroadcast } from '../unbroadcast.js';

/** The ops that move, select or re-type data. */
type ShapeOp = 'where' | 'cast' | 'reshape' | 'broadcastTo' | 'transpose' | 'slice' | 'flip' | 'pad' | 'concat' | 'gather';

/** Gradients of the data-movement ops: each sends dy back to where its values came from. */
export const shapeRules: { readonly [op in ShapeOp]: GradRule<op> | null } = {
  where: (dy, { inputs: [a, b], attrs: { cond } }, needs) => [
    needs[0] ? unbroadcast(where(cond, dy, 0), a!.shape) : null,
    needs[1] ? unbroadcast(where(cond, 0, dy), b!.shape) : null,
  ],
  // float32 ↔ float16 passes the gradient through, re-typed; int32 / bool inputs carry none.
  cast: (dy, { inputs: [x] }) => [isFloatDType(x!.dtype) ? cast(dy, x!.dtype) : null],
  reshape: (dy, { inputs: [x] }) => [reshape(dy, x!.shape)],
  broadcastTo: (dy, { inputs: [x] }) => [unbroadcast(dy, x!.shape)],
  transpose: (dy, { attrs: { perm } }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((a, i) => (inverse[a] = i));
    return [transpose(dy, inverse)];
  },
  slice: (dy, { inputs: [x], output, attrs: { begin } }) => [
    pad(dy, x!.shape.map((d, i) => [begin[i]!, d - begin[i]! - output.shape[i]!] as [number, number])),
  ],
  flip: (dy, { attrs: { axes } }) => [flip(dy, axes)],
  pad: (dy, { inputs: [x], attrs: { paddings } }) => [slice(dy, paddings.map((p) => p[0]), x!.shape)],
  concat: (dy, { inputs, attrs: { axis } }, needs) => {
    let at = 0;
    return inputs.map((t, i) => {
      const begin = t.shape.map((_, j) => (j === axis ? at : 0));
      at += t.shape[axis]!;
      return needs[i] ? slice(dy, begin, t.shape) : null;
    });
  },
  gather: (dy, { inputs: [x], attrs: { indices, axis } }) => [
    runKernel('scatterAdd', [dy, indices], ['updates', 'indices'], x!.shape, 'float32', (b, [rd, ri]) => b.scatterAdd(rd!, ri!, axis, x!.shape)),
  ],
};
