/**
 * Layer normalisation of the rows of a float32 x [rows, n] and its input gradient, accumulating in
 * float64. Each row's deviations are taken from its first value first (exact for values near it), so
 * a constant row gives exact zeros and a row far from 0 keeps its spread.
 */

/** The row's mean as first value + mean shift, and 1/√(σ² + eps); writes the deviations x − μ to `dev`. */
function rowStats(x: Float32Array, base: number, n: number, eps: number, dev: Float64Array): number {
  const x0 = x[base]!;
  let shift = 0;
  for (let j = 0; j < n; j++) shift += x[base + j]! - x0;
  shift /= n;
  let squares = 0;
  for (let j = 0; j < n; j++) {
    const d = x[base + j]! - x0 - shift;
    dev[j] = d;
    squares += d * d;
  }
  return 1 / Math.sqrt(squares / n + eps);
}

/** out = (x − μ) · rstd per row of x [rows, n]. */
export function layerNormKernel(x: Float32Array, shape: readonly number[], eps: number): Float32Array {
  const [rows, n] = shape as [number, number];
  const out = new Float32Array(rows * n);
  const dev = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const rstd = rowStats(x, r * n, n, eps, dev);
    for (let j = 0; j < n; j++) out[r * n + j] = dev[j]! * rstd;
  }
  return out;
}

/** dx = rstd · (dy − mean(dy) − x̂ · mean(dy · x̂)) per row, x̂ = (x − μ) · rstd recomputed from x. */
export function layerNormGradKernel(x: Float32Array, dy: Float32Array, shape: readonly number[], eps: number): Float32Array {
  const [rows, n] = shape as [number, number];
  const out = new Float32Array(rows * n);
  const dev = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    const rstd = rowStats(x, base, n, eps, dev);
    let sumG = 0;
    let sumGHat = 0;
    for (let j = 0; j < n; j++) {
      const g = dy[base + j]!;
      sumG += g;
      sumGHat += g * dev[j]! * rstd;
    }
    const meanG = sumG / n;
    const meanGHat = sumGHat / n;
    for (let j = 0; j < n; j++) out[base + j] = rstd * (dy[base + j]! - meanG - dev[j]! * rstd * meanGHat);
  }
  return out;
}
