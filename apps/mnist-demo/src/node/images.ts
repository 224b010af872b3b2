/**
 * The seed's custom-data example: a folder of class sub-folders of PNG images (`DIR/cat/1.png`,
 * `DIR/dog/7.png`...), decoded with pngjs, turned to grayscale, resized to one square size, and
 * split into training and validation sets per class.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { splitPerClass, type LabelledImages } from '../shared/images.js';
import { resizeGray } from '../shared/preprocess.js';
import { InputError } from './idx-dir.js';

/**
 * Reads a PNG file as grayscale bytes (luma of RGB, composited over black by alpha).
 *
 * @returns the pixels row-major, with the image's width and height.
 */
export function readGrayPng(path: string): { pixels: Uint8Array; width: number; height: number } {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(path));
  } catch (e) {
    throw new InputError(`${path}: not a readable PNG (${e instanceof Error ? e.message : String(e)})`);
  }
  const { width, height, data } = png;
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const r = data[4 * i]!;
    const g = data[4 * i + 1]!;
    const b = data[4 * i + 2]!;
    const a = data[4 * i + 3]! / 255;
    pixels[i] = Math.round((0.299 * r + 0.587 * g + 0.114 * b) * a);
  }
  return { pixels, width, height };
}

/**
 * Loads every PNG under `dir`'s class sub-folders (class names sorted), resized to `size × size`,
 * and splits each class `validationFraction` / rest with a seeded shuffle.
 *
 * @throws {@link InputError} when the folder is missing, has fewer than two classes, a class has
 *   fewer than two images, or a file is not a PNG.
 */
export function loadImageFolder(dir: string, size: number, validationFraction: number, seed: number): LabelledImages {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--images ${dir}: no such directory`);
  const classes = readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory()).sort();
  if (classes.length < 2) throw new InputError(`--images ${dir}: needs at least two class sub-folders of PNG images, found ${classes.length}`);
  const perClass = classes.map((name) => {
    const files = readdirSync(join(dir, name)).filter((f) => f.toLowerCase().endsWith('.png')).sort();
    if (files.length < 2) throw new InputError(`--images ${dir}: class '${name}' has ${files.length} PNG image(s); each class needs at least two`);
    const out = new Uint8Array(files.length * size * size);
    files.forEach((f, i) => {
      const img = readGrayPng(join(dir, name, f));
      out.set(resizeGray(img.pixels, img.width, img.height, size), i * size * size);
    });
    return out;
  });
  return splitPerClass(classes, perClass, size, validationFraction, seed);
}
