/**
 * Own-image folders for the tests, written with real encoders: shapes (circle, square, triangle)
 * drawn at seeded places, sizes and colours, saved as PNG (RGB or grayscale) and JPEG, in mixed
 * picture sizes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { SuiteRng } from '@scratchnet/core/testing';

export const SHAPES = ['circle', 'square', 'triangle'] as const;


/** RGBA pixels of one shape on a dark background. */
export function drawShape(shape: (typeof SHAPES)[number], w: number, h: number, seed: number): Uint8Array {
  const gen = new SuiteRng(seed); // seeded, so the pictures are the same on every run
  const rnd = (): number => gen.next();
  const r = Math.min(w, h) * (0.22 + 0.12 * rnd());
  const cx = w / 2 + (rnd() - 0.5) * (w - 2 * r) * 0.6;
  const cy = h / 2 + (rnd() - 0.5) * (h - 2 * r) * 0.6;
  const ink = [120 + rnd() * 135, 120 + rnd() * 135, 120 + rnd() * 135];
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const inside =
        shape === 'circle' ? dx * dx + dy * dy <= r * r : shape === 'square' ? Math.abs(dx) <= r * 0.85 && Math.abs(dy) <= r * 0.85 : dy <= r * 0.8 && dy >= -r && Math.abs(dx) <= ((dy + r) / (1.8 * r)) * r;
      const o = 4 * (y * w + x);
      for (let k = 0; k < 3; k++) data[o + k] = inside ? ink[k]! : 15 + 10 * rnd();
      data[o + 3] = 255;
    }
  }
  return data;
}

export function encodePng(w: number, h: number, rgba: Uint8Array, gray = false): Uint8Array {
  const png = new PNG({ width: w, height: h, colorType: gray ? 0 : 2, inputColorType: 6 });
  png.data = Buffer.from(rgba);
  return new Uint8Array(PNG.sync.write(png, { colorType: gray ? 0 : 2, inputColorType: 6 }));
}

export const encodeJpeg = (w: number, h: number, rgba: Uint8Array): Uint8Array => new Uint8Array(jpeg.encode({ width: w, height: h, data: rgba }, 92).data);

/**
 * Writes `perClass` pictures of each shape under `root/<shape>/`: every third a JPEG, the others
 * PNG (every other one of those grayscale), sizes alternating 48×48, 64×48 and 40×56; plus a
 * `notes.txt` in the first class that the loader must skip and report.
 *
 * @returns the number of image files written.
 */
export function writeShapeFolder(root: string, perClass: number, seed = 1): number {
  const sizes = [[48, 48], [64, 48], [40, 56]] as const;
  let n = 0;
  SHAPES.forEach((shape, c) => {
    mkdirSync(join(root, shape), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const [w, h] = sizes[i % 3]!;
      const rgba = drawShape(shape, w, h, seed * 100_003 + c * 1009 + i);
      if (i % 3 === 2) writeFileSync(join(root, shape, `${i}.jpg`), encodeJpeg(w, h, rgba));
      else writeFileSync(join(root, shape, `${i}.png`), encodePng(w, h, rgba, i % 2 === 1));
      n++;
    }
  });
  writeFileSync(join(root, SHAPES[0], 'notes.txt'), 'not a picture');
  return n;
}
