// Max / average pooling over NCHW float32 planes [p0, p1) and their gradients. Only window cells inside
// the input take part: padding never wins a max and is not counted by the average. A window with no
// cell inside gives −∞ (max) or 0 (avg) and receives no gradient.
import { Info } from './info';
import { at, fill } from './simd';

/** First in-bounds tap of a window starting at `start` (taps spaced by `step` over `size` cells). */
// @ts-ignore: decorator
@inline function tapLo(start: i32, step: i32, taps: i32): i32 {
  return start >= 0 ? 0 : min(taps, (-start + step - 1) / step);
}

/** One past the last in-bounds tap. */
// @ts-ignore: decorator
@inline function tapHi(start: i32, step: i32, taps: i32, size: i32, lo: i32): i32 {
  const last = size - 1 - start;
  const hi = last < 0 ? 0 : min(taps, last / step + 1);
  return max(lo, hi);
}

/** Plane offset of the first row-major maximum of a window (NaN counts as the maximum), −1 if empty. */
// @ts-ignore: decorator
@inline function argmaxWindow(x: usize, W: i32, ih0: i32, iw0: i32, kiLo: i32, kiHi: i32, kjLo: i32, kjHi: i32, dh: i32, dw: i32): i32 {
  let best: f32 = -Infinity;
  let found = -1;
  for (let ki = kiLo; ki < kiHi; ki++) {
    const rowOff = (ih0 + ki * dh) * W + iw0;
    for (let kj = kjLo; kj < kjHi; kj++) {
      const off = rowOff + kj * dw;
      const v = load<f32>(at(x, off));
      if (found < 0 || v > best || (v != v && best == best)) {
        best = v;
        found = off;
      }
    }
  }
  return found;
}

/** Pooling (kind 0 = max, 1 = avg) of planes [p0, p1). */
export function pool2d(kind: i32, x: usize, out: usize, info: usize, p0: i32, p1: i32): void {
  const g = changetype<Info>(info);
  const H = g.H, W = g.W, OH = g.OH, OW = g.OW, kh = g.kh, kw = g.kw;
  const sh = g.sh, sw = g.sw, dh = g.dh, dw = g.dw, pt = g.pt, pl = g.pl;
  for (let p = p0; p < p1; p++) {
    const xp = at(x, p * H * W);
    const op = at(out, p * OH * OW);
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - pt;
      const kiLo = tapLo(ih0, dh, kh);
      const kiHi = tapHi(ih0, dh, kh, H, kiLo);
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - pl;
        const kjLo = tapLo(iw0, dw, kw);
        const kjHi = tapHi(iw0, dw, kw, W, kjLo);
        let v: f32;
        if (kind == 0) {
          const found = argmaxWindow(xp, W, ih0, iw0, kiLo, kiHi, kjLo, kjHi, dh, dw);
          v = found < 0 ? -Infinity : load<f32>(at(xp, found));
        } else {
          let s: f32 = 0;
          for (let ki = kiLo; ki < kiHi; ki++) {
            const rowOff = (ih0 + ki * dh) * W + iw0;
            for (let kj = kjLo; kj < kjHi; kj++) s += load<f32>(at(xp, rowOff + kj * dw));
          }
          const count = (kiHi - kiLo) * (kjHi - kjLo);
          v = count > 0 ? s / <f32>count : 0;
        }
        store<f32>(at(op, oh * OW + ow), v);
      }
    }
  }
}

/** Pooling gradient of planes [p0, p1): dy [.., OH, OW] → dx [.., H, W] (zeroed here first). */
export function pool2dBack(kind: i32, dy: usize, x: usize, dx: usize, info: usize, p0: i32, p1: i32): void {
  const g = changetype<Info>(info);
  const H = g.H, W = g.W, OH = g.OH, OW = g.OW, kh = g.kh, kw = g.kw;
  const sh = g.sh, sw = g.sw, dh = g.dh, dw = g.dw, pt = g.pt, pl = g.pl;
  for (let p = p0; p < p1; p++) {
    const xp = at(x, p * H * W);
    const dxp = at(dx, p * H * W);
    const dyp = at(dy, p * OH * OW);
    fill(dxp, H * W, 0);
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - pt;
      const kiLo = tapLo(ih0, dh, kh);
      const kiHi = tapHi(ih0, dh, kh, H, kiLo);
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - pl;
        const kjLo = tapLo(iw0, dw, kw);
        const kjHi = tapHi(iw0, dw, kw, W, kjLo);
        const d = load<f32>(at(dyp, oh * OW + ow));
        if (kind == 0) {
          const found = argmaxWindow(xp, W, ih0, iw0, kiLo, kiHi, kjLo, kjHi, dh, dw);
          if (found >= 0) store<f32>(at(dxp, found), load<f32>(at(dxp, found)) + d);
        } else {
          const count = (kiHi - kiLo) * (kjHi - kjLo);
          if (count == 0) continue;
          const share = d / <f32>count;
          for (let ki = kiLo; ki < kiHi; ki++) {
            const rowOff = (ih0 + ki * dh) * W + iw0;
            for (let kj = kjLo; kj < kjHi; kj++) {
              const q = at(dxp, rowOff + kj * dw);
              store<f32>(q, load<f32>(q) + share);
            }
          }
        }
      }
    }
  }
}
