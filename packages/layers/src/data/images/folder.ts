/**
 * An image-folder data set (one sub-folder per class, as torchvision's `ImageFolder`), built from
 * files that a Node reader or a browser drop handed in. Decoding is passed in, so this file runs
 * anywhere; `@scratchnet/layers/node` reads a directory with PNG/JPEG decoders, and
 * {@link decodeImageBlob} decodes in browsers.
 */
import { ArgumentError, RandomGenerator } from '@scratchnet/core';
import { TensorDataset, shuffledIndices } from '../dataset.js';
import { FileFormatError } from '../../io/errors.js';
import { FIT_MODES, fitToSquare, type FitMode } from './resize.js';
import { toChannels, type ImageChannels, type Raster } from './raster.js';
import { transformImages, type ImageTransform } from './transforms.js';

/** File name endings taken as images. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

/** One file found in the folder: its class (sub-folder) and how to get its pixels. */
export interface ImageFileEntry {
  /** Path shown in reports, e.g. `cats/7.png`. */
  readonly path: string;
  /** The class sub-folder, or null for a file lying directly in the root. */
  readonly className: string | null;
  /** Decodes the file; throws (any error) when it cannot. */
  readonly decode: () => Raster | Promise<Raster>;
  /** Set when the reader already knows the entry is to be left out: the reason. */
  readonly skip?: string;
}

/** How images become network inputs. Stored in saved models as their preprocessing. */
export interface ImagePreprocessing {
  /** 1: grayscale (luma); 3: RGB. */
  readonly channels: ImageChannels;
  /** Side of the square the images are resized to. */
  readonly size: number;
  /** How non-square pictures become square (see {@link fitToSquare}). */
  readonly fit: FitMode;
}

/** Options of {@link buildImageFolder} and `loadImageFolder`. */
export interface ImageFolderOptions {
  /** 1 (grayscale, default) or 3 (RGB). */
  channels?: ImageChannels;
  /** Side of the square images (default 28). */
  size?: number;
  /** `pad` (default), `crop` or `stretch`; see {@link fitToSquare}. */
  fit?: FitMode;
}

/** A file that was left out, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

/** The images of a folder, ready for training. */
export interface ImageFolderData {
  /** Class names (sub-folder names, sorted); label `i` is `classes[i]`. */
  readonly classes: readonly string[];
  readonly preprocessing: ImagePreprocessing;
  /** `count × channels × size × size` bytes, planar (CHW) per image. */
  readonly images: Uint8Array;
  /** `count` labels. */
  readonly labels: Int32Array;
  /** The path of each image, as in the reports. */
  readonly files: readonly string[];
  readonly count: number;
  /** Every file that was not used, with the reason. */
  readonly skipped: readonly SkippedFile[];
  /** What resizing did, one line per kind of change (e.g. `12 × 64×48 → padded to 64×64, scaled to 28×28`). */
  readonly resized: readonly string[];
}

const extensionOf = (path: string): string => {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
};

/** Whether a file name ends in one of {@link IMAGE_EXTENSIONS}. */
export const isImageFileName = (path: string): boolean => IMAGE_EXTENSIONS.includes(extensionOf(path));

/** Checks and fills in the defaults of {@link ImageFolderOptions}. */
export function imagePreprocessing(options: ImageFolderOptions = {}): ImagePreprocessing {
  const { channels = 1, size = 28, fit = 'pad' } = options;
  if (channels !== 1 && channels !== 3) throw new ArgumentError(`image folder: channels must be 1 (grayscale) or 3 (RGB), got ${String(channels)}`);
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError(`image folder: size must be a positive integer, got ${size}`);
  if (!FIT_MODES.includes(fit)) throw new ArgumentError(`image folder: fit must be one of ${FIT_MODES.join(', ')}, got '${String(fit)}'`);
  return { channels, size, fit };
}

/**
 * Turns one decoded picture into the planar bytes a model trained with `pre` expects.
 *
 * @returns the `channels × size × size` bytes and what resizing did (null: nothing).
 */
export function preprocessImage(image: Raster, pre: ImagePreprocessing): { data: Uint8Array; action: string | null } {
  const fitted = fitToSquare(toChannels(image, pre.channels), pre.size, pre.fit);
  const { data, channels } = fitted.image;
  const plane = pre.size * pre.size;
  const out = new Uint8Array(plane * channels);
  for (let i = 0; i < plane; i++) for (let c = 0; c < channels; c++) out[c * plane + i] = data[i * channels + c]!;
  return { data: out, action: fitted.action };
}

/** Planar bytes → floats in 0..1. */
export function imageBytesToFloats(bytes: Uint8Array): Float32Array {
  return Float32Array.from(bytes, (v) => v / 255);
}

/**
 * Builds the data set from a folder's files: keeps the files inside class sub-folders whose names
 * end in .png/.jpg/.jpeg and that decode, converts them to the asked channels and size, and
 * reports every file it left out and every kind of resizing it did.
 *
 * @param root - names the folder in errors.
 * @throws {@link FileFormatError} `bad-layout` when there are images but no class sub-folders
 *   (loose files), fewer than two classes, or a class with no usable image.
 */
