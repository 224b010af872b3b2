/**
 * Reading an image folder and single image files from disk (Node only; exported from
 * `@scratchnet/layers/node`).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError } from '../../io/errors.js';
import { decodeImageBytes } from './decode-node.js';
import { buildImageFolder, imagePreprocessing, preprocessImage, type ImageFileEntry, type ImageFolderData, type ImageFolderOptions, type ImagePreprocessing } from './folder.js';
import type { Raster } from './raster.js';

const errno = (e: unknown): string | undefined => (e as { code?: string } | null)?.code;

/**
 * Reads an image folder: `dir/<class>/<image>.png|.jpg|.jpeg`, class names sorted. Hidden files,
 * files of other kinds, files outside a class sub-folder and files that fail to decode are left
 * out and listed in `skipped` with the reason; `resized` says what resizing did.
 *
 * @throws {@link FileFormatError} `not-found` (no such path), `io` (a file, not a directory),
 *   `bad-layout` (loose images without class sub-folders, fewer than two classes, an empty class).
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageFolderData> {
  imagePreprocessing(options);
  let top: string[];
  try {
    if (!(await stat(dir)).isDirectory()) {
      throw new FileFormatError(dir, 'io', 'is a file; an image folder is a directory holding one sub-folder of images per class');
    }
    top = await readdir(dir);
  } catch (e) {
    if (e instanceof FileFormatError) throw e;
    if (errno(e) === 'ENOENT') throw new FileFormatError(dir, 'not-found', 'no such directory', { cause: e });
    throw new FileFormatError(dir, 'io', `cannot read the directory (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const entries: ImageFileEntry[] = [];
  const fileEntry = (path: string, shown: string, className: string | null): ImageFileEntry => ({
    path: shown, className, decode: async () => decodeImageBytes(new Uint8Array(await readFile(path))),
  });
  for (const name of top.sort()) {
    const full = join(dir, name);
    const info = await stat(full);
    if (!info.isDirectory()) {
      entries.push(fileEntry(full, name, null));
      continue;
    }
    if (name.startsWith('.')) continue;
    for (const f of (await readdir(full)).sort()) {
      const inner = join(full, f);
      const shown = `${name}/${f}`;
      if ((await stat(inner)).isDirectory()) {
        entries.push({ path: `${shown}/`, className: name, decode: () => Promise.reject(new Error('a folder')), skip: 'a folder inside a class folder (only the pictures directly in each class folder are read)' });
      } else {
        entries.push(fileEntry(inner, shown, name));
      }
    }
  }
  return buildImageFolder(dir, entries, options);
}

/**
 * Reads and decodes one PNG or JPEG file.
 *
 * @throws {@link FileFormatError} `not-found`, `io`, or `bad-magic` when it is not a PNG/JPEG it can decode.
 */
export async function readImageFile(path: string): Promise<Raster> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    if (errno(e) === 'ENOENT') throw new FileFormatError(path, 'not-found', 'no such file', { cause: e });
    if (errno(e) === 'EISDIR') throw new FileFormatError(path, 'io', 'is a directory, not an image file', { cause: e });
    throw new FileFormatError(path, 'io', `cannot read the file (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  try {
    return decodeImageBytes(bytes);
  } catch (e) {
    throw new FileFormatError(path, 'bad-magic', `cannot be decoded: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Reads one image file and prepares it as a model trained with `pre` expects (planar bytes). */
export async function readImageInput(path: string, pre: ImagePreprocessing): Promise<{ data: Uint8Array; action: string | null }> {
  return preprocessImage(await readImageFile(path), pre);
}
