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

/** First output index whose window starts inside the input (start = o·stride − pad ≥ 0). */
// @ts-ignore: decorator
@inline function interiorLo(pad: i32, stride: i32): i32 {
  return pad > 0 ? (pad + stride - 1) / stride : 0;
}

/** One past the last output index whose whole window (taps·dilation) lies inside `size`, at least `lo`. */
// @ts-ignore: decorator
@inline function interiorHi(size: i32, pad: i32, stride: i32, taps: i32, dil: i32, outSize: i32, lo: i32): i32 {
  const room = size - 1 - (taps - 1) * dil + pad;
  const hi = room < 0 ? 0 : min(outSize, room / stride + 1);
  return max(lo, hi);
}

/**
 * Max pooling of one output row with 2×2 windows, stride 2, no dilation, for outputs [o0, o1) whose
 * windows lie inside the input (rows r0 and r0 + 1): four outputs per step from two 8-float loads per
 * row, a vertical max, then the max of even and odd lanes. wasm's f32x4.max returns NaN when either
 * operand is NaN, as the scalar rule does (NaN counts as the maximum). Returns where it stopped.
 */
function maxRow2x2(xp: usize, W: i32, r0: i32, iwBase: i32, op: usize, o0: i32, o1: i32): i32 {
  let o = o0;
  if (ASC_FEATURE_SIMD) {
    const top = at(xp, r0 * W + iwBase);
    const bottom = at(xp, (r0 + 1) * W + iwBase);
    for (; o + 4 <= o1; o += 4) {
      const c = o * 2;
      const m0 = f32x4.max(v128.load(at(top, c)), v128.load(at(bottom, c)));
      const m1 = f32x4.max(v128.load(at(top, c + 4)), v128.load(at(bottom, c + 4)));
      const even = v128.shuffle<f32>(m0, m1, 0, 2, 4, 6);
      const odd = v128.shuffle<f32>(m0, m1, 1, 3, 5, 7);
      v128.store(at(op, o), f32x4.max(even, odd));
    }
  }
  // The row's last outputs (or all of them without SIMD): the same max, one window at a time.
  const rowTop = r0 * W + iwBase;
  const rowBottom = rowTop + W;
  for (; o < o1; o++) {
    const c = o * 2;
    const m = max(max(load<f32>(at(xp, rowTop + c)), load<f32>(at(xp, rowTop + c + 1))), max(load<f32>(at(xp, rowBottom + c)), load<f32>(at(xp, rowBottom + c + 1))));
    store<f32>(at(op, o), m);
  }
  return o;
}

/**
 * The max-pooling gradient of one output row with 2×2 windows, stride 2, no dilation, for outputs
 * [o0, o1) whose windows lie inside the input: each window's dy goes to its first row-major maximum
 * (a NaN, when there is one, is the maximum: the first NaN takes it), four windows per step. The
 * windows do not overlap, so each cell is stored once. Returns where it stopped.
 */
