import type { Conv2dInfo } from '@scratchnet/core';
import { gemm } from './gemm.js';
import type { MatrixView } from './gemm.js';
import { col2im, im2col } from './im2col.js';

/**
 * 2-D convolution and its two gradients as im2col + GEMM, one image and channel group at a time.
 * Per group g: weights are the [O/G, K] matrix W_g (K = C/G·kh·kw), the image is the [K, P] column
 * matrix X_g (P = outH·outW) and the output is Y_g = W_g · X_g. Then dX_g = col2im(W_gᵀ · dY_g) and
 * dW_g = Σ_images dY_g · X_gᵀ. A 1×1, stride-1, unpadded convolution reads x directly as X_g.
 */

let colScratch = new Float32Array(0);

/** A shared scratch buffer for one column matrix. */
function scratch(size: number): Float32Array {
  if (colScratch.length < size) colScratch = new Float32Array(size);
  return colScratch;
}

interface Geometry {
  readonly n: number;
  readonly c: number;
  readonly o: number;
  readonly g: number;
  /** Input channels per group. */
  readonly cg: number;
  /** Output channels per group. */
  readonly og: number;
  /** Rows of the column matrix: cg·kh·kw. */
  readonly k: number;
  /** Output pixels per channel. */
  readonly p: number;
  /** Input pixels per channel. */
  readonly hw: number;
  /** True when the column matrix is x itself (1×1 kernel, stride 1, no padding). */
  readonly pointwise: boolean;
}

function geometry(info: Conv2dInfo): Geometry {
  const g = info.groups;
  const cg = info.inChannels / g;
  const og = info.outChannels / g;
  const hw = info.inHeight * info.inWidth;
  const p = info.outHeight * info.outWidth;
  const pointwise = info.kernelHeight === 1 && info.kernelWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1
    && info.padTop === 0 && info.padLeft === 0 && info.outHeight === info.inHeight && info.outWidth === info.inWidth;
  return { n: info.batch, c: info.inChannels, o: info.outChannels, g, cg, og, k: cg * info.kernelHeight * info.kernelWidth, p, hw, pointwise };
}

function view(data: Float32Array, offset: number, rowStride: number, colStride: number): MatrixView {
  return { data, offset, rowStride, colStride };
}

/** conv2d: x [N, C, H, W], w [O, C/G, kh, kw] → y [N, O, outH, outW]. */
export function conv2dKernel(x: Float32Array, w: Float32Array, info: Conv2dInfo): Float32Array {
  const geo = geometry(info);
  const { og, k, p, hw } = geo;
  const y = new Float32Array(geo.n * geo.o * p);
  const col = geo.pointwise ? x : scratch(k * p);
  for (let img = 0; img < geo.n; img++) {
    for (let g = 0; g < geo.g; g++) {
      const xOffset = (img * geo.c + g * geo.cg) * hw;
      let cols: MatrixView;
      if (geo.pointwise) {
        cols = view(x, xOffset, hw, 1);
      } else {
        im2col(x, xOffset, geo.cg, info, col);
        cols = view(col, 0, p, 1);
      }
      gemm(og, p, k, view(w, g * og * k, k, 1), cols, y, (img * geo.o + g * og) * p, p, false);
    }
  }
  return y;
}

/** Gradient of conv2d with respect to x: dy [N, O, outH, outW], w → dx [N, C, H, W]. */
export function conv2dBackInputKernel(dy: Float32Array, w: Float32Array, info: Conv2dInfo): Float32Array {
  const geo = geometry(info);
  const { og, k, p, hw } = geo;
  const dx = new Float32Array(geo.n * geo.c * hw);
  const col = geo.pointwise ? dx : scratch(k * p);
  for (let img = 0; img < geo.n; img++) {
    for (let g = 0; g < geo.g; g++) {
      const xOffset = (img * geo.c + g * geo.cg) * hw;
      const wT = view(w, g * og * k, 1, k);
      const dyg = view(dy, (img * geo.o + g * og) * p, p, 1);
      if (geo.pointwise) {
        gemm(k, p, og, wT, dyg, dx, xOffset, p, false);
      } else {
        gemm(k, p, og, wT, dyg, col, 0, p, false);
        col2im(col, dx, xOffset, geo.cg, info);
      }
    }
  }
  return dx;
}

/** Gradient of conv2d with respect to w: x, dy → dw [O, C/G, kh, kw]. */
export function conv2dBackFilterKernel(x: Float32Array, dy: Float32Array, info: Conv2dInfo): Float32Array {
  const geo = geometry(info);
  const { og, k, p, hw } = geo;
  const dw = new Float32Array(geo.o * k);
  const col = geo.pointwise ? x : scratch(k * p);
  for (let img = 0; img < geo.n; img++) {
    for (let g = 0; g < geo.g; g++) {
      const xOffset = (img * geo.c + g * geo.cg) * hw;
      let colsT: MatrixView;
      if (geo.pointwise) {
        colsT = view(x, xOffset, 1, hw);
      } else {
        im2col(x, xOffset, geo.cg, info, col);
        colsT = view(col, 0, 1, p);
      }
      gemm(og, k, p, view(dy, (img * geo.o + g * og) * p, p, 1), colsT, dw, g * og * k, k, img > 0);
    }
  }
  return dw;
}
