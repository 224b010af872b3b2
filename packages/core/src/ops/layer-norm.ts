/**
 * Layer normalisation (PyTorch's F.layer_norm): each row of x's trailing `normalizedShape` axes is
 * normalised by one backend kernel, recorded as one op whose gradient (autograd/rules/layer-norm.ts)
 * is one kernel too; the optional affine weight and bias are an ordinary mul and add.
 */
import { recordOp, withoutTape } from '../autograd/tape.js';
import { isFloatDType } from '../dtype.js';
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { add, mul } from './binary.js';
import { cast } from './cast.js';
import { expectTensor } from './convert.js';
import { runKernel } from './kernel-call.js';
import { reshape } from './reshape.js';

/** Options of {@link layerNorm} (PyTorch's defaults). */
export interface LayerNormOptions {
  /** Multiplies the normalised values (shape `normalizedShape`); none by default. */
  weight?: Tensor;
  /** Added after the weight (shape `normalizedShape`); none by default. */
  bias?: Tensor;
  /** Added to the variance before the square root: a finite number ≥ 0 (default 1e-5). */
  eps?: number;
}

function checkNormalizedShape(normalizedShape: unknown): number[] {
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    const got = Array.isArray(normalizedShape) ? `[${normalizedShape.map(String).join(',')}]` : String(normalizedShape);
    throw new ArgumentError(`layerNorm: normalizedShape must be a non-negative integer or a non-empty array of them, got ${got}`);
  }
  return shape as number[];
}

function checkAffine(arg: 'weight' | 'bias', t: unknown, shape: readonly number[]): Tensor | undefined {
  if (t === undefined) return undefined;
  const w = expectTensor(t, 'layerNorm', arg);
  if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`layerNorm: ${arg} ${fmtShape(w.shape)} must have the shape of normalizedShape ${fmtShape(shape)}`);
  }
  return w;
}

/** x as [rows, n] rows of its last `trailing` axes. */
function rowsOf(x: Tensor, trailing: number): [number, number] {
  let n = 1;
  for (const d of x.shape.slice(x.rank - trailing)) n *= d;
  let rows = 1;
  for (const d of x.shape.slice(0, x.rank - trailing)) rows *= d;
  return [rows, n];
}

/**
 * Layer normalisation over the trailing axes of x named by `normalizedShape` (which x's shape must end
 * in): each such row has its mean μ and biased variance σ² taken, and becomes (x − μ) / √(σ² + eps),
 * then `· weight + bias` where given (each of shape `normalizedShape`), as PyTorch's
 * `F.layer_norm(x, normalized_shape, weight, bias, eps)`. float32 and float16 x keep their dtype;
 * int32 and bool x are normalised as float32. A row holding NaN or ±Infinity gives NaN throughout.
 * Differentiable in x, weight and bias.
 * @example layerNorm(x, [128], { weight: gamma, bias: beta }) // x [batch, time, 128]
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], options: LayerNormOptions = {}): Tensor {
  expectTensor(x, 'layerNorm', 'x');
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`layerNorm: options must be an object, got ${String(options)}`);
  const shape = checkNormalizedShape(normalizedShape);
  const tail = x.shape.slice(x.rank - shape.length);
  if (x.rank < shape.length || tail.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`layerNorm: x ${fmtShape(x.shape)} does not end in normalizedShape ${fmtShape(shape)}`);
  }
  const weight = checkAffine('weight', options.weight, shape);
  const bias = checkAffine('bias', options.bias, shape);
  const eps = options.eps ?? 1e-5;
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new ArgumentError(`layerNorm: eps must be a finite number ≥ 0, got ${String(eps)}`);
  }
  return tidy(() => {
    const xf = isFloatDType(x.dtype) ? x : cast(x, 'float32');
    const rows = rowsOf(xf, shape.length);
    const normed = withoutTape(() => {
      const y = runKernel('layerNorm', [reshape(xf, rows)], ['x'], rows, xf.dtype, (b, [r]) => b.layerNorm(r!, eps));
      return reshape(y, xf.shape);
    });
    recordOp('layerNorm', [xf], normed, { eps, trailing: shape.length });
    let y = normed;
    if (weight) y = mul(y, weight);
    if (bias) y = add(y, bias);
    return y;
  });
}

/**
 * The input gradient of layer normalisation without affine (core-internal, for the gradient rule):
 * one kernel that recomputes each row's mean and 1/√(σ² + eps) from x and returns
 * rstd · (dy − mean(dy) − x̂ · mean(dy · x̂)), x̂ the normalised row; of x's dtype and shape.
 */
export function layerNormBackward(x: Tensor, dy: Tensor, trailing: number, eps: number): Tensor {
  return tidy(() => {
    const rows = rowsOf(x, trailing);
    const g = dy.dtype === x.dtype ? dy : cast(dy, x.dtype);
    const dx = runKernel('layerNorm', [reshape(x, rows), reshape(g, rows)], ['x', 'dy'], rows, x.dtype, (b, [xr, gr]) => b.layerNormGrad(xr!, gr!, eps));
    return reshape(dx, x.shape);
  });
}
