/**
 * MNIST data in the form both front ends use: 28×28 digits as bytes (0 = background, 255 = ink),
 * split into train and test sets reproducibly, and turned into ScratchNet data sets.
 */
import { RandomGenerator } from '@scratchnet/core';
import { TensorDataset, shuffledIndices } from '@scratchnet/layers';

/** Side of an MNIST digit in pixels. */
export const SIDE = 28;
/** Pixels per digit. */
export const PIXELS = SIDE * SIDE;
/** Number of classes. */
export const CLASSES = 10;

/** Digits as bytes, one after the other, with their labels. */
export interface DigitSet {
  /** `count × 28 × 28` bytes, row-major, 0 = background. */
  readonly images: Uint8Array;
  /** `count` labels 0..9. */
  readonly labels: Uint8Array;
  readonly count: number;
}

/** A train and a test set. */
export interface DigitSplit {
  readonly train: DigitSet;
  readonly test: DigitSet;
}

/**
 * Splits digits grouped by class (`perDigit[c]` holds the images of digit `c`) into train and test
 * sets: each class's digits are shuffled with a generator seeded by `seed`, and the first ones of
 * each class go to the test set. The per-class test counts are proportional to the class sizes
 * (largest remainders), so the test set has exactly `testCount` digits. Both sets then come in a
 * seeded random order, so that a prefix of either holds every class.
 *
 * @param perDigit - ten byte arrays, each a whole number of 784-byte images.
 * @param testCount - how many digits go to the test set in all.
 * @param seed - the same seed gives the same split.
 */
export function splitPerDigit(perDigit: readonly Uint8Array[], testCount: number, seed: number): DigitSplit {
  if (perDigit.length !== CLASSES) throw new Error(`expected ${CLASSES} classes of digits, got ${perDigit.length}`);
  const counts = perDigit.map((d) => {
    if (d.length % PIXELS !== 0) throw new Error(`a class holds ${d.length} bytes, not a whole number of ${PIXELS}-byte images`);
    return d.length / PIXELS;
  });
  const total = counts.reduce((a, b) => a + b, 0);
  if (!Number.isInteger(testCount) || testCount < 1 || testCount >= total) throw new Error(`test count must be in 1..${total - 1}, got ${testCount}`);
  const exact = counts.map((c) => (c * testCount) / total);
  const tests = exact.map(Math.floor);
  const byRemainder = exact.map((e, c) => [e - Math.floor(e), c] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let i = 0; tests.reduce((a, b) => a + b, 0) < testCount; i++) tests[byRemainder[i]![1]]! += 1;

  const gens = new RandomGenerator(seed).split(CLASSES);
  const train = { images: new Uint8Array((total - testCount) * PIXELS), labels: new Uint8Array(total - testCount), count: total - testCount };
  const test = { images: new Uint8Array(testCount * PIXELS), labels: new Uint8Array(testCount), count: testCount };
  let nTrain = 0;
  let nTest = 0;
  for (let c = 0; c < CLASSES; c++) {
    const order = shuffledIndices(counts[c]!, gens[c]);
    const src = perDigit[c]!;
    order.forEach((s, i) => {
      const into = i < tests[c]! ? test : train;
      const at = i < tests[c]! ? nTest++ : nTrain++;
      into.images.set(src.subarray(s * PIXELS, (s + 1) * PIXELS), at * PIXELS);
      into.labels[at] = c;
    });
  }
  return { train: shuffleSet(train, gens[0]!.split(1)[0]!), test: shuffleSet(test, gens[1]!.split(1)[0]!) };
}

/** The set's digits in a seeded random order (so that any prefix mixes every class). */
export function shuffleSet(set: DigitSet, seed: number | RandomGenerator): DigitSet {
  const order = shuffledIndices(set.count, seed);
  const images = new Uint8Array(set.images.length);
  const labels = new Uint8Array(set.count);
  order.forEach((s, i) => {
    images.set(set.images.subarray(s * PIXELS, (s + 1) * PIXELS), i * PIXELS);
    labels[i] = set.labels[s]!;
  });
  return { images, labels, count: set.count };
}

/**
 * Groups digits by label, keeping their order: the inverse of concatenating classes.
 *
 * @returns ten byte arrays, `result[c]` holding the images labelled `c`.
 */
export function groupByDigit(set: DigitSet): Uint8Array[] {
  const counts = new Array<number>(CLASSES).fill(0);
  for (const l of set.labels) counts[l]! += 1;
  const out = counts.map((n) => new Uint8Array(n * PIXELS));
  const at = new Array<number>(CLASSES).fill(0);
  for (let i = 0; i < set.count; i++) {
    const l = set.labels[i]!;
    out[l]!.set(set.images.subarray(i * PIXELS, (i + 1) * PIXELS), at[l]! * PIXELS);
    at[l]! += 1;
  }
  return out;
}

/**
 * The first `n` digits of a set (or all of them when it has fewer).
 *
 * @param per - bytes per sample (784 for MNIST; channels × side² for other images).
 */
export function takeDigits(set: DigitSet, n: number, per = PIXELS): DigitSet {
  const count = Math.min(n, set.count);
  return { images: set.images.subarray(0, count * per), labels: set.labels.subarray(0, count), count };
}

/**
 * A ScratchNet data set of digits: inputs `[count, 1, side, side]` scaled to 0..1, labels int32.
 *
 * @param side - image side (28 for MNIST; other sizes for `--images`).
 * @param channels - channels per image (1 for grayscale).
 */
export function toDataset(set: DigitSet, side = SIDE, channels = 1): TensorDataset {
  const x = new Float32Array(set.images.length);
  for (let i = 0; i < x.length; i++) x[i] = set.images[i]! / 255;
  return new TensorDataset(
    { data: x, shape: [set.count, channels, side, side] },
    { data: Int32Array.from(set.labels), shape: [set.count], dtype: 'int32' },
  );
}

/**
 * A copy of the set with every image shifted by a random whole number of pixels, up to `maxShift`
 * in each direction (the vacated border is background). The classic MNIST augmentation: it keeps
 * a small training set from being memorised.
 *
 * @param side - image side in pixels.
 * @param seed - the same seed gives the same shifts.
 */
export function shiftAugment(set: DigitSet, maxShift: number, seed: number, side = SIDE): DigitSet {
  if (maxShift <= 0) return set;
  const px = side * side;
  const u = new RandomGenerator(seed).uniform(2 * set.count);
  const images = new Uint8Array(set.images.length);
  for (let n = 0; n < set.count; n++) {
    const dx = Math.floor(u[2 * n]! * (2 * maxShift + 1)) - maxShift;
    const dy = Math.floor(u[2 * n + 1]! * (2 * maxShift + 1)) - maxShift;
    const src = set.images.subarray(n * px, (n + 1) * px);
    const dst = images.subarray(n * px, (n + 1) * px);
    for (let y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
      const from = (y - dy) * side;
      for (let x = Math.max(0, dx); x < Math.min(side, side + dx); x++) dst[y * side + x] = src[from + x - dx]!;
    }
  }
  return { images, labels: set.labels, count: set.count };
}
