/** Labelled square grayscale images of any size and class count (the `--images` example). */
import { shuffledIndices } from '@scratchnet/layers';
import { RandomGenerator } from '@scratchnet/core';
import type { DigitSet } from './data.js';

/** A training and a validation set of square images with named classes. */
export interface LabelledImages {
  readonly classes: readonly string[];
  readonly size: number;
  readonly train: DigitSet;
  readonly validation: DigitSet;
}

/**
 * Splits images grouped by class into training and validation sets: each class is shuffled with
 * a seeded generator and `round(n × validationFraction)` of it (at least one) goes to validation.
 *
 * @param perClass - `perClass[c]` holds class `c`'s images, `size × size` bytes each.
 */
export function splitPerClass(classes: readonly string[], perClass: readonly Uint8Array[], size: number, validationFraction: number, seed: number): LabelledImages {
  const px = size * size;
  const counts = perClass.map((p) => p.length / px);
  const vals = counts.map((n) => Math.min(n - 1, Math.max(1, Math.round(n * validationFraction))));
  const total = counts.reduce((a, b) => a + b, 0);
  const nVal = vals.reduce((a, b) => a + b, 0);
  const make = (count: number): { images: Uint8Array; labels: Uint8Array; count: number } => ({ images: new Uint8Array(count * px), labels: new Uint8Array(count), count });
  const train = make(total - nVal);
  const validation = make(nVal);
  const gens = new RandomGenerator(seed).split(perClass.length);
  let t = 0;
  let v = 0;
  perClass.forEach((imgs, c) => {
    shuffledIndices(counts[c]!, gens[c]).forEach((s, i) => {
      const toVal = i < vals[c]!;
      const set = toVal ? validation : train;
      const at = toVal ? v++ : t++;
      set.images.set(imgs.subarray(s * px, (s + 1) * px), at * px);
      set.labels[at] = c;
    });
  });
  return { classes, size, train, validation };
}
