/**
 * Sampling from distributions held in tensors: bernoulli, multinomial (with or without replacement)
 * and categorical. The randomness is drawn on the host from core's Philox generator and written to the
 * backend; the device side only adds, multiplies and compares (operations every backend rounds the
 * same way) and sorts with the stable argsort, so a seed gives the same draws on every backend.
 */
import { checkValues, tidy, writeTensor } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { TypedArray } from '../dtype.js';
import { generatorFor, type RandomGenerator } from '../random/generator.js';
import { broadcastShapes, checkShape, sizeOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add, greater, less, maximum, mul, where } from './binary.js';
import { cast } from './cast.js';
import { expectDType, expectTensor } from './convert.js';
import { zeros } from './creation.js';
import { argmax } from './reduce.js';
import type { Seed } from './random.js';
import { expandDims, reshape } from './reshape.js';
import { cumsum } from './scans.js';
import { searchSorted } from './search-sorted.js';
import { pad, slice } from './slicing.js';
import { topk } from './sorting.js';

/** Options of {@link bernoulli}. */
export interface BernoulliOptions {
  /** A number (a fresh stream), a RandomGenerator (continues it) or nothing (the global stream). */
  seed?: Seed;
  /** The output shape; p broadcasts to it (default: p's shape, or [] for a number). */
  shape?: Shape;
}

/** Options of {@link multinomial}. */
export interface MultinomialOptions {
  /** Draw with replacement (default false: every draw of a row is a different category). */
  replacement?: boolean;
  /** A number (a fresh stream), a RandomGenerator (continues it) or nothing (the global stream). */
  seed?: Seed;
}

/** Options of {@link categorical}. */
export interface CategoricalOptions {
  /** A number (a fresh stream), a RandomGenerator (continues it) or nothing (the global stream). */
  seed?: Seed;
}

