// 2-D convolution and both of its gradients over NCHW float32 data, one sample range [n0, n1) per call
// (threads take disjoint ranges). Each sample × group is lowered to the packed GEMM: im2col gathers the
// receptive fields into a [Cg·kh·kw, OH·OW] matrix, col2im scatters a gradient of that matrix back.
// A 1×1, stride-1, unpadded convolution skips the lowering: the input plane already is that matrix.
import { gemm, gemmWorkBytes } from './gemm';
import { Info } from './info';
import { at, fill } from './simd';

/** Output columns [lo, hi) whose input column ow·s + off lies inside [0, size). */
// @ts-ignore: decorator
@inline function validLo(off: i32, s: i32, n: i32): i32 {
  return off >= 0 ? 0 : min(n, (-off + s - 1) / s);
}

// @ts-ignore: decorator
@inline function validHi(off: i32, s: i32, n: i32, size: i32, lo: i32): i32 {
  const last = size - 1 - off;
  return max(lo, last < 0 ? 0 : min(n, last / s + 1));
}

function im2col(x: usize, cg: i32, g: Info, col: usize): void {
  const H = g.H, W = g.W, OH = g.OH, OW = g.OW, P = OH * OW;
  let row = 0;
  for (let c = 0; c < cg; c++) {
    const xc = at(x, c * H * W);
    for (let ki = 0; ki < g.kh; ki++) {
      for (let kj = 0; kj < g.kw; kj++) {
        const dst = at(col, row * P);
        row++;
        const off = kj * g.dw - g.pl;
        const lo = validLo(off, g.sw, OW);
        const hi = validHi(off, g.sw, OW, W, lo);
        for (let oh = 0; oh < OH; oh++) {
          const d = at(dst, oh * OW);
          const ih = oh * g.sh - g.pt + ki * g.dh;
          if (ih < 0 || ih >= H) {
            fill(d, OW, 0);
            continue;
          }
          const src = at(xc, ih * W + off);
          if (lo > 0) fill(d, lo, 0);
          if (hi < OW) fill(at(d, hi), OW - hi, 0);
          if (g.sw == 1) {
            memory.copy(at(d, lo), at(src, lo), <usize>(hi - lo) << 2);
          } else {
            for (let ow = lo; ow < hi; ow++) store<f32>(at(d, ow), load<f32>(at(src, ow * g.sw)));
          }
        }
      }
    }
  }
}

