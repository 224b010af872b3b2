import type { NDArray } from './reference/ndarray.js';

/** Σ over outputs of Σ ref(xs)·c, in float64 (non-float outputs carry no gradient and are skipped). */
export function scalarObjective(ref: (...xs: NDArray[]) => NDArray | NDArray[], xs: NDArray[], cotangents: readonly NDArray[]): number {
  const out = ref(...xs);
  const outs = Array.isArray(out) ? out : [out];
  let total = 0;
  outs.forEach((o, k) => {
    if (o.dtype !== 'float32') return;
    const c = cotangents[k]!;
    for (let i = 0; i < o.data.length; i++) total += o.data[i]! * c.data[i]!;
  });
  return total;
}

/**
 * Central differences of the objective with respect to input `which`, in float64 on the reference:
 * ∂/∂x_j ≈ (L(x + h e_j) - L(x - h e_j)) / 2h with h = 1e-6·max(1, |x_j|). With `only`, just those
 * flat indices are computed (the rest stay 0).
 */
export function numericGradient(
  ref: (...xs: NDArray[]) => NDArray | NDArray[],
  xs: readonly NDArray[],
  cotangents: readonly NDArray[],
  which: number,
  only?: readonly number[],
): NDArray {
  const x = xs[which]!;
  const grad = new Float64Array(x.data.length);
  const work = Float64Array.from(x.data);
  const args = [...xs];
  args[which] = { shape: x.shape, dtype: x.dtype, data: work };
  for (const j of only ?? work.keys()) {
    const v = x.data[j]!;
    const h = 1e-6 * Math.max(1, Math.abs(v));
    work[j] = v + h;
    const up = scalarObjective(ref, args, cotangents);
    work[j] = v - h;
    const down = scalarObjective(ref, args, cotangents);
    work[j] = v;
    grad[j] = (up - down) / (2 * h);
  }
  return { shape: x.shape, dtype: 'float32', data: grad };
}

/** Central difference of the objective along direction v of input `which`: (L(x + h v) - L(x - h v)) / 2h. */
export function directionalDerivative(
  ref: (...xs: NDArray[]) => NDArray | NDArray[],
  xs: readonly NDArray[],
  cotangents: readonly NDArray[],
  which: number,
  v: NDArray,
): number {
  const x = xs[which]!;
  let scale = 1;
  for (const e of x.data) scale = Math.max(scale, Math.abs(e));
  const h = 1e-6 * scale;
  const at = (sign: number): number => {
    const args = [...xs];
    args[which] = { shape: x.shape, dtype: x.dtype, data: x.data.map((e, j) => e + sign * h * v.data[j]!) };
    return scalarObjective(ref, args, cotangents);
  };
  return (at(1) - at(-1)) / (2 * h);
}
