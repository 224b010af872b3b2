import { fromFn, sizeOfShape, storeAs, type NDArray } from './ndarray.js';

/**
 * Layer normalisation in float64, from its definition: x is split into rows of the last `trailing`
 * axes; each row's mean μ and biased variance σ² = Σ (x − μ)² / n give (x − μ) / √(σ² + eps), then
 * times `weight` and plus `bias` (each of the rows' shape, when given). The result has x's float dtype
 * (float16 rounds once at the end; int32 and bool give float32).
 */
export function refLayerNorm(x: NDArray, trailing: number, eps: number, weight?: NDArray, bias?: NDArray): NDArray {
  const n = sizeOfShape(x.shape.slice(x.shape.length - trailing));
  const rows = n === 0 ? 0 : x.data.length / n;
  const values = new Float64Array(x.data.length);
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let j = 0; j < n; j++) total += x.data[r * n + j]!;
    const mu = total / n;
    let squares = 0;
    for (let j = 0; j < n; j++) squares += (x.data[r * n + j]! - mu) ** 2;
    const root = Math.sqrt(squares / n + eps);
    for (let j = 0; j < n; j++) {
      let v = (x.data[r * n + j]! - mu) / root;
      if (weight) v *= weight.data[j]!;
      if (bias) v += bias.data[j]!;
      values[r * n + j] = v;
    }
  }
  const dtype = x.dtype === 'float16' ? 'float16' : 'float32';
  return fromFn(x.shape, dtype, (i) => storeAs(values[i]!, dtype));
}

/**
 * The derivative of Σ dy · refLayerNorm(x) (no affine) with respect to x, in float64, from the chain
 * rule through μ and σ: with s = √(σ² + eps) and x̂ = (x − μ) / s,
 * dx = (dy − mean(dy) − x̂ · mean(dy · x̂)) / s over each row. Rounded to x's float dtype.
 */
export function refLayerNormInputGrad(x: NDArray, dy: NDArray, trailing: number, eps: number): NDArray {
  const n = sizeOfShape(x.shape.slice(x.shape.length - trailing));
  const rows = n === 0 ? 0 : x.data.length / n;
  const values = new Float64Array(x.data.length);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.data.subarray(r * n, (r + 1) * n));
    const g = Array.from(dy.data.subarray(r * n, (r + 1) * n));
    const mu = row.reduce((a, v) => a + v, 0) / n;
    const s = Math.sqrt(row.reduce((a, v) => a + (v - mu) ** 2, 0) / n + eps);
    const hat = row.map((v) => (v - mu) / s);
    const meanG = g.reduce((a, v) => a + v, 0) / n;
    const meanGHat = g.reduce((a, v, j) => a + v * hat[j]!, 0) / n;
    for (let j = 0; j < n; j++) values[r * n + j] = (g[j]! - meanG - hat[j]! * meanGHat) / s;
  }
  const dtype = x.dtype === 'float16' ? 'float16' : 'float32';
  return fromFn(x.shape, dtype, (i) => storeAs(values[i]!, dtype));
}
