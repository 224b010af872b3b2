import { tidy } from '../engine/engine.js';
import { ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../autograd/tape.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { cast } from './cast.js';
import { zeros } from './creation.js';
import { expectTensor } from './convert.js';
import { runKernel } from './kernel-call.js';
import { reshape } from './reshape.js';
import { productDtype } from './product-dtype.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use a's last two dimensions transposed. */
  transposeA?: boolean;
  /** Use b's last two dimensions transposed. */
  transposeB?: boolean;
}

/**
 * The rank-3 kernel call, recorded for autodiff: a [ba, ·, ·] × b [bb, ·, ·] → [max(ba, bb), m, n] (ba, bb equal or 1), both float32 or both float16.
 * A batch of untransposed a's against one b (a Linear layer over [batch, length, features]) is one
 * product of a [ba·m, k] (a free reshape) with b: one large GEMM instead of ba small ones, and its
 * gradient with respect to b is then one product over ba·m rows instead of ba products summed.
 */
export function matmul3(a: Tensor, b: Tensor, tA: boolean, tB: boolean): Tensor {
  const [ba, ar, ac] = a.shape as [number, number, number];
  const [bb, br, bc] = b.shape as [number, number, number];
  if (!tA && bb === 1 && ba > 1 && ar > 0) {
    const folded = matmul3(reshape(a, [1, ba * ar, ac]), b, false, tB);
    return reshape(folded, [ba, ar, tB ? br : bc]);
  }
  const m = tA ? ac : ar;
  const n = tB ? br : bc;
  // A batch of 1 broadcasts against any other, 0 included: [0, ·, ·] × [1, ·, ·] has no matrices at all.
  // Kernels size their output as max(ba, bb), so an empty batch never reaches them.
  const nb = ba === 1 ? bb : ba;
  const outShape = [nb, m, n];
  const y = nb === 0
    ? zeros(outShape, a.dtype)
    : runKernel('matmul', [a, b], ['a', 'b'], outShape, a.dtype, (be, [ra, rb]) =>
      be.matmul(ra!, rb!, { transposeA: tA, transposeB: tB }),
    );
  recordOp('matmul', [a, b], y, { transposeA: tA, transposeB: tB });
  return y;
}

/**
 * Matrix product with NumPy semantics: batch dimensions broadcast, a rank-1 operand is a row
 * (for a) or a column (for b) vector whose unit dimension is dropped from the result. Works in float32,
 * or in float16 (accumulating in float32) when both operands are float16.
 * @example matmul(randomNormal([8, 2, 3]), randomNormal([3, 4])) // [8, 2, 4]
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  expectTensor(a, 'matmul', 'a');
  expectTensor(b, 'matmul', 'b');
  const tA = options.transposeA ?? false;
  const tB = options.transposeB ?? false;
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(`matmul: operands must have rank ≥ 1, got a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}`);
  }
  return tidy(() => {
    const aVec = a.rank === 1;
    const bVec = b.rank === 1;
    const a2 = aVec ? reshape(a, tA ? [a.size, 1] : [1, a.size]) : a;
    const b2 = bVec ? reshape(b, tB ? [1, b.size] : [b.size, 1]) : b;
    const [ar, ac] = a2.shape.slice(-2) as [number, number];
    const [br, bc] = b2.shape.slice(-2) as [number, number];
    const k = tA ? ar : ac;
    const kb = tB ? bc : br;
    if (k !== kb) {
      throw new ShapeError(
        `matmul: inner dimensions of a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)} do not match (${k} vs ${kb})${tA || tB ? ` with transposeA=${tA}, transposeB=${tB}` : ''}`,
      );
    }
    const batchA = a2.shape.slice(0, -2);
    const batchB = b2.shape.slice(0, -2);
    let batch: number[];
    try {
      batch = broadcastShapes(batchA, batchB, 'matmul');
    } catch {
      throw new ShapeError(
        `matmul: batch dimensions of a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)} cannot be broadcast together (${fmtShape(batchA)} vs ${fmtShape(batchB)})`,
      );
    }
    const nb = sizeOf(batch);
    const to3 = (t: Tensor, own: readonly number[]): Tensor => {
      const rc = t.shape.slice(-2);
      if (sizeOf(own) === 1) return reshape(t, [1, ...rc]);
      const full = own.length === batch.length && own.every((d, i) => d === batch[i]) ? t : broadcastTo(t, [...batch, ...rc]);
      return reshape(full, [nb, ...rc]);
    };
    const dt = productDtype(a, b);
    const y3 = matmul3(cast(to3(a2, batchA), dt), cast(to3(b2, batchB), dt), tA, tB);
    const m = tA ? ac : ar;
    const n = tB ? br : bc;
    const outShape = [...batch, ...(aVec ? [] : [m]), ...(bVec ? [] : [n])];
    return reshape(y3, outShape);
  });
}
