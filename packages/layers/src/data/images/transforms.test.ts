import { RandomGenerator } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { fitToSquare } from './resize.js';
import { toChannels } from './raster.js';
import { colorJitter, compose, normalize, randomCrop, randomFlip, randomRotation, randomShift, transformImages, type PlanarImage } from './transforms.js';

/** A 1-channel 3×3 image holding 1..9. */
const nine = (): PlanarImage => ({ channels: 1, height: 3, width: 3, data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) });
const rng = (seed = 1): RandomGenerator => new RandomGenerator(seed);

describe('image transforms', () => {
  it('randomFlip mirrors exactly, or not at all', () => {
    expect([...randomFlip({ p: 1 })(nine(), rng()).data]).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
    expect([...randomFlip({ horizontal: false, vertical: true, p: 1 })(nine(), rng()).data]).toEqual([7, 8, 9, 4, 5, 6, 1, 2, 3]);
    expect([...randomFlip({ p: 0 })(nine(), rng()).data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('randomShift moves whole pixels and fills the border; a 0 shift is the identity', () => {
    expect([...randomShift(0)(nine(), rng()).data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const seen = new Set<string>();
    for (let s = 0; s < 40; s++) {
      const out = [...randomShift(1, -1)(nine(), rng(s)).data];
      seen.add(out.join(','));
      // Every kept value sits one step away at most from where it was.
      out.forEach((v, i) => v !== -1 && expect(Math.abs(((v - 1) % 3) - (i % 3))).toBeLessThanOrEqual(1));
    }
    expect(seen.size).toBe(9);
  });

  it('randomCrop takes a window of the padded image', () => {
    const out = randomCrop(2)(nine(), rng(3));
    expect([out.height, out.width]).toEqual([2, 2]);
    const windows = ['1,2,4,5', '2,3,5,6', '4,5,7,8', '5,6,8,9'];
    expect(windows).toContain([...out.data].join(','));
    expect(() => randomCrop(5)(nine(), rng())).toThrow('randomCrop: a 5×5 window does not fit a 3×3 image padded by 0');
  });

  it('randomRotation by 0° is the identity and keeps the centre fixed', () => {
    expect([...randomRotation(0)(nine(), rng()).data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const r = randomRotation(90)(nine(), rng(8));
    expect(r.data[4]).toBeCloseTo(5, 5);
  });

  it('colorJitter keeps values in 0..1 and changes nothing with amounts 0', () => {
    const img: PlanarImage = { channels: 3, height: 1, width: 2, data: Float32Array.from([0.2, 0.9, 0.5, 0.1, 1, 0]) };
    expect([...colorJitter()(img, rng()).data]).toEqual([...img.data]);
    const j = colorJitter({ brightness: 0.5, contrast: 0.5, saturation: 0.5 })(img, rng(4));
    expect(j.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect([...j.data]).not.toEqual([...img.data]);
  });

  it('normalize subtracts the mean and divides by the std per channel', () => {
    const img: PlanarImage = { channels: 2, height: 1, width: 2, data: Float32Array.from([1, 3, 10, 20]) };
    expect([...normalize([1, 10], [2, 5])(img, rng()).data]).toEqual([0, 1, 0, 2]);
    expect(() => normalize([0, 0, 0], [1])(img, rng())).toThrow('normalize: mean and std need 1 or 2 values for a 2-channel image, got 3 and 1');
  });

  it('compose and transformImages are seeded: same seed, same images; per-sample independent', () => {
    const t = compose(randomShift(1), randomFlip(), randomRotation(15));
    const batch = new Float32Array(4 * 9).map((_, i) => (i % 9) + 1);
    const a = transformImages(batch, [4, 1, 3, 3], t, 7);
    const b = transformImages(batch, [4, 1, 3, 3], t, 7);
    const c = transformImages(batch, [4, 1, 3, 3], t, 8);
    expect(a.shape).toEqual([4, 1, 3, 3]);
    expect([...a.data]).toEqual([...b.data]);
    expect([...a.data]).not.toEqual([...c.data]);
    const cropped = transformImages(batch, [4, 1, 3, 3], randomCrop(2), 1);
    expect(cropped.shape).toEqual([4, 1, 2, 2]);
  });
});

describe('resizing and channels', () => {
  const gray = (w: number, h: number, v = 200) => ({ width: w, height: h, channels: 1 as const, data: new Uint8Array(w * h).fill(v) });
  it('pad keeps the whole picture, crop the centre, stretch neither aspect', () => {
    const padded = fitToSquare(gray(4, 2), 4, 'pad');
    expect(padded.action).toBe('4×2 → padded to 4×4');
    expect([...padded.image.data]).toEqual([0, 0, 0, 0, 200, 200, 200, 200, 200, 200, 200, 200, 0, 0, 0, 0]);
    const cropped = fitToSquare(gray(4, 2), 2, 'crop');
    expect(cropped.action).toBe('4×2 → centre-cropped to 2×2');
    expect(fitToSquare(gray(4, 2), 2, 'stretch').action).toBe('4×2 → stretched to 2×2');
    expect(fitToSquare(gray(2, 2), 2).action).toBe(null);
  });

  it('converts RGBA to gray (luma over black) and to RGB', () => {
    const rgba = { width: 1, height: 1, channels: 4 as const, data: Uint8Array.from([100, 200, 50, 128]) };
    expect([...toChannels(rgba, 1).data]).toEqual([Math.round((0.299 * 100 + 0.587 * 200 + 0.114 * 50) * (128 / 255))]);
    expect([...toChannels(rgba, 3).data]).toEqual([50, 100, 25]);
    expect([...toChannels({ width: 1, height: 1, channels: 1, data: Uint8Array.from([9]) }, 3).data]).toEqual([9, 9, 9]);
  });
});
