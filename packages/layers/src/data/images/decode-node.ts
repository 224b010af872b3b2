/**
 * PNG and JPEG decoding in Node, with pngjs and jpeg-js (pure JavaScript, no native build). Only
 * the `@scratchnet/layers/node` entry point imports this file, so browser bundles never see it.
 */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import type { Raster } from './raster.js';

/** Largest picture decoded, in megapixels (a guard against decompression bombs). */
export const MAX_IMAGE_MEGAPIXELS = 100;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format of image bytes by their signature, or null when they are neither PNG nor JPEG. */
export function sniffImageFormat(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/**
 * Decodes PNG or JPEG bytes (told apart by their signature, not the file name) to RGBA.
 *
 * @throws Error saying what the bytes are not, or what the decoder found wrong.
 */
export function decodeImageBytes(bytes: Uint8Array): Raster {
  const format = sniffImageFormat(bytes);
  if (format === 'png') {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (png.width * png.height > MAX_IMAGE_MEGAPIXELS * 1e6) throw new Error(`a ${png.width}×${png.height} PNG is over the ${MAX_IMAGE_MEGAPIXELS}-megapixel limit`);
    return { width: png.width, height: png.height, channels: 4, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  }
  if (format === 'jpeg') {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
    return { width: img.width, height: img.height, channels: 4, data: img.data };
  }
  if (bytes.length === 0) throw new Error('the file is empty');
  throw new Error('not a PNG or JPEG file (its first bytes are neither signature)');
}
