// Layer normalisation of the rows [r0, r1) of a contiguous float32 x [rows, n] (n ≥ 1), and its input
// gradient. Every pass over a row is SIMD with a scalar tail. Deviations are taken from the row's first
// value x0 before the mean shift is removed, d = (x − x0) − mean(x − x0): exact for values near x0, so a
// constant row gives exact zeros and a row far from 0 keeps its spread.
import { at } from './simd';

/** Σ (x[j] − x0) over the row. */
// @ts-ignore: decorator
@inline function sumShifted(x: usize, n: i32, x0: f32): f32 {
  let i = 0;
  let acc: f32 = 0;
  if (ASC_FEATURE_SIMD && n >= 8) {
    const s = f32x4.splat(x0);
    let v0 = f32x4.splat(0);
    let v1 = v0;
    for (; i + 8 <= n; i += 8) {
      const p = at(x, i);
      v0 = f32x4.add(v0, f32x4.sub(v128.load(p), s));
      v1 = f32x4.add(v1, f32x4.sub(v128.load(p, 16), s));
    }
    const v = f32x4.add(v0, v1);
    acc = (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
  }
  for (; i < n; i++) acc += load<f32>(at(x, i)) - x0;
  return acc;
}

/** Σ d² over the row, d = (x − x0) − shift. */
// @ts-ignore: decorator
@inline function sumSquares(x: usize, n: i32, x0: f32, shift: f32): f32 {
  let i = 0;
  let acc: f32 = 0;
  if (ASC_FEATURE_SIMD && n >= 8) {
    const s = f32x4.splat(x0);
    const m = f32x4.splat(shift);
    let v0 = f32x4.splat(0);
    let v1 = v0;
    for (; i + 8 <= n; i += 8) {
      const p = at(x, i);
      const d0 = f32x4.sub(f32x4.sub(v128.load(p), s), m);
      const d1 = f32x4.sub(f32x4.sub(v128.load(p, 16), s), m);
      v0 = f32x4.add(v0, f32x4.mul(d0, d0));
      v1 = f32x4.add(v1, f32x4.mul(d1, d1));
    }
    const v = f32x4.add(v0, v1);
    acc = (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
  }
  for (; i < n; i++) {
    const d = (load<f32>(at(x, i)) - x0) - shift;
    acc += d * d;
  }
  return acc;
}

/** out[j] = ((x[j] − x0) − shift) · rstd over the row. */
// @ts-ignore: decorator
@inline function writeNormalized(x: usize, out: usize, n: i32, x0: f32, shift: f32, rstd: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const s = f32x4.splat(x0);
    const m = f32x4.splat(shift);
    const r = f32x4.splat(rstd);
    for (; i + 4 <= n; i += 4) v128.store(at(out, i), f32x4.mul(f32x4.sub(f32x4.sub(v128.load(at(x, i)), s), m), r));
  }
  for (; i < n; i++) store<f32>(at(out, i), ((load<f32>(at(x, i)) - x0) - shift) * rstd);
}

/** out = (x − μ) / √(σ² + eps) for rows [r0, r1) of x [rows, n]. */
export function layerNorm(x: usize, out: usize, n: i32, eps: f32, r0: i32, r1: i32): void {
  const inv: f32 = 1.0 / <f32>n;
  for (let r = r0; r < r1; r++) {
    const row = at(x, r * n);
    const x0 = load<f32>(row);
    const shift = sumShifted(row, n, x0) * inv;
    const rstd: f32 = 1.0 / Mathf.sqrt(sumSquares(row, n, x0, shift) * inv + eps);
    writeNormalized(row, at(out, r * n), n, x0, shift, rstd);
  }
}

/**
 * dx = rstd · (dy − mean(dy) − x̂ · mean(dy · x̂)) for rows [r0, r1), with x̂ = (x − μ) · rstd recomputed
 * from x as {@link layerNorm} computes it.
 */
export function layerNormGrad(x: usize, dy: usize, out: usize, n: i32, eps: f32, r0: i32, r1: i32): void {
  const inv: f32 = 1.0 / <f32>n;
  for (let r = r0; r < r1; r++) {
    const row = at(x, r * n);
    const g = at(dy, r * n);
    const dst = at(out, r * n);
    const x0 = load<f32>(row);
    const shift = sumShifted(row, n, x0) * inv;
    const rstd: f32 = 1.0 / Mathf.sqrt(sumSquares(row, n, x0, shift) * inv + eps);
    // Σ dy and Σ dy · x̂.
    let i = 0;
    let sumG: f32 = 0;
    let sumGHat: f32 = 0;
    if (ASC_FEATURE_SIMD && n >= 4) {
      const s = f32x4.splat(x0);
      const m = f32x4.splat(shift);
      const rv = f32x4.splat(rstd);
      let vg = f32x4.splat(0);
      let vgh = vg;
      for (; i + 4 <= n; i += 4) {
        const gv = v128.load(at(g, i));
        const hat = f32x4.mul(f32x4.sub(f32x4.sub(v128.load(at(row, i)), s), m), rv);
        vg = f32x4.add(vg, gv);
        vgh = f32x4.add(vgh, f32x4.mul(gv, hat));
      }
      sumG = (f32x4.extract_lane(vg, 0) + f32x4.extract_lane(vg, 1)) + (f32x4.extract_lane(vg, 2) + f32x4.extract_lane(vg, 3));
      sumGHat = (f32x4.extract_lane(vgh, 0) + f32x4.extract_lane(vgh, 1)) + (f32x4.extract_lane(vgh, 2) + f32x4.extract_lane(vgh, 3));
    }
    for (; i < n; i++) {
      const gj = load<f32>(at(g, i));
      sumG += gj;
      sumGHat += gj * (((load<f32>(at(row, i)) - x0) - shift) * rstd);
    }
    const meanG = sumG * inv;
    const meanGHat = sumGHat * inv;
    i = 0;
    if (ASC_FEATURE_SIMD) {
      const s = f32x4.splat(x0);
      const m = f32x4.splat(shift);
      const rv = f32x4.splat(rstd);
      const mg = f32x4.splat(meanG);
      const mgh = f32x4.splat(meanGHat);
      for (; i + 4 <= n; i += 4) {
        const hat = f32x4.mul(f32x4.sub(f32x4.sub(v128.load(at(row, i)), s), m), rv);
        const inner = f32x4.sub(f32x4.sub(v128.load(at(g, i)), mg), f32x4.mul(hat, mgh));
        v128.store(at(dst, i), f32x4.mul(rv, inner));
      }
    }
    for (; i < n; i++) {
      const hat = ((load<f32>(at(row, i)) - x0) - shift) * rstd;
      store<f32>(at(dst, i), rstd * ((load<f32>(at(g, i)) - meanG) - hat * meanGHat));
    }
  }
}
