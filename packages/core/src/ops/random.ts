import type { DType } from '../dtype.js';
import { hostTensor } from '../engine/host-values.js';
import { ArgumentError } from '../errors.js';
import { generatorFor, type RandomGenerator } from '../random/generator.js';
import { checkShape, sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** A seed for a random op: a number (a fresh stream), a generator (continues its stream), or nothing (the global stream). */
export type Seed = number | RandomGenerator;

/** Options of {@link randomUniform}. */
export interface UniformOptions {
  min?: number;
  max?: number;
  seed?: Seed;
  dtype?: DType;
}

/** Uniform values in [min, max). With dtype int32, integers in [min, max). */
export function randomUniform(shape: Shape, options: UniformOptions = {}): Tensor {
  checkShape(shape, 'randomUniform');
  const { min = 0, max = 1, dtype = 'float32' } = options;
  if (!(max > min)) throw new ArgumentError(`randomUniform: max (${max}) must be greater than min (${min})`);
  if (dtype === 'bool') throw new ArgumentError('randomUniform: dtype bool is not supported (use float32 or int32)');
  // Host producers (here and below): under compile, every replay draws afresh from the same stream.
  if (dtype === 'int32') {
    return hostTensor(() => {
      const u = generatorFor(options.seed).uniform(sizeOf(shape));
      const lo = Math.ceil(min);
      const span = Math.ceil(max) - lo;
      const out = new Int32Array(u.length);
      for (let i = 0; i < u.length; i++) out[i] = lo + Math.floor(u[i]! * span);
      return out;
    }, shape, 'int32');
  }
  return hostTensor(() => {
    const u = generatorFor(options.seed).uniform(sizeOf(shape));
    const out = new Float32Array(u.length);
    for (let i = 0; i < u.length; i++) {
      const v = Math.fround(min + u[i]! * (max - min));
      out[i] = v >= max ? Math.fround(max - (max - min) * 2 ** -24) : v;
    }
    return out;
  }, shape, 'float32');
}

/** Options of {@link randomNormal} and {@link truncatedNormal}. */
export interface NormalOptions {
  mean?: number;
  std?: number;
  seed?: Seed;
}

function normalTensor(op: string, shape: Shape, options: NormalOptions, truncated: boolean): Tensor {
  checkShape(shape, op);
  const { mean = 0, std = 1 } = options;
  if (!(std >= 0)) throw new ArgumentError(`${op}: std must be non-negative, got ${std}`);
  return hostTensor(() => {
    const gen = generatorFor(options.seed);
    const n = sizeOf(shape);
    const z = truncated ? gen.truncatedNormal(n) : gen.normal(n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = mean + std * z[i]!;
    return out;
  }, shape, 'float32');
}

/** Normal values with the given mean and standard deviation. */
export function randomNormal(shape: Shape, options: NormalOptions = {}): Tensor {
  return normalTensor('randomNormal', shape, options, false);
}

/** Normal values redrawn when beyond two standard deviations of the mean. */
export function truncatedNormal(shape: Shape, options: NormalOptions = {}): Tensor {
  return normalTensor('truncatedNormal', shape, options, true);
}
