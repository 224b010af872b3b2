import { tidy } from '../engine/engine.js';
import { hostTensor } from '../engine/host-values.js';
import { ArgumentError } from '../errors.js';
import { generatorFor } from '../random/generator.js';
import type { Tensor } from '../tensor.js';
import { mul } from './binary.js';
import { expectTensor } from './convert.js';
import type { Seed } from './random.js';
import { alias } from './reshape.js';

/** Options of {@link dropout}. */
export interface DropoutOptions {
  seed?: Seed;
  /** When false, dropout is the identity (evaluation mode). Default true. */
  training?: boolean;
}

/**
 * Inverted dropout: zeroes each element with probability `rate` and scales the survivors by
 * 1 / (1 − rate), so the expected value is unchanged. The mask comes from the seeded generator.
 */
export function dropout(x: Tensor, rate: number, options: DropoutOptions = {}): Tensor {
  expectTensor(x, 'dropout', 'x');
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new ArgumentError(`dropout: rate must be in [0, 1], got ${String(rate)}`);
  if (options.training === false || rate === 0) return alias(x);
  return tidy(() => {
    const scale = rate === 1 ? 0 : 1 / (1 - rate);
    // A host producer: under compile, every replay draws a fresh mask from the same stream.
    const mask = hostTensor(() => {
      const u = generatorFor(options.seed).uniform(x.size);
      const m = new Float32Array(x.size);
      for (let i = 0; i < m.length; i++) m[i] = u[i]! >= rate ? scale : 0;
      return m;
    }, x.shape, 'float32');
    return mul(x, mask);
  });
}
