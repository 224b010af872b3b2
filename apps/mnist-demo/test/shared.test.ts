/** The pieces shared by the CLI and the web app: the split, the augmentation, the drawing preprocessing, the packed data. */
import { describe, expect, it } from 'vitest';
import { PIXELS, groupByDigit, shiftAugment, splitPerDigit, takeDigits } from '../src/shared/data.js';
import { mnistPreprocess, resizeGray } from '../src/shared/preprocess.js';
import { confusionMatrix } from '../src/shared/model.js';
import { isSoftwareGpu, pickDefault } from '../src/shared/backends.js';
import { encodeIdxBytes } from '../src/node/pack.js';
import { loadMnistPackage } from '../src/node/mnist-package.js';

/** Ten classes of `n[c]` fake images whose first byte is the class and second the index. */
function fakeClasses(n: readonly number[]): Uint8Array[] {
  return n.map((count, c) => {
    const a = new Uint8Array(count * PIXELS);
    for (let i = 0; i < count; i++) {
      a[i * PIXELS] = c;
      a[i * PIXELS + 1] = i;
    }
    return a;
  });
}

describe('splitPerDigit', () => {
  const sizes = [13, 17, 11, 12, 10, 9, 14, 15, 10, 9];
  it('puts exactly testCount digits in the test set, per class in proportion, each image once', () => {
    const { train, test } = splitPerDigit(fakeClasses(sizes), 24, 1);
    expect(test.count).toBe(24);
    expect(train.count).toBe(120 - 24);
    const seen = new Set<string>();
    for (const set of [train, test]) {
      for (let i = 0; i < set.count; i++) {
        expect(set.images[i * PIXELS]).toBe(set.labels[i]);
        seen.add(`${set.labels[i]}:${set.images[i * PIXELS + 1]}`);
      }
    }
    expect(seen.size).toBe(120);
    const perClass = new Array<number>(10).fill(0);
    test.labels.forEach((l) => (perClass[l]! += 1));
    perClass.forEach((k, c) => expect(Math.abs(k - (sizes[c]! * 24) / 120)).toBeLessThan(1));
  });

  it('is reproducible from the seed, different across seeds, and mixes classes in any prefix', () => {
    const a = splitPerDigit(fakeClasses(sizes), 24, 5);
    const b = splitPerDigit(fakeClasses(sizes), 24, 5);
    const c = splitPerDigit(fakeClasses(sizes), 24, 6);
    expect(a.test.images).toEqual(b.test.images);
    expect(a.train.labels).toEqual(b.train.labels);
    expect(a.test.images).not.toEqual(c.test.images);
    expect(new Set(takeDigits(a.train, 30).labels).size).toBeGreaterThan(5);
  });

  it('groupByDigit undoes the interleaving', () => {
    const { train } = splitPerDigit(fakeClasses(sizes), 24, 2);
    const groups = groupByDigit(train);
    groups.forEach((g, c) => {
      expect(g.length / PIXELS).toBe(train.labels.filter((l) => l === c).length);
      for (let i = 0; i < g.length / PIXELS; i++) expect(g[i * PIXELS]).toBe(c);
    });
  });
});

describe('shiftAugment', () => {
  it('moves each image by at most maxShift pixels without changing labels', () => {
    const img = new Uint8Array(PIXELS);
    img[14 * 28 + 14] = 255;
    const set = { images: new Uint8Array([...img, ...img, ...img]), labels: new Uint8Array([1, 2, 3]), count: 3 };
    const out = shiftAugment(set, 2, 9);
    expect(out.labels).toEqual(set.labels);
    for (let n = 0; n < 3; n++) {
      const at = out.images.subarray(n * PIXELS, (n + 1) * PIXELS).indexOf(255);
      expect(Math.abs((at % 28) - 14)).toBeLessThanOrEqual(2);
      expect(Math.abs(Math.floor(at / 28) - 14)).toBeLessThanOrEqual(2);
    }
    expect(shiftAugment(set, 0, 9)).toBe(set);
  });
});

describe('mnistPreprocess', () => {
  it('scales the ink to 20 pixels on its longer side and centres it by mass in 28×28', () => {
    const w = 200;
    const h = 100;
    const ink = new Float32Array(w * h);
    for (let y = 10; y < 90; y++) for (let x = 20; x < 40; x++) ink[y * w + x] = 255; // a tall bar near the left
    const out = mnistPreprocess(ink, w, h)!;
    let mass = 0;
    let cx = 0;
    let cy = 0;
    let rows = 0;
    for (let y = 0; y < 28; y++) {
      let rowInk = false;
      for (let x = 0; x < 28; x++) {
        const v = out[y * 28 + x]!;
        mass += v;
        cx += v * (x + 0.5);
        cy += v * (y + 0.5);
        if (v > 0.5) rowInk = true;
      }
      if (rowInk) rows++;
    }
    expect(rows).toBeGreaterThanOrEqual(19);
    expect(rows).toBeLessThanOrEqual(21);
    expect(Math.abs(cx / mass - 14)).toBeLessThan(1);
    expect(Math.abs(cy / mass - 14)).toBeLessThan(1);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
  });

  it('returns null for an empty drawing; resizeGray keeps a flat image flat', () => {
    expect(mnistPreprocess(new Float32Array(100), 10, 10)).toBeNull();
    expect([...new Set(resizeGray(new Uint8Array(64 * 48).fill(77), 64, 48, 28))]).toEqual([77]);
  });
});

describe('data files', () => {
  it('the mnist package holds 10,000 digits, each class 800 to 1,200 images of bytes', async () => {
    const classes = await loadMnistPackage();
    expect(classes.reduce((n, c) => n + c.length / PIXELS, 0)).toBe(10_000);
    for (const c of classes) {
      expect(c.length / PIXELS).toBeGreaterThan(800);
      expect(c.length / PIXELS).toBeLessThan(1200);
    }
  });

  it('encodeIdxBytes writes the IDX header big-endian', () => {
    const bytes = encodeIdxBytes([2, 3], new Uint8Array([1, 2, 3, 4, 5, 6]));
    expect([...bytes.subarray(0, 12)]).toEqual([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
  });

  it('confusionMatrix counts [actual][predicted]', () => {
    const m = confusionMatrix({ actual: Int32Array.from([0, 0, 1, 2]), predicted: Int32Array.from([0, 1, 1, 0]) }, 3);
    expect(m).toEqual([[1, 1, 0], [0, 1, 0], [1, 0, 0]]);
  });
});

describe('pickDefault', () => {
  const gpu = (info: Record<string, unknown>) => ({ name: 'webgpu', available: true, info });
  const wasm = { name: 'wasm', available: true, info: { isa: 'simd' } };
  it('passes over a software-emulated GPU adapter (lavapipe in Node, SwiftShader in Chromium) unless nothing else runs', () => {
    expect(pickDefault([gpu({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15' }), wasm])?.name).toBe('wasm');
    expect(pickDefault([gpu({ vendor: 'google', architecture: 'swiftshader' }), wasm])?.name).toBe('wasm');
    expect(pickDefault([gpu({ vendor: 'nvidia', architecture: 'ada' }), wasm])?.name).toBe('webgpu');
    expect(pickDefault([gpu({ architecture: 'software' }), { name: 'js', available: false }])?.name).toBe('webgpu');
    expect(isSoftwareGpu(wasm)).toBe(false);
  });
});