function maxBackRow2x2(xp: usize, dxp: usize, W: i32, r0: i32, iwBase: i32, dyRow: usize, o0: i32, o1: i32): i32 {
  let o = o0;
  if (ASC_FEATURE_SIMD) {
    const top = r0 * W + iwBase;
    const bottom = top + W;
    const zero = f32x4.splat(0);
    for (; o + 4 <= o1; o += 4) {
      const c = o * 2;
      const t0 = v128.load(at(xp, top + c)), t1 = v128.load(at(xp, top + c + 4));
      const b0 = v128.load(at(xp, bottom + c)), b1 = v128.load(at(xp, bottom + c + 4));
      const a = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6), b = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
      const cc = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6), d = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
      const m = f32x4.max(f32x4.max(a, b), f32x4.max(cc, d));
      // A lane holds the maximum when it equals it or is NaN (then m is NaN too).
      const ea = v128.or(f32x4.eq(a, m), f32x4.ne(a, a));
      const eb = v128.andnot(v128.or(f32x4.eq(b, m), f32x4.ne(b, b)), ea);
      const eab = v128.or(ea, eb);
      const ec = v128.andnot(v128.or(f32x4.eq(cc, m), f32x4.ne(cc, cc)), eab);
      const ed = v128.not(v128.or(eab, ec));
      const g = v128.load(at(dyRow, o));
      const ga = v128.bitselect(g, zero, ea), gb = v128.bitselect(g, zero, eb);
      const gc = v128.bitselect(g, zero, ec), gd = v128.bitselect(g, zero, ed);
      v128.store(at(dxp, top + c), v128.shuffle<f32>(ga, gb, 0, 4, 1, 5));
      v128.store(at(dxp, top + c + 4), v128.shuffle<f32>(ga, gb, 2, 6, 3, 7));
      v128.store(at(dxp, bottom + c), v128.shuffle<f32>(gc, gd, 0, 4, 1, 5));
      v128.store(at(dxp, bottom + c + 4), v128.shuffle<f32>(gc, gd, 2, 6, 3, 7));
    }
  }
  // The row's last windows (or all of them without SIMD), by the same rule one at a time; dx is zero
  // already, and the windows do not overlap, so only the winning cell is stored.
  const rowTop = r0 * W + iwBase;
  for (; o < o1; o++) {
    const c = rowTop + o * 2;
    const a = load<f32>(at(xp, c)), b = load<f32>(at(xp, c + 1));
    const e = load<f32>(at(xp, c + W)), f = load<f32>(at(xp, c + W + 1));
    const m = max(max(a, b), max(e, f));
    const cell = a == m || a != a ? c : b == m || b != b ? c + 1 : e == m || e != e ? c + W : c + W + 1;
    store<f32>(at(dxp, cell), load<f32>(at(dyRow, o)));
  }
  return o;
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
  // Outputs whose windows lie wholly inside the input take every tap: no bounds to work out.
  const ohLo = interiorLo(pt, sh), ohHi = interiorHi(H, pt, sh, kh, dh, OH, ohLo);
  const owLo = interiorLo(pl, sw), owHi = interiorHi(W, pl, sw, kw, dw, OW, owLo);
  const pairs = kind == 0 && kh == 2 && kw == 2 && sh == 2 && sw == 2 && dh == 1 && dw == 1;
  for (let p = p0; p < p1; p++) {
    const xp = at(x, p * H * W);
    const op = at(out, p * OH * OW);
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - pt;
      const rowInside = oh >= ohLo && oh < ohHi;
      const kiLo = rowInside ? 0 : tapLo(ih0, dh, kh);
      const kiHi = rowInside ? kh : tapHi(ih0, dh, kh, H, kiLo);
      const orow = at(op, oh * OW);
      let ow = 0;
      while (ow < OW) {
        const inside = rowInside && ow >= owLo && ow < owHi;
        if (inside && pairs) {
          ow = maxRow2x2(xp, W, ih0, -pl, orow, ow, owHi);
          if (ow >= owHi) continue;
        }
        const iw0 = ow * sw - pl;
        const kjLo = inside ? 0 : tapLo(iw0, dw, kw);
        const kjHi = inside ? kw : tapHi(iw0, dw, kw, W, kjLo);
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
        store<f32>(at(orow, ow), v);
        ow++;
      }
    }
  }
}

/** Pooling gradient of planes [p0, p1): dy [.., OH, OW] → dx [.., H, W] (zeroed here first). */
export function pool2dBack(kind: i32, dy: usize, x: usize, dx: usize, info: usize, p0: i32, p1: i32): void {
  const g = changetype<Info>(info);
  const H = g.H, W = g.W, OH = g.OH, OW = g.OW, kh = g.kh, kw = g.kw;
  const sh = g.sh, sw = g.sw, dh = g.dh, dw = g.dw, pt = g.pt, pl = g.pl;
  const ohLo = interiorLo(pt, sh), ohHi = interiorHi(H, pt, sh, kh, dh, OH, ohLo);
  const owLo = interiorLo(pl, sw), owHi = interiorHi(W, pl, sw, kw, dw, OW, owLo);
  const pairs = kind == 0 && kh == 2 && kw == 2 && sh == 2 && sw == 2 && dh == 1 && dw == 1;
  for (let p = p0; p < p1; p++) {
    const xp = at(x, p * H * W);
    const dxp = at(dx, p * H * W);
    const dyp = at(dy, p * OH * OW);
    fill(dxp, H * W, 0);
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - pt;
      const rowInside = oh >= ohLo && oh < ohHi;
      const kiLo = rowInside ? 0 : tapLo(ih0, dh, kh);
      const kiHi = rowInside ? kh : tapHi(ih0, dh, kh, H, kiLo);
      // Outputs [owLo, simdEnd) of an inside row are done four at a time; the loop does the rest.
      const simdEnd = rowInside && pairs ? maxBackRow2x2(xp, dxp, W, ih0, -pl, at(dyp, oh * OW), owLo, owHi) : owLo;
      for (let ow = 0; ow < OW; ow++) {
        if (ow == owLo && simdEnd > owLo) {
          ow = simdEnd - 1;
          continue;
        }
        const iw0 = ow * sw - pl;
        const inside = rowInside && ow >= owLo && ow < owHi;
        const kjLo = inside ? 0 : tapLo(iw0, dw, kw);
        const kjHi = inside ? kw : tapHi(iw0, dw, kw, W, kjLo);
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
