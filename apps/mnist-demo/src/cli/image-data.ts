/** `--images DIR`: reading the folder with the library's loader, and saying what it did. */
import { FileFormatError, splitImageFolder, type ImageFolderData, type ImagePreprocessing } from '@scratchnet/layers';
import { loadImageFolder } from '@scratchnet/layers/node';
import { InputError } from '../node/idx-dir.js';
import { toDigitSet } from '../shared/images.js';
import type { DigitSet } from '../shared/data.js';

/** Most skipped files listed one by one; the rest are counted. */
const MAX_LISTED = 20;

/** How many kinds of resizing the report names before summing up the rest. */
const RESIZED_SHOWN = 4;

/** The folder split 80 / 20 per class, and lines that report what was read, skipped and resized. */
export interface ImageFolderSplit {
  train: DigitSet;
  test: DigitSet;
  classNames: string[];
  report: string[];
}

/**
 * Reads `dir` as an image folder prepared as `pre` says, splits it 80 / 20 per class with `seed`,
 * and reports every skipped file and every kind of resizing.
 *
 * @throws {@link InputError} naming `--images` for a missing path, a file, loose images or too few classes.
 */
export async function readImageFolder(dir: string, pre: ImagePreprocessing, seed: number): Promise<ImageFolderSplit> {
  let data: ImageFolderData;
  try {
    data = await loadImageFolder(dir, pre);
  } catch (e) {
    if (e instanceof FileFormatError) {
      const msg = e.code === 'io' && /is a file/.test(e.message) ? `${dir}: is a file; --images needs a directory holding one sub-folder of images per class (DIR/cat/1.png, DIR/dog/1.jpg)` : e.message;
      throw new InputError(`--images ${msg}`);
    }
    throw e;
  }
  const perClass = data.classes.map((_, c) => data.labels.filter((l) => l === c).length);
  const few = data.classes.filter((_, c) => perClass[c]! < 2);
  if (few.length) throw new InputError(`--images ${dir}: class '${few[0]}' has ${perClass[data.classes.indexOf(few[0]!)]} readable image(s); each class needs at least two (one for training, one for testing)`);
  const { train, validation } = splitImageFolder(data, 0.2, seed);
  const kind = pre.channels === 3 ? 'RGB' : 'grayscale';
  const report = [`images: ${data.count} in ${data.classes.length} classes (${data.classes.map((c, i) => `${c}: ${perClass[i]}`).join(', ')}), read as ${kind} ${pre.size}×${pre.size}`];
  if (data.resized.length) {
    // One entry per distinct source size: a folder of photos can have hundreds, so the line shows the first few.
    const shown = data.resized.slice(0, RESIZED_SHOWN);
    const more = data.resized.length - shown.length;
    report.push(`resized (--fit ${pre.fit}): ${shown.join('; ')}${more > 0 ? `; and ${more} more source size(s) the same way` : ''}`);
  }
  else report.push('resized: none (every image already had the size)');
  if (data.skipped.length) {
    report.push(`skipped ${data.skipped.length} file(s):`);
    for (const s of data.skipped.slice(0, MAX_LISTED)) report.push(`  ${s.path}: ${s.reason}`);
    if (data.skipped.length > MAX_LISTED) report.push(`  … and ${data.skipped.length - MAX_LISTED} more`);
  }
  return { train: toDigitSet(train), test: toDigitSet(validation), classNames: [...data.classes], report };
}