export async function buildImageFolder(root: string, entries: readonly ImageFileEntry[], options: ImageFolderOptions = {}): Promise<ImageFolderData> {
  const pre = imagePreprocessing(options);
  const skipped: SkippedFile[] = [];
  const kept: ImageFileEntry[] = [];
  let loose = 0;
  for (const e of entries) {
    if (e.skip !== undefined) {
      skipped.push({ path: e.path, reason: e.skip });
    } else if (e.className === null) {
      if (isImageFileName(e.path)) loose++;
      skipped.push({ path: e.path, reason: 'not inside a class sub-folder' });
    } else if (!isImageFileName(e.path)) {
      skipped.push({ path: e.path, reason: `not a PNG or JPEG file (by its name; images must end in ${IMAGE_EXTENSIONS.join(', ')})` });
    } else {
      kept.push(e);
    }
  }
  const classes = [...new Set(kept.map((e) => e.className!))].sort();
  if (classes.length === 0 && loose > 0) {
    throw new FileFormatError(root, 'bad-layout', `${loose} image file(s) lie directly in the folder; put each class's images in a sub-folder named after the class (e.g. ${root}/cat/1.png, ${root}/dog/1.png)`);
  }
  if (classes.length < 2) {
    throw new FileFormatError(root, 'bad-layout', `needs at least two class sub-folders holding PNG or JPEG images, found ${classes.length}${classes.length ? ` (${classes[0]})` : ''}`);
  }
  const plane = pre.channels * pre.size * pre.size;
  const decoded: { data: Uint8Array; label: number; path: string }[] = [];
  const actions = new Map<string, number>();
  const sorted = [...kept].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const e of sorted) {
    let raster: Raster;
    try {
      raster = await e.decode();
    } catch (err) {
      skipped.push({ path: e.path, reason: `cannot be decoded (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})` });
      continue;
    }
    const { data, action } = preprocessImage(raster, pre);
    if (action) actions.set(action, (actions.get(action) ?? 0) + 1);
    decoded.push({ data, label: classes.indexOf(e.className!), path: e.path });
  }
  for (const [i, name] of classes.entries()) {
    if (!decoded.some((d) => d.label === i)) throw new FileFormatError(root, 'bad-layout', `class '${name}' has no image that could be read`);
  }
  const images = new Uint8Array(decoded.length * plane);
  decoded.forEach((d, i) => images.set(d.data, i * plane));
  return {
    classes,
    preprocessing: pre,
    images,
    labels: Int32Array.from(decoded, (d) => d.label),
    files: decoded.map((d) => d.path),
    count: decoded.length,
    skipped,
    resized: [...actions].map(([a, n]) => `${n} × ${a}`),
  };
}

/** A subset of an image folder's samples, in the given order. */
export function selectImages(data: ImageFolderData, indices: ArrayLike<number>): ImageFolderData {
  const plane = data.images.length / Math.max(1, data.count);
  const images = new Uint8Array(indices.length * plane);
  const labels = new Int32Array(indices.length);
  const files: string[] = [];
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i]!;
    images.set(data.images.subarray(s * plane, (s + 1) * plane), i * plane);
    labels[i] = data.labels[s]!;
    files.push(data.files[s]!);
  }
  return { ...data, images, labels, files, count: indices.length };
}

/**
 * Splits an image folder into training and validation sets, class by class: each class is
 * shuffled with a seeded generator and `round(n × validationFraction)` of it (at least one, and
 * at most n − 1) goes to validation. Both sets come out in a seeded random order.
 */
export function splitImageFolder(data: ImageFolderData, validationFraction: number, seed: number): { train: ImageFolderData; validation: ImageFolderData } {
  if (!(validationFraction > 0 && validationFraction < 1)) throw new ArgumentError(`splitImageFolder: validationFraction must be in (0, 1), got ${validationFraction}`);
  const gens = new RandomGenerator(seed).split(data.classes.length + 2);
  const train: number[] = [];
  const validation: number[] = [];
  data.classes.forEach((name, c) => {
    const members = [...data.labels.keys()].filter((i) => data.labels[i] === c);
    if (members.length < 2) throw new ArgumentError(`splitImageFolder: class '${name}' has ${members.length} image(s); each class needs at least two to be split`);
    const nVal = Math.min(members.length - 1, Math.max(1, Math.round(members.length * validationFraction)));
    shuffledIndices(members.length, gens[c]).forEach((s, i) => (i < nVal ? validation : train).push(members[s]!));
  });
  const mix = (ids: number[], g: RandomGenerator): number[] => Array.from(shuffledIndices(ids.length, g), (i) => ids[i]!);
  return { train: selectImages(data, mix(train, gens.at(-2)!)), validation: selectImages(data, mix(validation, gens.at(-1)!)) };
}

/**
 * A {@link TensorDataset} of the images (`[count, channels, size, size]` floats in 0..1, passed
 * through `transform` when one is given) and int32 labels.
 *
 * @param options - `transform` (e.g. `compose(randomShift(2), randomFlip())`) and the `seed` its
 *   random choices come from; use a new seed each epoch for fresh augmentation.
 */
export function imageFolderDataset(data: ImageFolderData, options: { transform?: ImageTransform; seed?: number } = {}): TensorDataset {
  const { channels, size } = data.preprocessing;
  const x = imageBytesToFloats(data.images);
  const shape = [data.count, channels, size, size] as [number, number, number, number];
  const out = options.transform ? transformImages(x, shape, options.transform, options.seed ?? 0) : { data: x, shape };
  return new TensorDataset({ data: out.data, shape: out.shape }, { data: data.labels, shape: [data.count], dtype: 'int32' });
}
