/**
 * Decoded pictures as plain bytes: the common form that the Node decoders (PNG, JPEG) and the
 * browser decoder (`createImageBitmap`) produce, before resizing and conversion to tensors.
 */
import { ArgumentError } from '@scratchnet/core';

/** Channels an image is turned into: 1 for grayscale, 3 for RGB. */
export type ImageChannels = 1 | 3;

/** An image as interleaved bytes (row-major, `channels` values per pixel, 0..255). */
export interface Raster {
  readonly width: number;
  readonly height: number;
  /** 1 (gray), 3 (RGB) or 4 (RGBA, as decoders return it). */
  readonly channels: 1 | 3 | 4;
  /** `height × width × channels` bytes. */
  readonly data: Uint8Array;
}

/**
 * Converts a decoded image to gray (`channels` 1: ITU-R 601 luma) or RGB (`channels` 3). Alpha is
 * composited over black, so transparent areas read as background (0).
 */
export function toChannels(image: Raster, channels: ImageChannels): Raster {
  const { width, height, data } = image;
  if (data.length !== width * height * image.channels) {
    throw new ArgumentError(`toChannels: a ${width}×${height} image with ${image.channels} channels needs ${width * height * image.channels} bytes, got ${data.length}`);
  }
  if (image.channels === channels) return image;
  const n = width * height;
  const out = new Uint8Array(n * channels);
  const c = image.channels;
  for (let i = 0; i < n; i++) {
    const a = c === 4 ? data[i * 4 + 3]! / 255 : 1;
    const r = data[i * c]!;
    const g = c === 1 ? r : data[i * c + 1]!;
    const b = c === 1 ? r : data[i * c + 2]!;
    if (channels === 1) {
      out[i] = Math.round((0.299 * r + 0.587 * g + 0.114 * b) * a);
    } else {
      out[i * 3] = Math.round(r * a);
      out[i * 3 + 1] = Math.round(g * a);
      out[i * 3 + 2] = Math.round(b * a);
    }
  }
  return { width, height, channels, data: out };
}

/** Interleaved HWC bytes to planar CHW floats scaled to 0..1 (what the networks take). */
export function rasterToPlanar(image: Raster, out = new Float32Array(image.width * image.height * image.channels)): Float32Array {
  const { width, height, channels, data } = image;
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    for (let ch = 0; ch < channels; ch++) out[ch * plane + i] = data[i * channels + ch]! / 255;
  }
  return out;
}
