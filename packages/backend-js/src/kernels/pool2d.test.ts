import { describe, expect, it } from 'vitest';
import type { Conv2dInfo, PoolKind } from '@scratchnet/core';
import { Harness, convInfo, dot, expectClose, randomF32 } from '../../test/helpers.js';
import { pool2dBackKernel, pool2dKernel } from './pool2d.js';

/** Flat x offsets of the in-bounds cells of each output window, row-major. */
function windows(info: Conv2dInfo): number[][] {
  const res: number[][] = [];
  const planes = info.batch * info.inChannels;
  for (let p = 0; p < planes; p++) for (let oh = 0; oh < info.outHeight; oh++) for (let ow = 0; ow < info.outWidth; ow++) {
    const cells: number[] = [];
    for (let ki = 0; ki < info.kernelHeight; ki++) for (let kj = 0; kj < info.kernelWidth; kj++) {
      const ih = oh * info.strideHeight - info.padTop + ki * info.dilationHeight;
      const iw = ow * info.strideWidth - info.padLeft + kj * info.dilationWidth;
      if (ih >= 0 && ih < info.inHeight && iw >= 0 && iw < info.inWidth) cells.push((p * info.inHeight + ih) * info.inWidth + iw);
    }
    res.push(cells);
  }
  return res;
}

function naiveArgmax(x: ArrayLike<number>, cells: number[]): number {
  let at = -1;
  for (const c of cells) if (at < 0 || x[c]! > x[at]!) at = c;
  return at;
}

function naivePool(kind: PoolKind, x: Float32Array, info: Conv2dInfo): number[] {
  return windows(info).map((cells) => kind === 'max'
    ? x[naiveArgmax(x, cells)]!
    : cells.reduce((s, c) => s + x[c]!, 0) / cells.length);
}

function naivePoolBack(kind: PoolKind, dy: Float32Array, x: Float32Array, info: Conv2dInfo): Float64Array {
  const dx = new Float64Array(x.length);
  windows(info).forEach((cells, o) => {
    if (kind === 'max') dx[naiveArgmax(x, cells)]! += dy[o]!;
    else for (const c of cells) dx[c]! += dy[o]! / cells.length;
  });
  return dx;
}

const CASES: [string, Conv2dInfo][] = [
  ['2×2 stride 2', convInfo({ n: 2, c: 3, h: 6, w: 6, outC: 3, kh: 2, kw: 2, sh: 2, sw: 2 })],
  ['2×2 stride 2 odd input', convInfo({ n: 1, c: 2, h: 7, w: 5, outC: 2, kh: 2, kw: 2, sh: 2, sw: 2 })],
  ['3×3 stride 1 pad 1', convInfo({ n: 1, c: 2, h: 5, w: 7, outC: 2, kh: 3, kw: 3, pt: 1, pl: 1 })],
  ['3×3 stride 2 pad 1', convInfo({ n: 2, c: 1, h: 7, w: 7, outC: 1, kh: 3, kw: 3, sh: 2, sw: 2, pt: 1, pl: 1 })],
  ['overlapping 3×2 stride (2, 1), asymmetric pad', convInfo({ n: 1, c: 1, h: 8, w: 6, outC: 1, kh: 3, kw: 2, sh: 2, sw: 1, pt: 0, pb: 2, pl: 1, pr: 0 })],
  ['dilation 2', convInfo({ n: 1, c: 2, h: 9, w: 9, outC: 2, kh: 2, kw: 3, dh: 2, dw: 2, pt: 1, pl: 1 })],
  ['global 13×13', convInfo({ n: 2, c: 2, h: 13, w: 13, outC: 2, kh: 13, kw: 13 })],
];

describe('pool2d / pool2dBack against naive loops', () => {
  const h = new Harness();
  CASES.forEach(([name, info], i) => {
    for (const kind of ['max', 'avg'] as const) {
      it(`${kind}: ${name}`, () => {
        const xShape = [info.batch, info.inChannels, info.inHeight, info.inWidth];
        const yShape = [info.batch, info.inChannels, info.outHeight, info.outWidth];
        // Negative values make sure padding (which would read as 0) never wins a max.
        const xv = randomF32(xShape, 2 * i + 1).map((v) => v - 2);
        const dyv = randomF32(yShape, 2 * i + 2);
        const x = h.t(xv, xShape);
        expectClose(h.read(h.backend.pool2d(kind, x, info)), naivePool(kind, xv, info).map(Math.fround), 1e-6, 1e-6);
        expectClose(h.read(h.backend.pool2dBack(kind, h.t(dyv, yShape), x, info)), naivePoolBack(kind, dyv, xv, info), 1e-6, 1e-6);
      });
    }
  });

  it('max backward sends ties to the first row-major maximum', () => {
    const info = convInfo({ n: 1, c: 1, h: 2, w: 4, outC: 1, kh: 2, kw: 2, sh: 2, sw: 2 });
    const x = h.t([1, 5, 7, 7, 5, 2, 7, 7], [1, 1, 2, 4]);
    expect(Array.from(h.read(h.backend.pool2d('max', x, info)))).toEqual([5, 7]);
    const dx = h.read(h.backend.pool2dBack('max', h.t([10, 20], [1, 1, 1, 2]), x, info));
    expect(Array.from(dx)).toEqual([0, 10, 20, 0, 0, 0, 0, 0]);
  });

  it('avg divides by in-bounds cells only', () => {
    const info = convInfo({ n: 1, c: 1, h: 2, w: 2, outC: 1, kh: 2, kw: 2, pt: 1, pl: 1 });
    const x = h.t([1, 2, 3, 4], [1, 1, 2, 2]);
    expect(Array.from(h.read(h.backend.pool2d('avg', x, info)))).toEqual([1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4]);
  });

  it('max propagates NaN', () => {
    const info = convInfo({ n: 1, c: 1, h: 2, w: 2, outC: 1, kh: 2, kw: 2 });
    expectClose(h.read(h.backend.pool2d('max', h.t([1, NaN, 3, 2], [1, 1, 2, 2]), info)), [NaN]);
  });
});

describe('pool2dBack against finite differences', () => {
  for (const [name, info] of [CASES[3]!, CASES[4]!, CASES[5]!]) {
    for (const kind of ['max', 'avg'] as const) {
      it(`${kind}: ${name}`, () => {
        const n = info.batch * info.inChannels * info.inHeight * info.inWidth;
        // Distinct, well-separated values so that a small step never changes which cell is the max.
        const order = randomF32([n], 5);
        const xv = Float32Array.from(order.map((v, i) => i).sort((a, b) => order[a]! - order[b]!), (v, i) => i * 0.5 + (v % 3) * 0.01);
        const dyv = randomF32([info.batch, info.inChannels, info.outHeight, info.outWidth], 6);
        const dx = pool2dBackKernel(kind, dyv, xv, info);
        const eps = 0.01;
        for (let i = 0; i < n; i++) {
          const plus = xv.slice();
          const minus = xv.slice();
          plus[i]! += eps;
          minus[i]! -= eps;
          const fd = (dot(dyv, pool2dKernel(kind, plus, info)) - dot(dyv, pool2dKernel(kind, minus, info))) / (2 * eps);
          expect(Math.abs(fd - dx[i]!), `x[${i}]`).toBeLessThan(2e-3);
        }
      });
    }
  }
});
