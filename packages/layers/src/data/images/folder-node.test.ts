import '@scratchnet/backend-js';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileFormatError } from '../../io/errors.js';
import { decodeImageBytes, sniffImageFormat } from './decode-node.js';
import { imageFolderDataset, splitImageFolder } from './folder.js';
import { loadImageFolder, readImageFile, readImageInput } from './folder-node.js';
import { randomShift } from './transforms.js';

/** RGBA pixels of a w×h picture filled with `rgb`, with a `mark` square in the top-left corner. */
function picture(w: number, h: number, rgb: [number, number, number], mark?: [number, number, number]): Uint8Array {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = mark && x < 2 && y < 2 ? mark : rgb;
      data.set([...c, 255], (y * w + x) * 4);
    }
  }
  return data;
}

function pngBytes(w: number, h: number, rgba: Uint8Array, colorType: 0 | 2 | 6 = 6): Uint8Array {
  const png = new PNG({ width: w, height: h, colorType, inputColorType: 6 });
  png.data = Buffer.from(rgba);
  return new Uint8Array(PNG.sync.write(png, { colorType, inputColorType: 6 }));
}

const jpegBytes = (w: number, h: number, rgba: Uint8Array): Uint8Array => new Uint8Array(jpeg.encode({ width: w, height: h, data: rgba }, 95).data);

