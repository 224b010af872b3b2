/** `--predict FILE…`: the class probabilities of image files, prepared as the model was trained. */
import { tensor } from '@scratchnet/core';
import { FileFormatError, imageBytesToFloats, type ImagePreprocessing, type Module } from '@scratchnet/layers';
import { readImageInput } from '@scratchnet/layers/node';
import { InputError } from '../node/idx-dir.js';
import { probabilities } from '../shared/model.js';
import { percent } from './format.js';

/** Prepares every file first (so a bad one fails before any output), then prints one line per file. */
export async function predictFiles(model: Module, files: readonly string[], pre: ImagePreprocessing, classNames: readonly string[], print: (line: string) => void): Promise<void> {
  const inputs: { file: string; data: Uint8Array; action: string | null }[] = [];
  for (const file of files) {
    try {
      inputs.push({ file, ...(await readImageInput(file, pre)) });
    } catch (e) {
      if (e instanceof FileFormatError) throw new InputError(`--predict ${e.message}`);
      throw e;
    }
  }
  print('');
  print(`predictions (images read as ${pre.channels === 3 ? 'RGB' : 'grayscale'} ${pre.size}×${pre.size}, --fit ${pre.fit}):`);
  for (const { file, data, action } of inputs) {
    const x = tensor(imageBytesToFloats(data), [1, pre.channels, pre.size, pre.size]);
    const p = await probabilities(model, x);
    x.dispose();
    const order = [...p.keys()].sort((a, b) => p[b]! - p[a]!);
    const best = order[0]!;
    const all = order.map((i) => `${classNames[i] ?? i} ${percent(p[i]!)}`).join(', ');
    print(`${file}: ${classNames[best] ?? best} (${all})${action ? `  [${action}]` : ''}`);
  }
}
