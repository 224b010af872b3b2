import type { Conv2dInfo } from '@scratchnet/core';

/**
 * im2col / col2im for one image and one channel group. The column matrix has one row per
 * (channel, kernel row, kernel column) and one column per output pixel:
 * col[((c·kh + ki)·kw + kj)·P + oh·outW + ow] = x[c, oh·sh − padTop + ki·dh, ow·sw − padLeft + kj·dw]
 * (0 outside the input), P = outH·outW.
 */

/** For kernel column kj: the output columns [lo, hi) whose input column lands inside the image. */
function validColumns(info: Conv2dInfo, kj: number): [number, number] {
  const shift = kj * info.dilationWidth - info.padLeft; // iw = ow·sw + shift
  const sw = info.strideWidth;
  const lo = Math.max(0, Math.ceil(-shift / sw));
  const hi = Math.min(info.outWidth, Math.floor((info.inWidth - 1 - shift) / sw) + 1);
  return [lo, Math.max(lo, hi)];
}

/** Fills `col` (channels·kh·kw × outH·outW) from `channels` planes of x starting at `xOffset`. */
export function im2col(x: Float32Array, xOffset: number, channels: number, info: Conv2dInfo, col: Float32Array): void {
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, kernelHeight: KH, kernelWidth: KW } = info;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const P = OH * OW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = xOffset + c * H * W;
    for (let ki = 0; ki < KH; ki++) {
      const rowShift = ki * info.dilationHeight - info.padTop;
      for (let kj = 0; kj < KW; kj++, row++) {
        const [lo, hi] = validColumns(info, kj);
        const colShift = kj * info.dilationWidth - info.padLeft;
        let d = row * P;
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sh + rowShift;
          if (ih < 0 || ih >= H || lo >= hi) {
            col.fill(0, d, d + OW);
            d += OW;
            continue;
          }
          for (let ow = 0; ow < lo; ow++) col[d++] = 0;
          let s = plane + ih * W + lo * sw + colShift;
          if (sw === 1) {
            for (let ow = lo; ow < hi; ow++) col[d++] = x[s++]!;
          } else {
            for (let ow = lo; ow < hi; ow++, s += sw) col[d++] = x[s]!;
          }
          for (let ow = hi; ow < OW; ow++) col[d++] = 0;
        }
      }
    }
  }
}

/** Adds the column matrix `col` back into `channels` planes of dx starting at `dxOffset` (the adjoint of im2col). */
export function col2im(col: Float32Array, dx: Float32Array, dxOffset: number, channels: number, info: Conv2dInfo): void {
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, kernelHeight: KH, kernelWidth: KW } = info;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const P = OH * OW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = dxOffset + c * H * W;
    for (let ki = 0; ki < KH; ki++) {
      const rowShift = ki * info.dilationHeight - info.padTop;
      for (let kj = 0; kj < KW; kj++, row++) {
        const [lo, hi] = validColumns(info, kj);
        if (lo >= hi) continue;
        const colShift = kj * info.dilationWidth - info.padLeft;
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sh + rowShift;
          if (ih < 0 || ih >= H) continue;
          let d = row * P + oh * OW + lo;
          let s = plane + ih * W + lo * sw + colShift;
          if (sw === 1) {
            for (let ow = lo; ow < hi; ow++) dx[s++]! += col[d++]!;
          } else {
            for (let ow = lo; ow < hi; ow++, s += sw) dx[s]! += col[d++]!;
          }
        }
      }
    }
  }
}