let dir = '';
const RED: [number, number, number] = [220, 30, 30];
const BLUE: [number, number, number] = [30, 40, 210];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scratchnet-images-'));
  await mkdir(join(dir, 'red'));
  await mkdir(join(dir, 'blue'));
  // red: a square RGB PNG, a wide grayscale PNG and a tall JPEG; blue: a JPEG and two PNGs of other sizes.
  await writeFile(join(dir, 'red', 'a.png'), pngBytes(8, 8, picture(8, 8, RED), 2));
  await writeFile(join(dir, 'red', 'b.png'), pngBytes(16, 8, picture(16, 8, RED), 0));
  await writeFile(join(dir, 'red', 'c.jpg'), jpegBytes(8, 16, picture(8, 16, RED)));
  await writeFile(join(dir, 'blue', 'a.JPEG'), jpegBytes(12, 12, picture(12, 12, BLUE)));
  await writeFile(join(dir, 'blue', 'b.png'), pngBytes(4, 4, picture(4, 4, BLUE)));
  await writeFile(join(dir, 'blue', 'c.png'), pngBytes(8, 4, picture(8, 4, BLUE)));
  await writeFile(join(dir, 'blue', 'notes.txt'), 'not an image');
  await writeFile(join(dir, 'blue', 'broken.png'), 'this is text with a .png name');
  await writeFile(join(dir, 'README.md'), 'a file at the top');
  await mkdir(join(dir, 'red', 'more'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('decoding PNG and JPEG in Node', () => {
  it('tells the formats apart by their signature and decodes both to RGBA', () => {
    const p = pngBytes(3, 2, picture(3, 2, RED));
    const j = jpegBytes(3, 2, picture(3, 2, BLUE));
    expect(sniffImageFormat(p)).toBe('png');
    expect(sniffImageFormat(j)).toBe('jpeg');
    expect(sniffImageFormat(new TextEncoder().encode('hello'))).toBe(null);
    const dp = decodeImageBytes(p);
    expect([dp.width, dp.height, dp.channels]).toEqual([3, 2, 4]);
    expect([...dp.data.subarray(0, 4)]).toEqual([220, 30, 30, 255]);
    const dj = decodeImageBytes(j);
    expect([dj.width, dj.height]).toEqual([3, 2]);
    // JPEG is lossy: close to the colour, not equal.
    expect(Math.abs(dj.data[2]! - 210)).toBeLessThan(20);
    expect(() => decodeImageBytes(new TextEncoder().encode('hello'))).toThrow('not a PNG or JPEG file');
  });

  it('readImageFile names the file in its errors', async () => {
    await expect(readImageFile(join(dir, 'blue', 'notes.txt'))).rejects.toThrow(`${join(dir, 'blue', 'notes.txt')}: cannot be decoded: not a PNG or JPEG file`);
    await expect(readImageFile(join(dir, 'nope.png'))).rejects.toThrow(`${join(dir, 'nope.png')}: no such file`);
  });
});

describe('loadImageFolder', () => {
  it('reads PNG and JPEG as RGB, reports skipped files and what resizing did', async () => {
    const data = await loadImageFolder(dir, { channels: 3, size: 8, fit: 'pad' });
    expect(data.classes).toEqual(['blue', 'red']);
    expect(data.count).toBe(6);
    expect(data.files).toEqual(['blue/a.JPEG', 'blue/b.png', 'blue/c.png', 'red/a.png', 'red/b.png', 'red/c.jpg']);
    expect([...data.labels]).toEqual(data.files.map((f) => (f.startsWith('blue') ? 0 : 1)));
    expect(data.skipped).toEqual([
      { path: 'README.md', reason: 'not inside a class sub-folder' },
      { path: 'blue/notes.txt', reason: 'not a PNG or JPEG file (by its name; images must end in .png, .jpg, .jpeg)' },
      { path: 'red/more/', reason: 'a folder inside a class folder (only the pictures directly in each class folder are read)' },
      { path: 'blue/broken.png', reason: 'cannot be decoded (not a PNG or JPEG file (its first bytes are neither signature))' },
    ]);
    expect(data.resized).toEqual([
      '1 × 12×12 → scaled to 8×8',
      '1 × 4×4 → scaled to 8×8',
      '1 × 8×4 → padded to 8×8',
      '1 × 16×8 → padded to 16×16, scaled to 8×8',
      '1 × 8×16 → padded to 16×16, scaled to 8×8',
    ]);
    expect(data.images.length).toBe(data.count * 3 * 8 * 8);
    // blue/c.png (8×4) padded: the top and bottom two rows are black, the middle is blue (planar RGB).
    const i = data.files.indexOf('blue/c.png');
    const img = data.images.subarray(i * 192, (i + 1) * 192);
    expect(img[0 * 64 + 0 * 8 + 4]).toBe(0);
    expect(img[2 * 64 + 4 * 8 + 4]).toBe(210);
    expect(img[0 * 64 + 4 * 8 + 4]).toBe(30);
  });

  it('reads grayscale and centre-crops when asked', async () => {
    const data = await loadImageFolder(dir, { channels: 1, size: 4, fit: 'crop' });
    expect(data.images.length).toBe(data.count * 16);
    expect(data.resized).toContain('1 × 16×8 → centre-cropped to 8×8, scaled to 4×4');
    const i = data.files.indexOf('red/a.png');
    // Luma of (220, 30, 30) = 0.299·220 + 0.587·30 + 0.114·30 = 86.81.
    expect(data.images[i * 16 + 15]).toBe(87);
  });

  it('splits per class, and makes seeded, augmented tensor data sets', async () => {
    const data = await loadImageFolder(dir, { channels: 3, size: 8 });
    const { train, validation } = splitImageFolder(data, 0.4, 3);
    expect(train.count + validation.count).toBe(data.count);
    expect(new Set(validation.labels).size).toBe(2);
    const a = imageFolderDataset(train, { transform: randomShift(2), seed: 5 });
    const b = imageFolderDataset(train, { transform: randomShift(2), seed: 5 });
    const [ba] = [...a.batches(99)];
    const [bb] = [...b.batches(99)];
    expect(ba!.x.shape).toEqual([train.count, 3, 8, 8]);
    expect(await ba!.x.data()).toEqual(await bb!.x.data());
    [ba!.x, ba!.y, bb!.x, bb!.y].forEach((t) => t.dispose());
  });

  it('prepares one file as a trained model expects', async () => {
    const { data, action } = await readImageInput(join(dir, 'red', 'b.png'), { channels: 1, size: 8, fit: 'pad' });
    expect(data.length).toBe(64);
    expect(action).toBe('16×8 → padded to 16×16, scaled to 8×8');
  });

  it('says what is wrong with the folder itself', async () => {
    const err = async (p: Promise<unknown>): Promise<FileFormatError> => p.then(() => { throw new Error('no error'); }, (e: FileFormatError) => e);
    const file = join(dir, 'README.md');
    expect((await err(loadImageFolder(file))).message).toBe(`${file}: is a file; an image folder is a directory holding one sub-folder of images per class`);
    expect((await err(loadImageFolder(join(dir, 'missing')))).message).toBe(`${join(dir, 'missing')}: no such directory`);
    const loose = join(dir, 'loose');
    await mkdir(loose);
    await writeFile(join(loose, '1.png'), pngBytes(2, 2, picture(2, 2, RED)));
    await writeFile(join(loose, '2.png'), pngBytes(2, 2, picture(2, 2, BLUE)));
    const e = await err(loadImageFolder(loose));
    expect(e.code).toBe('bad-layout');
    expect(e.message).toBe(`${loose}: 2 image file(s) lie directly in the folder; put each class's images in a sub-folder named after the class (e.g. ${loose}/cat/1.png, ${loose}/dog/1.png)`);
    await mkdir(join(loose, 'only'));
    await writeFile(join(loose, 'only', '1.png'), pngBytes(2, 2, picture(2, 2, RED)));
    expect((await err(loadImageFolder(loose))).message).toBe(`${loose}: needs at least two class sub-folders holding PNG or JPEG images, found 1 (only)`);
    await expect(loadImageFolder(dir, { channels: 2 as 1 })).rejects.toThrow('channels must be 1 (grayscale) or 3 (RGB), got 2');
  });
});
