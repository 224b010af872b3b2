/**
 * Image preprocessing shared by the CLI (`--images`) and the drawing canvas: resizing grayscale
 * pixels, and MNIST's own normalisation of a digit (fit into 20×20 keeping its aspect ratio, then
 * placed in a 28×28 field so that its centre of mass is in the middle).
 */
import { sampleBilinear } from '@scratchnet/layers';
import { SIDE } from './data.js';

/**
 * Resizes a region of a grayscale image to `outW × outH`, averaging a grid of bilinear samples
 * per output pixel (so shrinking a big drawing keeps thin strokes).
 *
 * @param region - `[x, y, width, height]` of the source to use; the whole image by default.
 */
export function resample(
  src: ArrayLike<number>, w: number, h: number, outW: number, outH: number, region: readonly [number, number, number, number] = [0, 0, w, h],
): Float32Array {
  const [rx, ry, rw, rh] = region;
  const image = { width: w, height: h, channels: 1, data: src };
  const out = new Float32Array(outW * outH);
  const sx = rw / outW;
  const sy = rh / outH;
  const nx = Math.max(1, Math.ceil(sx));
  const ny = Math.max(1, Math.ceil(sy));
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      let acc = 0;
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          acc += sampleBilinear(image, 0, rx + (ox + (i + 0.5) / nx) * sx - 0.5, ry + (oy + (j + 0.5) / ny) * sy - 0.5);
        }
      }
      out[oy * outW + ox] = acc / (nx * ny);
    }
  }
  return out;
}

/** Resizes grayscale bytes to `size × size` bytes (whole image, aspect ratio not kept). */
export function resizeGray(pixels: Uint8Array, w: number, h: number, size: number): Uint8Array {
  if (w === size && h === size) return pixels.slice();
  const r = resample(pixels, w, h, size, size);
  return Uint8Array.from(r, (v) => Math.max(0, Math.min(255, Math.round(v))));
}

/**
 * Turns a drawing into an MNIST digit: crops to the ink's bounding box, scales it so its longer
 * side is 20 pixels (aspect kept), and places it in a 28×28 field with its centre of mass at the
 * centre, as the MNIST set was made.
 *
 * @param ink - w × h values, 0 = background, larger = more ink (any scale).
 * @returns 784 values in 0..1, or null when there is no ink.
 */
export function mnistPreprocess(ink: ArrayLike<number>, w: number, h: number): Float32Array | null {
  let max = 0;
  for (let i = 0; i < w * h; i++) max = Math.max(max, ink[i]!);
  if (max <= 0) return null;
  const threshold = max * 0.05;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ink[y * w + x]! > threshold) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  const box = resample(ink, w, h, tw, th, [x0, y0, bw, bh]);
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = box[y * tw + x]! / max;
      box[y * tw + x] = Math.min(1, v);
      mass += v;
      cx += v * x;
      cy += v * y;
    }
  }
  const ox = Math.round(SIDE / 2 - (mass > 0 ? cx / mass + 0.5 : tw / 2));
  const oy = Math.round(SIDE / 2 - (mass > 0 ? cy / mass + 0.5 : th / 2));
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const X = x + ox;
      const Y = y + oy;
      if (X >= 0 && X < SIDE && Y >= 0 && Y < SIDE) out[Y * SIDE + X] = box[y * tw + x]!;
    }
  }
  return out;
}
