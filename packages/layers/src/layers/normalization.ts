import {
  ArgumentError, ShapeError, add, fmtShape, full, layerNorm, mean, mul, reshape, rsqrt, square, type Tensor, type Variable,
} from '@scratchnet/core';
import { isAutocastEnabled, toFloat32 } from '../mixed-precision/autocast.js';
import { Module, expectRank, registerModule } from '../module.js';
import { checkPositiveInt, checkRange } from './checks.js';

/** PyTorch's `torch.finfo(torch.float32).eps`: RMSNorm's default epsilon for float32 input. */
export const FLOAT32_EPS = 1.1920928955078125e-7;

function toShape(layer: string, normalizedShape: number | readonly number[]): number[] {
  if (!Array.isArray(normalizedShape) && typeof normalizedShape !== 'number') {
    throw new ArgumentError(`${layer}: normalizedShape must be a positive integer or an array of them, got ${String(normalizedShape)}`);
  }
  const shape: number[] = typeof normalizedShape === 'number' ? [normalizedShape] : [...(normalizedShape as readonly number[])];
  if (shape.length === 0) throw new ArgumentError(`${layer}: normalizedShape must name at least one dimension, got []`);
  shape.forEach((d) => checkPositiveInt(layer, 'normalizedShape', d));
  return shape;
}

/** Norms compute in float32 under autocast, as PyTorch's autocast runs them. */
function normInput(x: Tensor): Tensor {
  return isAutocastEnabled() ? toFloat32(x) : x;
}

