/**
 * Image decoding in browsers (and workers) with `createImageBitmap`: whatever the browser can
 * show (PNG, JPEG, WebP, GIF...) becomes RGBA bytes. Safe to bundle: it touches no Node module.
 */
import { FileFormatError } from '../../io/errors.js';
import { buildImageFolder, type ImageFileEntry, type ImageFolderData, type ImageFolderOptions } from './folder.js';
import type { Raster } from './raster.js';

type Ctx2D = { drawImage(i: ImageBitmap, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };

function canvas2d(width: number, height: number): Ctx2D {
  const g = globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(k: '2d'): unknown }; document?: { createElement(t: 'canvas'): { width: number; height: number; getContext(k: '2d'): unknown } } };
  let ctx: unknown = null;
  if (g.OffscreenCanvas) ctx = new g.OffscreenCanvas(width, height).getContext('2d');
  else if (g.document) {
    const c = g.document.createElement('canvas');
    c.width = width;
    c.height = height;
    ctx = c.getContext('2d');
  }
  if (!ctx) throw new Error('no 2-D canvas here to read pixels from (decodeImageBlob runs in browsers)');
  return ctx as Ctx2D;
}

/**
 * Decodes an image `Blob`/`File` to RGBA bytes with `createImageBitmap`.
 *
 * @throws {@link FileFormatError} `bad-magic` when the browser cannot decode it.
 */
export async function decodeImageBlob(blob: Blob, name = (blob as { name?: string }).name ?? 'image'): Promise<Raster> {
  if (typeof createImageBitmap !== 'function') throw new FileFormatError(name, 'io', 'createImageBitmap is not available here (decodeImageBlob runs in browsers; in Node use @scratchnet/layers/node)');
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (e) {
    throw new FileFormatError(name, 'bad-magic', `cannot be decoded as an image (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  try {
    const ctx = canvas2d(bitmap.width, bitmap.height);
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return { width: bitmap.width, height: bitmap.height, channels: 4, data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength) };
  } finally {
    bitmap.close();
  }
}

/**
 * Builds an image-folder data set from files a user dropped or picked (e.g. `<input
 * webkitdirectory>`): a file's class is the folder right above it (`shapes/cat/1.png` → `cat`).
 * Files less deep than the deepest ones (`shapes/notes.png` beside `shapes/cat/…`) and files with
 * no folder are reported as not inside a class sub-folder.
 */
export function loadImageFiles(files: readonly { path: string; file: Blob }[], options: ImageFolderOptions = {}): Promise<ImageFolderData> {
  const split = files.map((f) => f.path.split('/').filter((p) => p !== ''));
  const depth = Math.max(0, ...split.map((p) => p.length));
  const root = depth > 2 ? split.find((p) => p.length === depth)![0]! : 'dropped files';
  const entries: ImageFileEntry[] = files.map(({ path, file }, i) => {
    const parts = split[i]!;
    const className = parts.length >= 2 && parts.length === depth ? parts[parts.length - 2]! : null;
    return { path, className, decode: () => decodeImageBlob(file, path) };
  });
  return buildImageFolder(root, entries, options);
}
