import type { Conv2dInfo, PoolKind } from '@scratchnet/core';

/**
 * Max / average pooling over NCHW float32 data and their gradients, as direct loops over each window's
 * in-bounds cells (padding never takes part: it never wins a max and is not counted by avg).
 * A window with no cell inside the input gives −∞ (max) or 0 (avg) and receives no gradient.
 */

/** The in-bounds kernel rows [lo, hi) for an output row whose first tap is input row `start`. */
function tapRange(start: number, step: number, taps: number, size: number): [number, number] {
  const lo = start >= 0 ? 0 : Math.ceil(-start / step);
  const hi = Math.min(taps, Math.floor((size - 1 - start) / step) + 1);
  return [Math.min(lo, taps), Math.max(Math.min(lo, taps), hi)];
}

interface Window {
  readonly kiLo: number;
  readonly kiHi: number;
  readonly kjLo: number;
  readonly kjHi: number;
  readonly ih0: number;
  readonly iw0: number;
}

/** Precomputes the clipped window of every output column, for reuse across rows and planes. */
function columnRanges(info: Conv2dInfo): Int32Array {
  const r = new Int32Array(info.outWidth * 3);
  for (let ow = 0; ow < info.outWidth; ow++) {
    const iw0 = ow * info.strideWidth - info.padLeft;
    const [lo, hi] = tapRange(iw0, info.dilationWidth, info.kernelWidth, info.inWidth);
    r[ow * 3] = lo;
    r[ow * 3 + 1] = hi;
    r[ow * 3 + 2] = iw0;
  }
  return r;
}

function forEachWindow(info: Conv2dInfo, visit: (plane: number, outIndex: number, win: Window) => void): void {
  const cols = columnRanges(info);
  const planes = info.batch * info.inChannels;
  const win = { kiLo: 0, kiHi: 0, kjLo: 0, kjHi: 0, ih0: 0, iw0: 0 };
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    for (let oh = 0; oh < info.outHeight; oh++) {
      win.ih0 = oh * info.strideHeight - info.padTop;
      [win.kiLo, win.kiHi] = tapRange(win.ih0, info.dilationHeight, info.kernelHeight, info.inHeight);
      for (let ow = 0; ow < info.outWidth; ow++, o++) {
        win.kjLo = cols[ow * 3]!;
        win.kjHi = cols[ow * 3 + 1]!;
        win.iw0 = cols[ow * 3 + 2]!;
        visit(plane, o, win);
      }
    }
  }
}

/**
 * Offset (within its plane) of the first row-major maximum of a window, or -1 when the window is empty.
 * A NaN counts as the maximum.
 */
function argmaxInWindow(x: Float32Array, base: number, info: Conv2dInfo, win: Window): number {
  const W = info.inWidth;
  const dh = info.dilationHeight;
  const dw = info.dilationWidth;
  let best = -Infinity;
  let at = -1;
  for (let ki = win.kiLo; ki < win.kiHi; ki++) {
    const rowOff = (win.ih0 + ki * dh) * W + win.iw0;
    for (let kj = win.kjLo; kj < win.kjHi; kj++) {
      const off = rowOff + kj * dw;
      const v = x[base + off]!;
      if (at < 0 || v > best || (v !== v && best === best)) {
        best = v;
        at = off;
      }
    }
  }
  return at;
}

/** Pooling: x [N, C, H, W] → [N, C, outH, outW]. */
export function pool2dKernel(kind: PoolKind, x: Float32Array, info: Conv2dInfo): Float32Array {
  const hw = info.inHeight * info.inWidth;
  const out = new Float32Array(info.batch * info.inChannels * info.outHeight * info.outWidth);
  const W = info.inWidth;
  const dh = info.dilationHeight;
  const dw = info.dilationWidth;
  if (kind === 'max') {
    forEachWindow(info, (plane, o, win) => {
      const base = plane * hw;
      const at = argmaxInWindow(x, base, info, win);
      out[o] = at < 0 ? -Infinity : x[base + at]!;
    });
  } else {
    forEachWindow(info, (plane, o, win) => {
      const base = plane * hw;
      let sum = 0;
      for (let ki = win.kiLo; ki < win.kiHi; ki++) {
        const rowOff = base + (win.ih0 + ki * dh) * W + win.iw0;
        for (let kj = win.kjLo; kj < win.kjHi; kj++) sum += x[rowOff + kj * dw]!;
      }
      const count = (win.kiHi - win.kiLo) * (win.kjHi - win.kjLo);
      out[o] = count > 0 ? sum / count : 0;
    });
  }
  return out;
}

/**
 * Pooling gradient: dy [N, C, outH, outW] → dx [N, C, H, W]. Max sends each dy to the first row-major
 * position of its window's maximum in x; avg spreads dy / count over the window's in-bounds cells.
 */
export function pool2dBackKernel(kind: PoolKind, dy: Float32Array, x: Float32Array, info: Conv2dInfo): Float32Array {
  const hw = info.inHeight * info.inWidth;
  const dx = new Float32Array(info.batch * info.inChannels * hw);
  const W = info.inWidth;
  const dh = info.dilationHeight;
  const dw = info.dilationWidth;
  if (kind === 'max') {
    forEachWindow(info, (plane, o, win) => {
      const base = plane * hw;
      const at = argmaxInWindow(x, base, info, win);
      if (at >= 0) dx[base + at]! += dy[o]!;
    });
  } else {
    forEachWindow(info, (plane, o, win) => {
      const count = (win.kiHi - win.kiLo) * (win.kjHi - win.kjLo);
      if (count === 0) return;
      const g = dy[o]! / count;
      const base = plane * hw;
      for (let ki = win.kiLo; ki < win.kiHi; ki++) {
        const rowOff = base + (win.ih0 + ki * dh) * W + win.iw0;
        for (let kj = win.kjLo; kj < win.kjHi; kj++) dx[rowOff + kj * dw]! += g;
      }
    });
  }
  return dx;
}
