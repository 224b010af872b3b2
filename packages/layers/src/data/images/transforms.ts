/**
 * Composable, seeded image transforms for data augmentation and normalisation. Each transform
 * maps one planar image (`channels × height × width` floats) to another, drawing its random
 * numbers from the generator it is handed, so the same seed always gives the same images.
 */
import { ArgumentError, RandomGenerator } from '@scratchnet/core';

/** One image as planar floats: `data[c·H·W + y·W + x]`. */
export interface PlanarImage {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly data: Float32Array;
}

/** A transform: a new image from `image`, random choices drawn from `rng`. */
export type ImageTransform = (image: PlanarImage, rng: RandomGenerator) => PlanarImage;

const blank = (like: PlanarImage, height = like.height, width = like.width): PlanarImage => ({
  channels: like.channels, height, width, data: new Float32Array(like.channels * height * width),
});

/** Applies `transforms` in order (torchvision's `Compose`). */
export function compose(...transforms: ImageTransform[]): ImageTransform {
  return (image, rng) => transforms.reduce((img, t) => t(img, rng), image);
}

/** Whole-pixel shift of up to `maxShift` in each direction; the vacated border is `fill`. */
export function randomShift(maxShift: number, fill = 0): ImageTransform {
  if (!Number.isInteger(maxShift) || maxShift < 0) throw new ArgumentError(`randomShift: maxShift must be a non-negative integer, got ${maxShift}`);
  return (image, rng) => {
    const u = rng.uniform(2);
    const dx = Math.floor(u[0]! * (2 * maxShift + 1)) - maxShift;
    const dy = Math.floor(u[1]! * (2 * maxShift + 1)) - maxShift;
    return cropAt(image, -dx, -dy, image.height, image.width, fill);
  };
}

/** The `height × width` window of `image` at (x0, y0), `fill` where it falls outside. */
function cropAt(image: PlanarImage, x0: number, y0: number, height: number, width: number, fill: number): PlanarImage {
  const out = blank(image, height, width);
  const { channels, height: H, width: W, data } = image;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      const sy = y + y0;
      for (let x = 0; x < width; x++) {
        const sx = x + x0;
        out.data[(c * height + y) * width + x] = sy >= 0 && sy < H && sx >= 0 && sx < W ? data[(c * H + sy) * W + sx]! : fill;
      }
    }
  }
  return out;
}

/**
 * A random `size × size` window of the image padded by `padding` pixels of `fill` on every side
 * (torchvision's `RandomCrop(size, padding)`). With `size` equal to the image side this is a shift.
 */
export function randomCrop(size: number, padding = 0, fill = 0): ImageTransform {
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError(`randomCrop: size must be a positive integer, got ${size}`);
  return (image, rng) => {
    const spanX = image.width + 2 * padding - size;
    const spanY = image.height + 2 * padding - size;
    if (spanX < 0 || spanY < 0) throw new ArgumentError(`randomCrop: a ${size}×${size} window does not fit a ${image.height}×${image.width} image padded by ${padding}`);
    const u = rng.uniform(2);
    return cropAt(image, Math.floor(u[0]! * (spanX + 1)) - padding, Math.floor(u[1]! * (spanY + 1)) - padding, size, size, fill);
  };
}

/** Mirrors the image left–right (and/or top–bottom) with probability `p` each. */
export function randomFlip(options: { horizontal?: boolean; vertical?: boolean; p?: number } = {}): ImageTransform {
  const { horizontal = true, vertical = false, p = 0.5 } = options;
  return (image, rng) => {
    const u = rng.uniform(2);
    const fx = horizontal && u[0]! < p;
    const fy = vertical && u[1]! < p;
    if (!fx && !fy) return image;
    const out = blank(image);
    const { channels, height: H, width: W, data } = image;
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) out.data[(c * H + y) * W + x] = data[(c * H + (fy ? H - 1 - y : y)) * W + (fx ? W - 1 - x : x)]!;
      }
    }
    return out;
  };
}

/** Rotates about the centre by a uniform angle in ±`maxDegrees` (bilinear; corners become `fill`). */
export function randomRotation(maxDegrees: number, fill = 0): ImageTransform {
  if (!(maxDegrees >= 0)) throw new ArgumentError(`randomRotation: maxDegrees must be ≥ 0, got ${maxDegrees}`);
  return (image, rng) => {
    const angle = ((rng.uniform(1)[0]! * 2 - 1) * maxDegrees * Math.PI) / 180;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const { channels, height: H, width: W, data } = image;
    const cx = (W - 1) / 2;
    const cy = (H - 1) / 2;
    const out = blank(image);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        // The source point that lands on (x, y): rotate back by the angle.
        const sx = cos * (x - cx) + sin * (y - cy) + cx;
        const sy = -sin * (x - cx) + cos * (y - cy) + cy;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        for (let c = 0; c < channels; c++) {
          const at = (yy: number, xx: number): number => (yy >= 0 && yy < H && xx >= 0 && xx < W ? data[(c * H + yy) * W + xx]! : fill);
          const top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx;
          const bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx;
          out.data[(c * H + y) * W + x] = top * (1 - fy) + bottom * fy;
        }
      }
    }
    return out;
  };
}

