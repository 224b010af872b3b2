/**
 * Resizing to a square that keeps the aspect ratio: the longer side is scaled to the target and
 * the shorter one padded (`pad`), or the shorter side is scaled and the longer one cut evenly on
 * both ends (`crop`), or — only when asked — the picture is stretched (`stretch`).
 */
import { ArgumentError } from '@scratchnet/core';
import type { Raster } from './raster.js';

/** How a non-square picture becomes square. */
export type FitMode = 'pad' | 'crop' | 'stretch';
/** The fit modes, for option checks. */
export const FIT_MODES: readonly FitMode[] = ['pad', 'crop', 'stretch'];

/** A resized image and what was done to it (null when it already had the target size). */
export interface FittedRaster {
  readonly image: Raster;
  /** E.g. `'64×48 → padded to 64×64, scaled to 28×28'`; null when nothing was done. */
  readonly action: string | null;
}

/** An interleaved image as {@link sampleBilinear} reads it: `height × width × channels` values of any numeric array. */
export interface SampledImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: ArrayLike<number>;
}

/** Samples channel `ch` of `src` at the pixel coordinates (x, y) bilinearly, clamping at the edges. */
export function sampleBilinear(src: SampledImage, ch: number, x: number, y: number): number {
  const { width: w, height: h, channels: c, data } = src;
  const x0 = Math.max(0, Math.min(w - 1, Math.floor(x)));
  const y0 = Math.max(0, Math.min(h - 1, Math.floor(y)));
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const fx = Math.max(0, Math.min(1, x - x0));
  const fy = Math.max(0, Math.min(1, y - y0));
  const top = data[(y0 * w + x0) * c + ch]! * (1 - fx) + data[(y0 * w + x1) * c + ch]! * fx;
  const bottom = data[(y1 * w + x0) * c + ch]! * (1 - fx) + data[(y1 * w + x1) * c + ch]! * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * Resamples the region `[rx, ry, rw, rh]` of `src` (which may reach outside the image: that part
 * is `fill`) to `outW × outH`, averaging a grid of bilinear samples per output pixel so that
 * shrinking keeps thin strokes.
 */
function resampleRegion(src: Raster, region: readonly [number, number, number, number], outW: number, outH: number, fill: number): Raster {
  const [rx, ry, rw, rh] = region;
  const c = src.channels;
  const out = new Uint8Array(outW * outH * c);
  const sx = rw / outW;
  const sy = rh / outH;
  const nx = Math.max(1, Math.ceil(sx));
  const ny = Math.max(1, Math.ceil(sy));
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let j = 0; j < ny; j++) {
          for (let i = 0; i < nx; i++) {
            const x = rx + (ox + (i + 0.5) / nx) * sx;
            const y = ry + (oy + (j + 0.5) / ny) * sy;
            const inside = x >= 0 && y >= 0 && x <= src.width && y <= src.height;
            acc += inside ? sampleBilinear(src, ch, x - 0.5, y - 0.5) : fill;
          }
        }
        out[(oy * outW + ox) * c + ch] = Math.max(0, Math.min(255, Math.round(acc / (nx * ny))));
      }
    }
  }
  return { width: outW, height: outH, channels: src.channels, data: out };
}

/**
 * Makes `image` `size × size`, keeping its aspect ratio unless `fit` is `'stretch'`.
 *
 * @param fit - `pad` (default): the whole picture, the short side padded with `fill` on both sides;
 *   `crop`: the centre square, the long side cut on both ends; `stretch`: scaled to the square.
 * @param fill - the padding byte (default 0, black).
 */
export function fitToSquare(image: Raster, size: number, fit: FitMode = 'pad', fill = 0): FittedRaster {
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError(`fitToSquare: size must be a positive integer, got ${size}`);
  if (!FIT_MODES.includes(fit)) throw new ArgumentError(`fitToSquare: fit must be one of ${FIT_MODES.join(', ')}, got '${String(fit)}'`);
  const { width: w, height: h } = image;
  if (w === size && h === size) return { image, action: null };
  const from = `${w}×${h}`;
  const scaled = `scaled to ${size}×${size}`;
  if (w === h || fit === 'stretch') {
    return { image: resampleRegion(image, [0, 0, w, h], size, size, fill), action: `${from} → ${w === h ? scaled : `stretched to ${size}×${size}`}` };
  }
  const side = fit === 'pad' ? Math.max(w, h) : Math.min(w, h);
  const region = [(w - side) / 2, (h - side) / 2, side, side] as const;
  const how = fit === 'pad' ? `padded to ${side}×${side}` : `centre-cropped to ${side}×${side}`;
  const sizeNote = side === size ? '' : `, ${scaled}`;
  return { image: resampleRegion(image, region, size, size, fill), action: `${from} → ${how}${sizeNote}` };
}
