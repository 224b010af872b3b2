import type { StridedView } from '../../backend/kernel-types.js';
import { tensor, zeros } from '../../ops/creation.js';
import { runKernel } from '../../ops/kernel-call.js';
import { reshape } from '../../ops/reshape.js';
import type { GradRule } from '../grad-attrs.js';

/** The ops of strided slicing and scattering, each the adjoint of a gather. */
type IndexingOp = 'scatterAdd' | 'stridedSlice';

/** The flat index into the viewed buffer of each element of `view`, row-major. */
function viewPositions(view: StridedView, size: number): Int32Array {
  const out = new Int32Array(size);
  const rank = view.shape.length;
  const idx = new Array<number>(rank).fill(0);
  let pos = view.offset;
  for (let i = 0; i < size; i++) {
    out[i] = pos;
    // Advance the multi-index like an odometer, keeping pos in step.
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      pos += view.strides[a]!;
      if (idx[a]! < view.shape[a]!) break;
      pos -= idx[a]! * view.strides[a]!;
      idx[a] = 0;
    }
  }
  return out;
}

/** Gradients of scatterAdd and stridedSlice: each is a gather or a scatter of dy through the same (already checked) indices. */
export const indexingRules: { readonly [op in IndexingOp]: GradRule<op> | null } = {
  // out[..., indices[j], ...] += updates[..., j, ...]: each update's cotangent is dy where it landed.
  scatterAdd: (dy, { inputs: [updates], attrs: { indices, axis } }) => [
    runKernel('gather', [dy, indices], ['x', 'indices'], updates!.shape, 'float32', (b, [rd, ri]) => b.gather(rd!, ri!, axis)),
  ],
  // Each output element is one distinct element of x: dy goes back there, zeros elsewhere.
  stridedSlice: (dy, { inputs: [x], attrs: { view } }) => {
    if (dy.size === 0) return [zeros(x!.shape)];
    const positions = tensor(viewPositions(view, dy.size), [dy.size], 'int32');
    const flat = runKernel('scatterAdd', [reshape(dy, [dy.size]), positions], ['updates', 'indices'], [x!.size], 'float32',
      (b, [rd, ri]) => b.scatterAdd(rd!, ri!, 0, [x!.size]));
    return [reshape(flat, x!.shape)];
  },
};
