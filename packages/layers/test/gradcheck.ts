import { reference } from '@scratchnet/core/testing';
import type { NDArray } from './ref-types.js';

type Ref = (...xs: NDArray[]) => NDArray;

/** Σ ref(xs) · c in float64. */
function objective(ref: Ref, xs: NDArray[], c: NDArray): number {
  const out = ref(...xs);
  let total = 0;
  for (let i = 0; i < out.data.length; i++) total += out.data[i]! * c.data[i]!;
  return total;
}

/** Central-difference gradient of Σ ref(xs)·c with respect to xs[which], in float64. */
export function numericGradient(ref: Ref, xs: readonly NDArray[], c: NDArray, which: number): NDArray {
  const x = xs[which]!;
  const work = Float64Array.from(x.data);
  const args = [...xs];
  args[which] = { shape: x.shape, dtype: x.dtype, data: work };
  const g = new Float64Array(work.length);
  for (let j = 0; j < work.length; j++) {
    const v = x.data[j]!;
    const h = 1e-6 * Math.max(1, Math.abs(v));
    work[j] = v + h;
    const up = objective(ref, args, c);
    work[j] = v - h;
    const down = objective(ref, args, c);
    work[j] = v;
    g[j] = (up - down) / (2 * h);
  }
  return reference.nd(x.shape, g);
}

/** Largest |a − b| relative to (atol + rtol·|b|); ≤ 1 means within tolerance. */
export function worstError(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number): { ratio: number; index: number } {
  let ratio = 0;
  let index = -1;
  for (let i = 0; i < want.length; i++) {
    const r = Math.abs(got[i]! - want[i]!) / (atol + rtol * Math.abs(want[i]!));
    if (!(r <= ratio)) {
      ratio = r;
      index = i;
    }
  }
  return { ratio, index };
}