function col2im(col: usize, cg: i32, g: Info, dx: usize): void {
  const H = g.H, W = g.W, OH = g.OH, OW = g.OW, P = OH * OW;
  let row = 0;
  for (let c = 0; c < cg; c++) {
    const xc = at(dx, c * H * W);
    for (let ki = 0; ki < g.kh; ki++) {
      for (let kj = 0; kj < g.kw; kj++) {
        const srcRow = at(col, row * P);
        row++;
        const off = kj * g.dw - g.pl;
        const lo = validLo(off, g.sw, OW);
        const hi = validHi(off, g.sw, OW, W, lo);
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * g.sh - g.pt + ki * g.dh;
          if (ih < 0 || ih >= H) continue;
          const s = at(srcRow, oh * OW);
          const d = at(xc, ih * W + off);
          if (g.sw == 1) {
            let ow = lo;
            if (ASC_FEATURE_SIMD) {
              for (; ow + 4 <= hi; ow += 4) v128.store(at(d, ow), f32x4.add(v128.load(at(d, ow)), v128.load(at(s, ow))));
            }
            for (; ow < hi; ow++) store<f32>(at(d, ow), load<f32>(at(d, ow)) + load<f32>(at(s, ow)));
          } else {
            for (let ow = lo; ow < hi; ow++) {
              const q = at(d, ow * g.sw);
              store<f32>(q, load<f32>(q) + load<f32>(at(s, ow)));
            }
          }
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function isDirect(g: Info): bool {
  return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.OH == g.H && g.OW == g.W;
}

/** Scratch bytes one conv call needs: an im2col matrix plus GEMM packing space. */
export function convWorkBytes(info: usize): i32 {
  const g = changetype<Info>(info);
  return ((g.C / g.groups) * g.kh * g.kw * g.OH * g.OW) * 4 + gemmWorkBytes() + 128;
}

// @ts-ignore: decorator
@inline function gemmWork(work: usize, g: Info): usize {
  const colBytes = <usize>((g.C / g.groups) * g.kh * g.kw * g.OH * g.OW) << 2;
  return ((work + 63) & ~(<usize>63)) + ((colBytes + 63) & ~(<usize>63));
}

/** out[n] = conv(x[n], w) for samples [n0, n1). */
export function conv2d(x: usize, w: usize, out: usize, info: usize, n0: i32, n1: i32, work: usize): void {
  const g = changetype<Info>(info);
  const groups = g.groups, cg = g.C / groups, og = g.O / groups;
  const K = cg * g.kh * g.kw, P = g.OH * g.OW, HW = g.H * g.W;
  const col = (work + 63) & ~(<usize>63);
  const gw = gemmWork(work, g);
  const direct = isDirect(g);
  for (let n = n0; n < n1; n++) {
    for (let q = 0; q < groups; q++) {
      const xg = at(x, (n * g.C + q * cg) * HW);
      let b = xg;
      if (!direct) {
        im2col(xg, cg, g, col);
        b = col;
      }
      gemm(og, P, K, at(w, q * og * K), K, 1, b, P, 1, at(out, (n * g.O + q * og) * P), P, 0, gw);
    }
  }
}

/** dx[n] for samples [n0, n1): col = wᵀ·dy[n] per group, scattered back by col2im. */
export function conv2dBackInput(dy: usize, w: usize, dx: usize, info: usize, n0: i32, n1: i32, work: usize): void {
  const g = changetype<Info>(info);
  const groups = g.groups, cg = g.C / groups, og = g.O / groups;
  const K = cg * g.kh * g.kw, P = g.OH * g.OW, HW = g.H * g.W;
  const col = (work + 63) & ~(<usize>63);
  const gw = gemmWork(work, g);
  const direct = isDirect(g);
  for (let n = n0; n < n1; n++) {
    for (let q = 0; q < groups; q++) {
      const dyg = at(dy, (n * g.O + q * og) * P);
      const dxg = at(dx, (n * g.C + q * cg) * HW);
      const wg = at(w, q * og * K);
      if (direct) {
        gemm(K, P, og, wg, 1, K, dyg, P, 1, dxg, P, 0, gw);
      } else {
        gemm(K, P, og, wg, 1, K, dyg, P, 1, col, P, 0, gw);
        fill(dxg, cg * HW, 0);
        col2im(col, cg, g, dxg);
      }
    }
  }
}

/** dw = Σ over samples [n0, n1) of dy[n]·im2col(x[n])ᵀ per group (zeros for an empty range). */
export function conv2dBackFilter(x: usize, dy: usize, dw: usize, info: usize, n0: i32, n1: i32, work: usize): void {
  const g = changetype<Info>(info);
  const groups = g.groups, cg = g.C / groups, og = g.O / groups;
  const K = cg * g.kh * g.kw, P = g.OH * g.OW, HW = g.H * g.W;
  if (n0 >= n1) {
    fill(dw, g.O * K, 0);
    return;
  }
  const col = (work + 63) & ~(<usize>63);
  const gw = gemmWork(work, g);
  const direct = isDirect(g);
  for (let n = n0; n < n1; n++) {
    for (let q = 0; q < groups; q++) {
      const xg = at(x, (n * g.C + q * cg) * HW);
      let b = xg;
      if (!direct) {
        im2col(xg, cg, g, col);
        b = col;
      }
      gemm(og, K, P, at(dy, (n * g.O + q * og) * P), P, 1, b, 1, P, at(dw, q * og * K), K, n > n0 ? 1 : 0, gw);
    }
  }
}

/** dst[i] += src[i] for i in [start, end). */
export function addInto(dst: usize, src: usize, start: i32, end: i32): void {
  let i = start;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= end; i += 4) v128.store(at(dst, i), f32x4.add(v128.load(at(dst, i)), v128.load(at(src, i))));
  }
  for (; i < end; i++) store<f32>(at(dst, i), load<f32>(at(dst, i)) + load<f32>(at(src, i)));
}
