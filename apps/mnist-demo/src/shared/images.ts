/** Own-image data in the form the demo trains on, and its augmentation. */
import type { RandomGenerator } from '@scratchnet/core';
import {
  TensorDataset, compose, imageBytesToFloats, randomRotation, randomShift, transformImages, type ImageFolderData, type ImageTransform,
} from '@scratchnet/layers';
import type { DigitSet } from './data.js';

/** An image folder's samples as the demo's byte sets (labels as bytes: at most 256 classes). */
export function toDigitSet(data: ImageFolderData): DigitSet {
  if (data.classes.length > 256) throw new Error(`at most 256 classes, got ${data.classes.length}`);
  return { images: data.images, labels: Uint8Array.from(data.labels), count: data.count };
}

/** The augmentation `--images` uses: shifts of up to `shift` pixels and rotations of up to `degrees`. */
export function imageAugmentation(shift: number, degrees: number): ImageTransform {
  return compose(randomShift(shift), randomRotation(degrees));
}

/** A data set of `set`'s images (`[count, channels, side, side]`, 0..1) passed through `transform`. */
export function augmentedDataset(set: DigitSet, side: number, channels: number, transform: ImageTransform, seed: number | RandomGenerator): TensorDataset {
  const { data, shape } = transformImages(imageBytesToFloats(set.images), [set.count, channels, side, side], transform, seed);
  return new TensorDataset({ data, shape }, { data: Int32Array.from(set.labels), shape: [set.count], dtype: 'int32' });
}

/** Training settings for a small image set, when the user has not chosen them. */
export interface SmallDataDefaults {
  epochs: number;
  batchSize: number;
  shift: number;
  degrees: number;
}

/**
 * Defaults for `--images`: MNIST's (6 epochs of batches of 64) give a few hundred images only a
 * few dozen steps, far too few. Aim for about 400 optimizer steps in 10–60 epochs, with batches of
 * 16 under 1,000 images, shifts of 1/14 of the side and rotations of up to 10°.
 */
export function smallDataDefaults(trainCount: number, side: number, batchSize: number | null): SmallDataDefaults {
  const batch = batchSize ?? (trainCount < 1000 ? 16 : 64);
  const steps = Math.max(1, Math.ceil(trainCount / batch));
  return { epochs: Math.min(60, Math.max(10, Math.ceil(400 / steps))), batchSize: batch, shift: Math.max(1, Math.round(side / 14)), degrees: 10 };
}
