import { ArgumentError, full, randomNormal, randomUniform, type RandomGenerator, type Tensor } from '@scratchnet/core';

/** How a layer initialises a weight: a named scheme, or a constant. */
export type Initializer =
  | 'kaimingUniform' | 'kaimingNormal' | 'xavierUniform' | 'xavierNormal' | 'zeros' | 'ones'
  | { constant: number };

/** Fan-in and fan-out of a weight: [out, in] for Linear, [out, in/groups, kh, kw] for Conv2D. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = shape.slice(2).reduce((p, d) => p * d, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/**
 * Makes an initial weight tensor.
 * - kaiming (He): std = √(2 / fanIn) — right for ReLU layers;
 * - xavier (Glorot): std = √(2 / (fanIn + fanOut)) — right for tanh / sigmoid / linear layers;
 * uniform variants draw from ±std·√3. `seed` makes it reproducible.
 */
export function initialize(init: Initializer, shape: readonly number[], seed?: number | RandomGenerator): Tensor {
  if (typeof init === 'object' && init !== null && typeof init.constant === 'number') return full(shape, init.constant);
  const { fanIn, fanOut } = fans(shape);
  switch (init) {
    case 'zeros':
      return full(shape, 0);
    case 'ones':
      return full(shape, 1);
    case 'kaimingNormal':
      return randomNormal(shape, { std: Math.sqrt(2 / fanIn), seed });
    case 'kaimingUniform': {
      const bound = Math.sqrt(6 / fanIn);
      return randomUniform(shape, { min: -bound, max: bound, seed });
    }
    case 'xavierNormal':
      return randomNormal(shape, { std: Math.sqrt(2 / (fanIn + fanOut)), seed });
    case 'xavierUniform': {
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      return randomUniform(shape, { min: -bound, max: bound, seed });
    }
    default:
      throw new ArgumentError(`initialize: unknown initializer ${JSON.stringify(init)} (kaimingUniform, kaimingNormal, xavierUniform, xavierNormal, zeros, ones or { constant })`);
  }
}
