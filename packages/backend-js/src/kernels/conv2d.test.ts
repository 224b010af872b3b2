import { describe, expect, it } from 'vitest';
import type { Conv2dInfo } from '@scratchnet/core';
import { Harness, convInfo, dot, expectClose, randomF32 } from '../../test/helpers.js';
import { conv2dBackFilterKernel, conv2dBackInputKernel, conv2dKernel } from './conv2d.js';

/** Visits every (image, out channel, out pixel, in channel of group, tap) with the flat x / w / y offsets of valid taps. */
function forEachTap(info: Conv2dInfo, visit: (xi: number, wi: number, yi: number) => void): void {
  const { batch: N, inChannels: C, inHeight: H, inWidth: W, outChannels: O, outHeight: OH, outWidth: OW } = info;
  const cg = C / info.groups;
  const og = O / info.groups;
  const KH = info.kernelHeight;
  const KW = info.kernelWidth;
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) {
    const g = Math.floor(o / og);
    for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
      const yi = ((n * O + o) * OH + oh) * OW + ow;
      for (let c = 0; c < cg; c++) for (let ki = 0; ki < KH; ki++) for (let kj = 0; kj < KW; kj++) {
        const ih = oh * info.strideHeight - info.padTop + ki * info.dilationHeight;
        const iw = ow * info.strideWidth - info.padLeft + kj * info.dilationWidth;
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
        visit(((n * C + g * cg + c) * H + ih) * W + iw, ((o * cg + c) * KH + ki) * KW + kj, yi);
      }
    }
  }
}

function naiveConv(x: Float32Array, w: Float32Array, info: Conv2dInfo): Float64Array {
  const y = new Float64Array(info.batch * info.outChannels * info.outHeight * info.outWidth);
  forEachTap(info, (xi, wi, yi) => { y[yi]! += x[xi]! * w[wi]!; });
  return y;
}

function naiveBackInput(dy: Float32Array, w: Float32Array, info: Conv2dInfo): Float64Array {
  const dx = new Float64Array(info.batch * info.inChannels * info.inHeight * info.inWidth);
  forEachTap(info, (xi, wi, yi) => { dx[xi]! += dy[yi]! * w[wi]!; });
  return dx;
}

function naiveBackFilter(x: Float32Array, dy: Float32Array, info: Conv2dInfo): Float64Array {
  const dw = new Float64Array(info.outChannels * (info.inChannels / info.groups) * info.kernelHeight * info.kernelWidth);
  forEachTap(info, (xi, wi, yi) => { dw[wi]! += dy[yi]! * x[xi]!; });
  return dw;
}

const CASES: [string, Conv2dInfo][] = [
  ['1×1 pointwise', convInfo({ n: 2, c: 3, h: 5, w: 4, outC: 7, kh: 1, kw: 1 })],
  ['1×1 stride 2', convInfo({ n: 1, c: 3, h: 7, w: 7, outC: 2, kh: 1, kw: 1, sh: 2, sw: 2 })],
  ['3×3 pad 1', convInfo({ n: 2, c: 3, h: 7, w: 7, outC: 5, kh: 3, kw: 3, pt: 1, pl: 1 })],
  ['3×3 no pad, odd sizes', convInfo({ n: 1, c: 1, h: 13, w: 7, outC: 3, kh: 3, kw: 3 })],
  ['stride 2 pad 1', convInfo({ n: 2, c: 2, h: 7, w: 8, outC: 3, kh: 3, kw: 3, sh: 2, sw: 2, pt: 1, pl: 1 })],
  ['dilation 2', convInfo({ n: 1, c: 2, h: 9, w: 8, outC: 3, kh: 3, kw: 2, dh: 2, dw: 2, pt: 2, pl: 1 })],
  ['asymmetric padding', convInfo({ n: 1, c: 2, h: 6, w: 5, outC: 2, kh: 2, kw: 3, pt: 0, pb: 1, pl: 2, pr: 0 })],
  ['stride 3, kernel larger than stride', convInfo({ n: 1, c: 1, h: 13, w: 13, outC: 1, kh: 5, kw: 4, sh: 3, sw: 2, pt: 2, pl: 1 })],
  ['groups 2', convInfo({ n: 2, c: 4, h: 5, w: 6, outC: 6, kh: 3, kw: 3, pt: 1, pl: 1, groups: 2 })],
  ['depthwise', convInfo({ n: 1, c: 3, h: 7, w: 7, outC: 3, kh: 3, kw: 3, pt: 1, pl: 1, groups: 3 })],
  ['depthwise multiplier 2, stride 2, dilation 2', convInfo({ n: 1, c: 2, h: 9, w: 9, outC: 4, kh: 3, kw: 3, sh: 2, sw: 2, dh: 2, dw: 2, pt: 2, pl: 2, groups: 2 })],
  ['pointwise groups', convInfo({ n: 2, c: 4, h: 3, w: 3, outC: 2, kh: 1, kw: 1, groups: 2 })],
  ['padding wider than kernel reach', convInfo({ n: 1, c: 1, h: 2, w: 2, outC: 1, kh: 2, kw: 2, pt: 3, pl: 3 })],
];

