import type { Tolerance } from './cases/types.js';
import { unravel, type NDArray } from './reference/ndarray.js';

const fmtShape = (s: readonly number[]): string => `[${s.join(',')}]`;

/** The allowed |got - want| for one element. */
export function allowedError(tol: Tolerance, want: number, maxAbsWant: number, half = false): number {
  if (tol === 'exact') return 0;
  // float16 (10-bit mantissa): the result and the reference are each rounded once to half, so they may
  // differ by one unit in the last place (2^-10 relative); sums add float32 accumulation on top.
  if (half) {
    if (tol === 'elementwise') return 1e-3 * Math.abs(want) + 6e-8;
    return 1e-3 * Math.abs(want) + 2e-5 * Math.sqrt(Math.max(1, tol.accumulate)) * Math.max(1, maxAbsWant);
  }
  if (tol === 'elementwise') return 1e-5 * Math.abs(want) + 1e-6;
  // Rounding in a float32 sum of n terms grows like √n times the result's scale.
  return 1e-5 * Math.abs(want) + 2e-6 * Math.sqrt(Math.max(1, tol.accumulate)) * Math.max(1, maxAbsWant);
}

function sameSpecial(g: number, w: number): boolean {
  return (Number.isNaN(g) && Number.isNaN(w)) || g === w;
}

/**
 * Compares a result with the reference. Returns null when they agree, else a readable description
 * (shape / dtype mismatch, or the worst element with got vs expected and how many elements are off).
 */
export function compareArrays(got: NDArray, want: NDArray, tol: Tolerance, what = 'output'): string | null {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    return `${what}: shape ${fmtShape(got.shape)}, expected ${fmtShape(want.shape)}`;
  }
  if (got.dtype !== want.dtype) return `${what}: dtype ${got.dtype}, expected ${want.dtype}`;
  const half = want.dtype === 'float16';
  const effective: Tolerance = want.dtype === 'float32' || half ? tol : 'exact';
  let maxAbs = 0;
  for (const w of want.data) if (Number.isFinite(w)) maxAbs = Math.max(maxAbs, Math.abs(w));
  let bad = 0;
  let worst = -1;
  let worstRatio = -1;
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i]!;
    const w = want.data[i]!;
    if (sameSpecial(g, w)) continue;
    const allowed = allowedError(effective, w, maxAbs, half);
    const diff = Math.abs(g - w);
    if (diff <= allowed) continue;
    bad++;
    const ratio = Number.isFinite(diff) ? diff / (allowed || Number.MIN_VALUE) : Infinity;
    if (ratio > worstRatio || worst < 0) {
      worstRatio = ratio;
      worst = i;
    }
  }
  if (bad === 0) return null;
  const g = got.data[worst]!;
  const w = want.data[worst]!;
  const allowed = allowedError(effective, w, maxAbs, half);
  return (
    `${what}: ${bad} of ${want.data.length} elements outside tolerance (${typeof effective === 'string' ? effective : `accumulate ${effective.accumulate}`}); ` +
    `worst at flat index ${worst} ${fmtShape(unravel(worst, want.shape))}: got ${g}, expected ${w} (|diff| ${Math.abs(g - w).toExponential(3)} > allowed ${allowed.toExponential(3)})`
  );
}

/** Gradient comparison: |got - want| ≤ 2e-3·|want| + 1e-4·max(1, max|want|), scaled up for long accumulations. */
export function compareGradients(got: NDArray, want: NDArray, what: string, scale = 1): string | null {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    return `${what}: shape ${fmtShape(got.shape)}, expected ${fmtShape(want.shape)}`;
  }
  let maxAbs = 0;
  for (const w of want.data) maxAbs = Math.max(maxAbs, Math.abs(w));
  let bad = 0;
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i]!;
    const w = want.data[i]!;
    const allowed = 2e-3 * Math.abs(w) + 1e-4 * scale * Math.max(1, maxAbs);
    const diff = Math.abs(g - w);
    if (diff <= allowed) continue;
    bad++;
    const excess = Number.isNaN(diff) ? Infinity : diff - allowed;
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (bad === 0) return null;
  return (
    `${what}: ${bad} of ${want.data.length} gradient elements off; worst at flat index ${worst} ${fmtShape(unravel(worst, want.shape))}: ` +
    `autodiff ${got.data[worst]}, central difference ${want.data[worst]}`
  );
}
