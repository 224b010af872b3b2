/**
 * Random integers and permutations, drawn on the host from core's Philox generator (so a seed gives
 * the same numbers on every backend) and written to the active backend: randint, randperm, shuffle.
 */
import { tidy, writeTensor } from '../engine/engine.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { generatorFor, type RandomGenerator } from '../random/generator.js';
import { checkShape, normalizeAxis, sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';
import { gather } from './indexing.js';
import type { Seed } from './random.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Options of the seeded ops that take nothing else: {@link randint}, {@link randperm}. */
export interface SeedOptions {
  /** A number (a fresh stream), a RandomGenerator (continues it) or nothing (the global stream). */
  seed?: Seed;
}

/** Options of {@link shuffle}. */
export interface ShuffleOptions extends SeedOptions {
  /** The axis whose slices are permuted (default 0). */
  axis?: number;
}

/** `n` uniform floats in [0, 1) with 53 random bits each (two 32-bit words per number). */
export function uniform53(gen: RandomGenerator, n: number): Float64Array {
  const bits = gen.uint32(2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((bits[2 * i]! >>> 5) * 67108864 + (bits[2 * i + 1]! >>> 6)) / 9007199254740992;
  return out;
}

function checkOptions(op: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${op}: options must be an object, got ${String(options)}`);
}

/**
 * Uniform int32 integers in [low, high) of the given shape (PyTorch's randint; high is exclusive).
 * Both bounds are integers in int32 range with high > low.
 */
export function randint(low: number, high: number, shape: Shape, options: SeedOptions = {}): Tensor {
  checkShape(shape, 'randint');
  checkOptions('randint', options);
  for (const [name, v] of [['low', low], ['high', high]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX + 1) {
      throw new ArgumentError(`randint: ${name} must be an integer in int32 range, got ${String(v)}`);
    }
  }
  if (!(high > low)) throw new ArgumentError(`randint: high (${high}) must be greater than low (${low})`);
  if (high - 1 > INT32_MAX) throw new ArgumentError(`randint: high ${high} puts values outside int32 (at most ${INT32_MAX + 1})`);
  const n = sizeOf(shape);
  const u = uniform53(generatorFor(options.seed), n);
  const span = high - low;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = low + Math.floor(u[i]! * span);
  return writeTensor(out, shape, 'int32');
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates on the host). */
function permutation(n: number, gen: RandomGenerator): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const u = uniform53(gen, n);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i]! * (i + 1));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

/** A uniformly random permutation of the integers 0..n-1, as int32 [n]. */
export function randperm(n: number, options: SeedOptions = {}): Tensor {
  checkOptions('randperm', options);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > INT32_MAX) {
    throw new ArgumentError(`randperm: n must be a non-negative integer, got ${String(n)}`);
  }
  return writeTensor(permutation(n, generatorFor(options.seed)), [n], 'int32');
}

/**
 * x with its slices along `axis` (default 0) in a uniformly random order: a permutation from core's
 * generator, then a gather, so gradients flow back to the original positions.
 */
export function shuffle(x: Tensor, options: ShuffleOptions = {}): Tensor {
  expectTensor(x, 'shuffle', 'x');
  checkOptions('shuffle', options);
  if (x.rank === 0) throw new ArgumentError(`shuffle: x must have rank ≥ 1, got a scalar (shape ${fmtShape(x.shape)})`);
  const axis = normalizeAxis(options.axis ?? 0, x.rank, 'shuffle');
  const perm = permutation(x.shape[axis]!, generatorFor(options.seed));
  return tidy(() => gather(x, Array.from(perm), axis));
}