describe('conv2d kernels against naive loops', () => {
  const h = new Harness();
  CASES.forEach(([name, info], i) => {
    it(name, () => {
      const cg = info.inChannels / info.groups;
      const xShape = [info.batch, info.inChannels, info.inHeight, info.inWidth];
      const wShape = [info.outChannels, cg, info.kernelHeight, info.kernelWidth];
      const yShape = [info.batch, info.outChannels, info.outHeight, info.outWidth];
      const xv = randomF32(xShape, 3 * i + 1);
      const wv = randomF32(wShape, 3 * i + 2);
      const dyv = randomF32(yShape, 3 * i + 3);
      const x = h.t(xv, xShape);
      const w = h.t(wv, wShape);
      const dy = h.t(dyv, yShape);
      expectClose(h.read(h.backend.conv2d(x, w, info)), naiveConv(xv, wv, info), 1e-5, 1e-5);
      expectClose(h.read(h.backend.conv2dBackInput(dy, w, info)), naiveBackInput(dyv, wv, info), 1e-5, 1e-5);
      expectClose(h.read(h.backend.conv2dBackFilter(x, dy, info)), naiveBackFilter(xv, dyv, info), 1e-5, 1e-5);
    });
  });
});

describe('conv2d gradients against finite differences', () => {
  // loss = Σ dy · conv2d(x, w) is linear in x and in w, so central differences are exact up to rounding.
  for (const [name, info] of [CASES[4]!, CASES[6]!, CASES[10]!]) {
    it(name, () => {
      const cg = info.inChannels / info.groups;
      const xv = randomF32([info.batch, info.inChannels, info.inHeight, info.inWidth], 11);
      const wv = randomF32([info.outChannels, cg, info.kernelHeight, info.kernelWidth], 12);
      const dyv = randomF32([info.batch, info.outChannels, info.outHeight, info.outWidth], 13);
      const loss = (xa: Float32Array, wa: Float32Array): number => dot(dyv, conv2dKernel(xa, wa, info));
      const dx = conv2dBackInputKernel(dyv, wv, info);
      const dw = conv2dBackFilterKernel(xv, dyv, info);
      const eps = 0.25;
      for (let i = 0; i < xv.length; i += 3) {
        const plus = xv.slice();
        const minus = xv.slice();
        plus[i]! += eps;
        minus[i]! -= eps;
        expect(Math.abs((loss(plus, wv) - loss(minus, wv)) / (2 * eps) - dx[i]!)).toBeLessThan(1e-4);
      }
      for (let i = 0; i < wv.length; i++) {
        const plus = wv.slice();
        const minus = wv.slice();
        plus[i]! += eps;
        minus[i]! -= eps;
        expect(Math.abs((loss(xv, plus) - loss(xv, minus)) / (2 * eps) - dw[i]!)).toBeLessThan(1e-4);
      }
    });
  }
});

describe('conv2d on MNIST-shaped layers', () => {
  it('matches the naive loops on [4,8,14,14] 8→16 3×3 pad 1', () => {
    const info = convInfo({ n: 4, c: 8, h: 14, w: 14, outC: 16, kh: 3, kw: 3, pt: 1, pl: 1 });
    const xv = randomF32([4, 8, 14, 14], 1);
    const wv = randomF32([16, 8, 3, 3], 2);
    const dyv = randomF32([4, 16, 14, 14], 3);
    expectClose(conv2dKernel(xv, wv, info), naiveConv(xv, wv, info), 1e-5, 1e-5);
    expectClose(conv2dBackInputKernel(dyv, wv, info), naiveBackInput(dyv, wv, info), 1e-5, 1e-5);
    expectClose(conv2dBackFilterKernel(xv, dyv, info), naiveBackFilter(xv, dyv, info), 1e-5, 1e-4);
  });
});