function checkOptions(op: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${op}: options must be an object, got ${String(options)}`);
}

/** `n` uniform float32 values strictly inside (0, 1): 24 random bits plus half a step. */
function openUniform(gen: RandomGenerator, n: number): Float64Array {
  const u = gen.uniform(n);
  for (let i = 0; i < n; i++) u[i] = u[i]! + 2 ** -25;
  return u;
}

/**
 * Float32 0 / 1 draws that are 1 with probability p (a number, or a float32 tensor broadcasting to
 * `options.shape`). p must lie in [0, 1] (checked for a number at once, for a tensor where its values
 * can be read). Not differentiable.
 */
export function bernoulli(p: Tensor | number, options: BernoulliOptions = {}): Tensor {
  checkOptions('bernoulli', options);
  if (typeof p === 'number') {
    if (!(p >= 0 && p <= 1)) throw new ArgumentError(`bernoulli: p must be a probability in [0, 1], got ${p}`);
  } else {
    expectTensor(p, 'bernoulli', 'p');
    expectDType(p, ['float32'], 'bernoulli', 'p');
  }
  const pShape = typeof p === 'number' ? [] : p.shape;
  const shape = options.shape ?? pShape;
  checkShape(shape, 'bernoulli');
  const joined = broadcastShapes(pShape, shape, 'bernoulli');
  if (joined.length !== shape.length || joined.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`bernoulli: p ${fmtShape(pShape)} does not broadcast to shape ${fmtShape(shape)}`);
  }
  if (p instanceof Tensor) {
    checkValues(p, 'bernoulli', (v) => {
      const i = v.findIndex((x: number) => !(x >= 0 && x <= 1));
      return i < 0 ? null : new ArgumentError(`bernoulli: p must hold probabilities in [0, 1], got ${v[i]} at position ${i} of p ${fmtShape(pShape)}`);
    });
  }
  const u = Float32Array.from(generatorFor(options.seed).uniform(sizeOf(shape)));
  return tidy(() => cast(less(writeTensor(u, shape, 'float32'), p), 'float32'));
}

/** The rows of a [B, C] (or [C]) tensor's values, as an ArgumentError for the first that `bad` names; null when none does. */
function rowError(values: TypedArray, cols: number, op: string, arg: string, shape: Shape, bad: (row: ArrayLike<number>) => string | null): ArgumentError | null {
  for (let r = 0; r * cols < values.length; r++) {
    const why = bad(values.subarray(r * cols, (r + 1) * cols));
    if (why) return new ArgumentError(`${op}: row ${r} of ${arg} ${fmtShape(shape)} ${why}`);
  }
  return null;
}

/** Validates a [C] / [B, C] float32 distribution and the sample count; returns [B, C]. */
function distributionShape(op: string, t: Tensor, arg: string, numSamples: number): [number, number] {
  expectTensor(t, op, arg);
  expectDType(t, ['float32'], op, arg);
  if (t.rank !== 1 && t.rank !== 2) throw new ShapeError(`${op}: ${arg} must be [C] or [B, C], got ${fmtShape(t.shape)}`);
  const c = t.shape[t.rank - 1]!;
  if (c === 0) throw new ShapeError(`${op}: ${arg} ${fmtShape(t.shape)} has no categories`);
  if (typeof numSamples !== 'number' || !Number.isInteger(numSamples) || numSamples < 0) {
    throw new ArgumentError(`${op}: numSamples must be a non-negative integer, got ${String(numSamples)}`);
  }
  return [t.rank === 2 ? t.shape[0]! : 1, c];
}

/**
 * numSamples category indices (int32 [numSamples] or [B, numSamples]) per row of `probs` ([C] or
 * [B, C] float32 weights: non-negative, not all zero, need not sum to 1), as torch.multinomial.
 * With replacement: inverse CDF (a cumulative sum, then searchSorted of uniform × the row's total). Without (the default): the Gumbel-top-k trick in its exponential form,
 * the numSamples largest p / E for host-drawn E ~ Exp(1), so numSamples may not exceed C (nor, where
 * the values can be read, the row's count of positive weights). Bad weights are reported where readable.
 */
export function multinomial(probs: Tensor, numSamples: number, options: MultinomialOptions = {}): Tensor {
  checkOptions('multinomial', options);
  const [rows, c] = distributionShape('multinomial', probs, 'probs', numSamples);
  const replacement = options.replacement ?? false;
  if (typeof replacement !== 'boolean') throw new ArgumentError(`multinomial: replacement must be a boolean, got ${String(replacement)}`);
  if (!replacement && numSamples > c) {
    throw new ArgumentError(`multinomial: numSamples ${numSamples} exceeds the ${c} categories of probs ${fmtShape(probs.shape)} (sampling without replacement)`);
  }
  checkValues(probs, 'multinomial', (v) => rowError(v, c, 'multinomial', 'probs', probs.shape, (row) => {
    let positive = 0;
    for (let i = 0; i < row.length; i++) {
      const x = row[i]!;
      if (!(x >= 0 && x < Infinity)) return `holds ${x} at column ${i} (weights must be finite and ≥ 0)`;
      if (x > 0) positive++;
    }
    if (positive === 0) return 'is all zeros';
    if (!replacement && positive < numSamples) return `has ${positive} positive weights, fewer than numSamples ${numSamples} (without replacement)`;
    return null;
  }));
  const gen = generatorFor(options.seed);
  const outShape = probs.rank === 2 ? [rows, numSamples] : [numSamples];
  if (numSamples === 0) return zeros(outShape, 'int32');
  return tidy(() => {
    const p = reshape(probs, [rows, c]);
    const picked = replacement ? inverseCdf(p, rows, c, numSamples, gen) : exponentialTopk(p, rows, c, numSamples, gen);
    return reshape(picked, outShape);
  });
}

/**
 * Running maximum along axis 1 of [rows, c] (Hillis–Steele: ⌈log₂ c⌉ maxima with shifted copies);
 * exact in float32, so every backend gives the same values.
 */
function runningMax(x: Tensor, rows: number, c: number): Tensor {
  let y = x;
  for (let by = 1; by < c; by *= 2) y = maximum(y, pad(slice(y, [0, 0], [rows, c - by]), [[0, 0], [by, 0]], -Infinity));
  return y;
}

/**
 * With replacement: the inverse CDF, per draw the number of running totals ≤ u × the row total
 * (searchSorted, so O((C + S) log) work, not C × S). The running totals of zero-weight categories are
 * set to −∞ and a running maximum taken, so the totals are exactly non-decreasing and a zero weight
 * repeats its predecessor's total: it can never be drawn, whatever the rounding of the sum.
 */
function inverseCdf(p: Tensor, rows: number, c: number, s: number, gen: RandomGenerator): Tensor {
  const cdf = runningMax(where(greater(p, 0), cumsum(p, 1), -Infinity), rows, c);
  const total = slice(cdf, [0, c - 1], [rows, 1]);
  const u = writeTensor(Float32Array.from(gen.uniform(rows * s)), [rows, s], 'float32');
  // u < 1 with 24 bits, so the float32 product u × total stays below total: the count is at most c − 1.
  return searchSorted(cdf, mul(u, total), { right: true });
}

/** Without replacement: the s largest p · (1 / E) per row, E ~ Exp(1) drawn on the host (ties: lower index). */
function exponentialTopk(p: Tensor, rows: number, c: number, s: number, gen: RandomGenerator): Tensor {
  const u = openUniform(gen, rows * c);
  const inv = Float32Array.from(u, (x) => 1 / -Math.log(x));
  return topk(mul(p, writeTensor(inv, [rows, c], 'float32')), s, { axis: 1 }).indices;
}

/**
 * numSamples category indices (int32 [numSamples] or [B, numSamples]) drawn with replacement from
 * unnormalised log-probabilities `logits` ([C] or [B, C] float32), TensorFlow.js's `categorical`: the
 * Gumbel-max trick, argmax(logits + G) with G drawn on the host (B × numSamples × C numbers), so only
 * additions and comparisons run on the device.
 * −Infinity logits are never drawn; a row of only −Infinity, or with NaN or +Infinity, is an error
 * where the values can be read.
 */
export function categorical(logits: Tensor, numSamples: number, options: CategoricalOptions = {}): Tensor {
  checkOptions('categorical', options);
  const [rows, c] = distributionShape('categorical', logits, 'logits', numSamples);
  checkValues(logits, 'categorical', (v) => rowError(v, c, 'categorical', 'logits', logits.shape, (row) => {
    let finite = 0;
    for (let i = 0; i < row.length; i++) {
      const x = row[i]!;
      if (Number.isNaN(x) || x === Infinity) return `holds ${x} at column ${i}`;
      if (x > -Infinity) finite++;
    }
    return finite === 0 ? 'is all -Infinity' : null;
  }));
  const outShape = logits.rank === 2 ? [rows, numSamples] : [numSamples];
  if (numSamples === 0) return zeros(outShape, 'int32');
  const u = openUniform(generatorFor(options.seed), rows * numSamples * c);
  const gumbel = Float32Array.from(u, (x) => -Math.log(-Math.log(x)));
  return tidy(() => {
    const noise = writeTensor(gumbel, [rows, numSamples, c], 'float32');
    const keys = add(expandDims(reshape(logits, [rows, c]), 1), noise);
    return reshape(argmax(keys, 2), outShape);
  });
}