/**
 * Random brightness, contrast and (RGB only) saturation changes, each a factor drawn uniformly in
 * `[1 − amount, 1 + amount]`, on images scaled 0..1; results are clamped to 0..1.
 */
export function colorJitter(options: { brightness?: number; contrast?: number; saturation?: number } = {}): ImageTransform {
  const { brightness = 0, contrast = 0, saturation = 0 } = options;
  for (const [k, v] of Object.entries({ brightness, contrast, saturation })) {
    if (!(v >= 0 && v <= 1)) throw new ArgumentError(`colorJitter: ${k} must be in 0..1, got ${v}`);
  }
  return (image, rng) => {
    const u = rng.uniform(3);
    const b = 1 + (u[0]! * 2 - 1) * brightness;
    const k = 1 + (u[1]! * 2 - 1) * contrast;
    const s = 1 + (u[2]! * 2 - 1) * saturation;
    const { channels, height: H, width: W, data } = image;
    const plane = H * W;
    let mean = 0;
    for (let i = 0; i < data.length; i++) mean += data[i]!;
    mean = data.length ? (mean / data.length) * b : 0;
    const out = blank(image);
    for (let i = 0; i < plane; i++) {
      const gray = channels === 3 ? (0.299 * data[i]! + 0.587 * data[plane + i]! + 0.114 * data[2 * plane + i]!) * b : 0;
      for (let c = 0; c < channels; c++) {
        let v = data[c * plane + i]! * b;
        if (channels === 3) v = gray + (v - gray) * s;
        v = mean + (v - mean) * k;
        out.data[c * plane + i] = Math.min(1, Math.max(0, v));
      }
    }
    return out;
  };
}

/** `(x − mean[c]) / std[c]` per channel (one value each applies to every channel). Not random. */
export function normalize(mean: readonly number[], std: readonly number[]): ImageTransform {
  if (std.some((s) => !(s > 0))) throw new ArgumentError(`normalize: every std must be > 0, got [${std.join(', ')}]`);
  return (image) => {
    const { channels, height: H, width: W, data } = image;
    if ((mean.length !== 1 && mean.length !== channels) || (std.length !== 1 && std.length !== channels)) {
      throw new ArgumentError(`normalize: mean and std need 1 or ${channels} values for a ${channels}-channel image, got ${mean.length} and ${std.length}`);
    }
    const plane = H * W;
    const out = blank(image);
    for (let c = 0; c < channels; c++) {
      const m = mean[mean.length === 1 ? 0 : c]!;
      const s = std[std.length === 1 ? 0 : c]!;
      for (let i = 0; i < plane; i++) out.data[c * plane + i] = (data[c * plane + i]! - m) / s;
    }
    return out;
  };
}

/**
 * Applies `transform` to each of `count` planar images laid end to end in `images` (all of one
 * shape) and returns the results end to end with their shape. Sample `i` draws from the `i`-th generator split off
 * `seed`, so a sample's result does not depend on the others.
 */
export function transformImages(
  images: Float32Array, shape: readonly [number, number, number, number], transform: ImageTransform, seed: number | RandomGenerator,
): { data: Float32Array; shape: [number, number, number, number] } {
  const [count, channels, height, width] = shape;
  const per = channels * height * width;
  if (images.length !== count * per) throw new ArgumentError(`transformImages: shape [${shape.join(', ')}] needs ${count * per} values, got ${images.length}`);
  const gens = count ? (seed instanceof RandomGenerator ? seed : new RandomGenerator(seed)).split(count) : [];
  let out: Float32Array | null = null;
  let outPer = 0;
  let outShape: [number, number, number, number] = [count, channels, height, width];
  for (let i = 0; i < count; i++) {
    const r = transform({ channels, height, width, data: images.subarray(i * per, (i + 1) * per) }, gens[i]!);
    if (!out) {
      outPer = r.data.length;
      out = new Float32Array(count * outPer);
      outShape = [count, r.channels, r.height, r.width];
    }
    if (r.data.length !== outPer) throw new ArgumentError(`transformImages: the transform gave images of different sizes (${outPer} and ${r.data.length} values)`);
    out.set(r.data, i * outPer);
  }
  return { data: out ?? new Float32Array(0), shape: outShape };
}