/** Checks that x ends in `shape`; returns the axes to normalise over (the last shape.length). */
function trailingAxes(layer: string, x: Tensor, shape: readonly number[]): number[] {
  expectRank(layer, x, Array.from({ length: 8 - shape.length + 1 }, (_, i) => shape.length + i), 'a');
  const tail = x.shape.slice(x.rank - shape.length);
  if (tail.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${layer}: input ${fmtShape(x.shape)} does not end in normalizedShape ${fmtShape(shape)}`);
  }
  return shape.map((_, i) => x.rank - shape.length + i);
}

/** Options of {@link LayerNorm} (PyTorch's defaults). */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn a per-element scale (`weight`, ones) and shift (`bias`, zeros) (default true). */
  elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, also learn the shift (default true). */
  bias?: boolean;
}

/**
 * Layer normalisation, as PyTorch's nn.LayerNorm: over the last `normalizedShape.length` axes,
 * y = (x − mean) / √(biased variance + eps) · weight + bias, the same in training and evaluation.
 * `weight` and `bias` have shape `normalizedShape`. Runs core's {@link layerNorm} (one kernel forward,
 * one backward).
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: Variable | null;
  readonly bias: Variable | null;

  constructor(normalizedShape: number | readonly number[], readonly options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = toShape('LayerNorm', normalizedShape);
    this.eps = options.eps ?? 1e-5;
    checkRange('LayerNorm', 'eps', this.eps, 0, Infinity);
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? this.addParameter('weight', full(this.normalizedShape, 1)) : null;
    this.bias = affine && (options.bias ?? true) ? this.addParameter('bias', full(this.normalizedShape, 0)) : null;
  }

  forward(x: Tensor): Tensor {
    trailingAxes('LayerNorm', x, this.normalizedShape);
    return layerNorm(normInput(x), this.normalizedShape, { weight: this.weight ?? undefined, bias: this.bias ?? undefined, eps: this.eps });
  }

  protected getConfig(): Record<string, unknown> {
    return { normalizedShape: [...this.normalizedShape], ...this.options };
  }
}

/** Options of {@link RMSNorm}. */
export interface RMSNormOptions {
  /** Added to the mean square (default: float32's machine epsilon, as PyTorch's `eps=None`). */
  eps?: number;
  /** Learn a per-element scale (`weight`, ones) (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Root-mean-square normalisation, as PyTorch's nn.RMSNorm: over the last
 * `normalizedShape.length` axes, y = x / √(mean(x²) + eps) · weight. No centring and no bias.
 */
export class RMSNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: Variable | null;

  constructor(normalizedShape: number | readonly number[], readonly options: RMSNormOptions = {}) {
    super();
    this.normalizedShape = toShape('RMSNorm', normalizedShape);
    this.eps = options.eps ?? FLOAT32_EPS;
    checkRange('RMSNorm', 'eps', this.eps, 0, Infinity);
    this.weight = options.elementwiseAffine ?? true ? this.addParameter('weight', full(this.normalizedShape, 1)) : null;
  }

  forward(x: Tensor): Tensor {
    const axes = trailingAxes('RMSNorm', x, this.normalizedShape);
    const y = mul(x, rsqrt(add(mean(square(x), axes, true), this.eps)));
    return this.weight ? mul(y, this.weight) : y;
  }

  protected getConfig(): Record<string, unknown> {
    return { normalizedShape: [...this.normalizedShape], ...this.options };
  }
}

/** Options of {@link GroupNorm} (PyTorch's defaults). */
export interface GroupNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale (`weight`, ones) and shift (`bias`, zeros) (default true). */
  affine?: boolean;
}

/**
 * Group normalisation, as PyTorch's nn.GroupNorm: the channels (axis 1) of [N, C, ...] input are
 * split into `numGroups` groups; each sample's group is normalised over its channels and positions
 * (biased variance), then scaled and shifted per channel. Same in training and evaluation.
 */
export class GroupNorm extends Module {
  readonly eps: number;
  readonly weight: Variable | null;
  readonly bias: Variable | null;

  constructor(readonly numGroups: number, readonly numChannels: number, readonly options: GroupNormOptions = {}) {
    super();
    checkPositiveInt('GroupNorm', 'numGroups', numGroups);
    checkPositiveInt('GroupNorm', 'numChannels', numChannels);
    if (numChannels % numGroups !== 0) {
      throw new ArgumentError(`GroupNorm: numChannels ${numChannels} must be divisible by numGroups ${numGroups}`);
    }
    this.eps = options.eps ?? 1e-5;
    checkRange('GroupNorm', 'eps', this.eps, 0, Infinity);
    const affine = options.affine ?? true;
    this.weight = affine ? this.addParameter('weight', full([numChannels], 1)) : null;
    this.bias = affine ? this.addParameter('bias', full([numChannels], 0)) : null;
  }

  forward(x: Tensor): Tensor {
    expectRank('GroupNorm', x, [2, 3, 4, 5, 6], 'an [N, C, ...]');
    if (x.shape[1] !== this.numChannels) {
      throw new ShapeError(`GroupNorm: input ${fmtShape(x.shape)} has ${x.shape[1]} channels on axis 1, expected numChannels ${this.numChannels}`);
    }
    // Each sample's group is one row of layer normalisation.
    const grouped = reshape(normInput(x), [x.shape[0]!, this.numGroups, -1]);
    const normed = reshape(layerNorm(grouped, [grouped.shape[2]!], { eps: this.eps }), x.shape);
    const channelShape = x.shape.map((d, i) => (i === 1 ? d : 1));
    let y = normed;
    if (this.weight) y = mul(y, reshape(this.weight, channelShape));
    if (this.bias) y = add(y, reshape(this.bias, channelShape));
    return y;
  }

  protected getConfig(): Record<string, unknown> {
    return { numGroups: this.numGroups, numChannels: this.numChannels, ...this.options };
  }
}

registerModule('LayerNorm', LayerNorm, (c) => new LayerNorm(c.normalizedShape as number[], c));
registerModule('RMSNorm', RMSNorm, (c) => new RMSNorm(c.normalizedShape as number[], c));
registerModule('GroupNorm', GroupNorm, (c) => new GroupNorm(c.numGroups as number, c.numChannels as number, c));
