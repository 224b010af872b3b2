/**
 * Reads the full MNIST set from a directory holding the four standard IDX files (gzipped or not):
 * train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readIdxFile, type IdxData } from '@scratchnet/layers';
import { PIXELS, SIDE, type DigitSplit, type DigitSet } from '../shared/data.js';

/** The four files of the standard MNIST distribution, without the `.gz`. */
export const IDX_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;

/** An error in the user's input: the CLI prints its message as one line. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

function find(dir: string, base: string): string {
  for (const name of [`${base}.gz`, base]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new InputError(`--data ${dir}: missing ${base}.gz (the directory must hold the four MNIST IDX files: ${IDX_FILES.map((f) => `${f}.gz`).join(', ')})`);
}

function toSet(images: IdxData, labels: IdxData, what: string): DigitSet {
  if (images.dtype !== 'uint8' || images.shape.length !== 3 || images.shape[1] !== SIDE || images.shape[2] !== SIDE) {
    throw new InputError(`${what}: images must be uint8 [count, 28, 28], got ${images.dtype} [${images.shape.join(', ')}]`);
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw new InputError(`${what}: labels must be uint8 [${images.shape[0]}], got ${labels.dtype} [${labels.shape.join(', ')}]`);
  }
  const bad = (labels.data as Uint8Array).findIndex((l) => l > 9);
  if (bad >= 0) throw new InputError(`${what}: label ${bad} is ${labels.data[bad]}, not a digit 0..9`);
  return { images: images.data as Uint8Array, labels: labels.data as Uint8Array, count: images.data.length / PIXELS };
}

/**
 * Loads the 60,000 training and 10,000 test digits from `dir`.
 *
 * @throws {@link InputError} when the directory or a file is missing or a file is not the expected
 *   IDX data; the layers package's `FileFormatError` (a one-line message naming the file) when a file is corrupt.
 */
export async function loadIdxDir(dir: string): Promise<DigitSplit> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--data ${dir}: no such directory`);
  const paths = IDX_FILES.map((f) => find(dir, f));
  // One after the other, so that with several bad files the error always names the first.
  const parsed: IdxData[] = [];
  for (const p of paths) parsed.push(await readIdxFile(p));
  const [trainImages, trainLabels, testImages, testLabels] = parsed;
  return {
    train: toSet(trainImages!, trainLabels!, `--data ${dir} (training files)`),
    test: toSet(testImages!, testLabels!, `--data ${dir} (test files)`),
  };
}
